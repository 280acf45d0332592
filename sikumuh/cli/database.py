"""`sikumuh migrate`: everything a server needs before it starts.

Migrations, the database cache table, the static files collected into VAR_DIR/static (served by
WhiteNoise) and the regions (loaded or updated). Run it after every upgrade.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    migrate = sub.add_parser(
        "migrate",
        help="create or upgrade the database, cache table, static files and regions",
    )
    migrate.set_defaults(run=run_migrate)


def run_migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)
    from django.conf import settings
    from django.core.management import call_command

    from sikumuh.io.region_list import load_regions

    base.migrate_schema()
    call_command("collectstatic", interactive=False, verbosity=0)
    summary = load_regions()
    print(
        f"database ready; static files in {settings.STATIC_ROOT}; regions: {summary.total}"
        f" ({summary.created} new, {summary.updated} updated)",
        file=out,
    )
    return 0
