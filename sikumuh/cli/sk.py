"""`sikumuh sk export` and `sikumuh sk import`: the SK Kumuh lampiran as a CSV/XLSX file.

Export writes the lampiran of the SK in force (this year, or ``--tahun Y``); import registers a
file as the new version of the kabupaten's SK (every row checked first, one commit) and prints
its change against the version it replaces. Messages are in the active language (Indonesian by
default), each problem on one line naming file, row, column and value. Exit status: 0 when the
version was registered or the file changes nothing, 1 when it was rejected.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("sk", help="the SK Kumuh lampiran as a CSV/XLSX file, out and in")
    kinds = parser.add_subparsers(dest="sk_command", required=True, metavar="ACTION")

    export = kinds.add_parser("export", help="write the lampiran of the SK in force")
    export.add_argument("--region", required=True, help="Kemendagri code of the kabupaten/kota")
    export.add_argument("--tahun", type=int, help="the SK in force in this year (default: now)")
    export.add_argument("--format", choices=["csv", "xlsx"], help="default: by the file ending")
    export.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    export.set_defaults(run=run_export)

    imported = kinds.add_parser("import", help="register a lampiran as the SK's new version")
    imported.add_argument("file", type=Path, help="the lampiran (.csv or .xlsx)")
    imported.add_argument("--region", required=True, help="Kemendagri code of the kabupaten/kota")
    imported.add_argument("--number", required=True, help="the new SK's number")
    imported.add_argument("--date", required=True, type=_date, help="its date, YYYY-MM-DD")
    imported.add_argument("--format", choices=["text", "json"], default="text")
    imported.set_defaults(run=run_import)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


def _kabupaten(code: str) -> Any:
    from django.utils.translation import gettext as _

    from sikumuh.regions.models import Level, Region

    region = Region.objects.filter(code=code.strip()).first()
    if region is None or region.level != Level.KABUPATEN:
        raise base.CommandError(_("%(code)s is not a kabupaten/kota code") % {"code": code})
    return region


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.io.sk_lampiran import COLUMNS, lampiran_rows
    from sikumuh.io.tables import write_table
    from sikumuh.slums.sk_in_force import sk_version_in_force, this_year

    region = _kabupaten(args.region)
    year = args.tahun or this_year()
    decree = sk_version_in_force(region.code, year)
    if decree is None:
        message = _("%(region)s has no SK in force in %(year)d")
        raise base.CommandError(message % {"region": region.name, "year": year})
    fmt = args.format or ("xlsx" if args.output.suffix.lower() == ".xlsx" else "csv")
    try:
        if fmt == "csv":
            with open(args.output, "w", encoding="utf-8", newline="") as text:
                count = write_table(COLUMNS, lampiran_rows(decree), text, "csv")
        else:
            count = write_table(COLUMNS, lampiran_rows(decree), args.output, "xlsx")
    except OSError as exc:
        raise base.CommandError(f"cannot write {args.output}: {exc.strerror}") from exc
    summary = _("SK %(number)s (%(date)s): %(n)d locations written to %(file)s")
    print(
        summary % {"number": decree.number, "date": _when(decree), "n": count, "file": args.output},
        file=out,
    )
    return 0


def _when(decree: Any) -> str:
    return decree.date.isoformat() if decree.date else str(decree.year)


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.io.sk_import import import_lampiran
    from sikumuh.io.sk_lampiran import known_problems, problem_line

    region = _kabupaten(args.region)
    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(f"no such file: {path}")
    result = import_lampiran(
        path, actor=Actor.system(), kabupaten=region, number=args.number, date=args.date
    )
    code = 1 if result.status == "rejected" else 0
    if args.format == "json":
        base.dump_json(outcome_json(result), out)
        return code
    for problem in known_problems(result.problems):
        print(problem_line(problem), file=err if problem.severity == "error" else out)
    for line in outcome_lines(result):
        print(line, file=out)
    return code


def outcome_json(result: Any) -> dict[str, Any]:
    """The outcome as data: status, the new and previous SK, problems (errors first) and the
    change."""
    check = result.preview
    diff = check.diff

    def changes(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "kode_lokasi": c.code,
                "nama_lokasi": c.name,
                "before": c.ha_before,
                "after": c.ha_after,
            }
            for c in items
        ]

    return {
        "status": result.status,
        "number": check.number,
        "date": check.date.isoformat(),
        "decree_id": check.decree.pk if check.decree else None,
        "previous": check.previous.number if check.previous else None,
        "problems": [p.as_dict() for p in result.problems],
        "diff": None
        if diff is None
        else {
            "added": changes(diff.added),
            "dropped": changes(diff.dropped),
            "changed": changes(diff.changed),
            "unchanged": diff.unchanged,
            "total_before": diff.total_before,
            "total_after": diff.total_after,
        },
    }


def _ha(value: Decimal | None) -> str:
    from django.utils.formats import number_format

    return "-" if value is None else f"{number_format(value, 2, use_l10n=True)} ha"


def outcome_lines(result: Any) -> list[str]:
    """The outcome in words: what was registered (or not), then the change, one line each."""
    from django.utils.translation import gettext as _

    check = result.preview
    previous = check.previous
    if result.status == "rejected":
        return [_("Rejected: nothing was saved (%(n)d errors).") % {"n": len(result.errors)}]
    if result.status == "unchanged":
        message = _(
            "No change: the file lists the same locations and areas as SK %(number)s; "
            "no new version was registered."
        )
        return [message % {"number": previous.number}]
    decree = check.decree
    if previous is None:
        head = _("SK %(number)s (%(date)s) registered.") % {
            "number": decree.number,
            "date": _when(decree),
        }
    else:
        head = _("SK %(number)s (%(date)s) registered as the new version of SK %(previous)s.") % {
            "number": decree.number,
            "date": _when(decree),
            "previous": previous.number,
        }
    return [head, *diff_lines(check.diff)]


def diff_lines(diff: Any) -> list[str]:
    from django.utils.translation import gettext as _

    lines = []
    for change in diff.added:
        lines.append(
            _("added: %(code)s %(name)s, %(ha)s")
            % {"code": change.code, "name": change.name, "ha": _ha(change.ha_after)}
        )
    for change in diff.dropped:
        lines.append(
            _("dropped: %(code)s %(name)s, %(ha)s")
            % {"code": change.code, "name": change.name, "ha": _ha(change.ha_before)}
        )
    for change in diff.changed:
        lines.append(
            _("area changed: %(code)s %(name)s, %(before)s → %(after)s")
            % {
                "code": change.code,
                "name": change.name,
                "before": _ha(change.ha_before),
                "after": _ha(change.ha_after),
            }
        )
    lines.append(
        _("total: %(before)s → %(after)s (%(n)d locations unchanged)")
        % {"before": _ha(diff.total_before), "after": _ha(diff.total_after), "n": diff.unchanged}
    )
    return lines
