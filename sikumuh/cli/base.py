"""What the subcommands share: a clean error type, Django set-up on demand, progress, JSON."""

from __future__ import annotations

import gettext
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO


class CommandError(Exception):
    """One clear line for the user; exit status `exit_code`."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


_ready = False

CLI_CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "cli"


def gettext_early(message: str) -> str:
    """`message` in the user's language even where Django is not set up (yet): argparse's
    errors and those of the set-up itself come before it. Django's own gettext once it is
    (the language it chose), else the cli catalogue in settings' LANGUAGE_CODE ("id")."""
    from django.apps import apps

    if apps.ready:
        from django.utils.translation import gettext as _

        return _(message)
    catalogue = gettext.translation(
        "django", localedir=CLI_CATALOGUE, languages=["id"], fallback=True
    )
    return catalogue.gettext(message)


def setup_django(*, migrate: bool = True) -> None:
    """Set Django up; create or upgrade the database and load the regions when asked."""
    global _ready
    if _ready:
        return
    import django

    from config.env import ImproperlyConfiguredEnv

    try:
        django.setup()
    except ImproperlyConfiguredEnv as exc:
        raise CommandError(str(exc)) from exc
    if migrate:
        prepare_database()
    _refuse_demo_logins()
    _ready = True


def prepare_database() -> None:
    """Migrations, the cache table, and the regions if there are none yet."""
    migrate_schema()
    from sikumuh.regions.models import Region

    if not Region.objects.exists():
        from sikumuh.io.region_list import load_regions

        load_regions()


def migrate_schema() -> None:
    """Apply the migrations and create the cache table."""
    from django.core.management import call_command
    from django.db import OperationalError

    try:
        call_command("migrate", verbosity=0, interactive=False)
        # The database cache (production's) lives in a table that no migration creates.
        call_command("createcachetable", verbosity=0)
    except OperationalError as exc:
        raise CommandError(f"cannot open the database: {exc}") from exc


def _refuse_demo_logins() -> None:
    """In production no command runs while a demo account opens with its published password."""
    from django.core.exceptions import ImproperlyConfigured

    from sikumuh.accounts.checks import refuse_demo_logins

    try:
        refuse_demo_logins()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc


class Progress:
    """Progress on a terminal (stderr), silent otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and total:
            self.stream.write(f"\r{self.label}: {done}/{total} ({100 * done // total} %)")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Figures are exact decimals; JSON numbers keep them readable by any client.
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2, default=_default)
    out.write("\n")


def problem_line(problem: Any) -> str:
    """One problem on one line in the user's language: file, row, column, value, reason."""
    from django.utils.translation import gettext as _

    from sikumuh.io.reasons import translated

    problem = translated(problem)
    where = [problem.file, _("row %(row)s") % {"row": problem.row}]
    if problem.column:
        where.append(_("column %(column)s") % {"column": problem.column})
    if problem.value is not None:
        where.append(_("value %(value)r") % {"value": problem.value})
    label = _("error") if problem.severity == "error" else _("warning")
    return f"{label}: {', '.join(where)}: {problem.reason}"
