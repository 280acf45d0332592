"""`sikumuh export rt-data --region CODE [--tahun Y] [--format csv|xlsx] -o FILE`: a region's RT
data as a filled-in import template (the template's columns first, then the computed ones), so
that `sikumuh import template FILE` reads it back as it is and, unedited, changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("export", help="export data as files (CSV/XLSX)")
    kinds = parser.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    rt_data = kinds.add_parser(
        "rt-data",
        help="the RT data of a region as an import template with the computed columns after it",
    )
    rt_data.add_argument("--region", required=True, help="Kemendagri code, e.g. 63.01 (ID: all)")
    rt_data.add_argument("--tahun", help="only this survey year (default: every year)")
    rt_data.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        help="file format (default: from the file name's extension, else csv)",
    )
    rt_data.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    rt_data.set_defaults(run=run_rt_data)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "xlsx" if args.output.suffix.lower() == ".xlsx" else "csv"


def run_rt_data(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.io.exporters import rt_data
    from sikumuh.io.tables import write_table
    from sikumuh.io.template_columns import parse_year
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region

    code = args.region.strip()
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise base.CommandError(_("unknown region code: %(code)s") % {"code": code})
    tahun = None
    if args.tahun is not None:
        try:
            tahun = parse_year(args.tahun)
        except ValueError:
            raise base.CommandError(
                _("--tahun %(value)s: a year must be four digits, 2000–2100")
                % {"value": args.tahun}
            ) from None
    fmt = _format(args)
    header, rows = rt_data(code, tahun=tahun)
    try:
        if fmt == "csv":
            with args.output.open("w", encoding="utf-8", newline="") as stream:
                count = write_table(header, rows, stream, "csv")
        else:
            count = write_table(header, rows, args.output, "xlsx")
    except OSError as exc:
        raise base.CommandError(
            _("cannot write %(file)s: check that its folder exists and may be written")
            % {"file": args.output}
        ) from exc
    print(
        _("%(n)s RT rows of %(code)s written to %(file)s (%(format)s)")
        % {"n": count, "code": code, "file": args.output, "format": fmt},
        file=out,
    )
    return 0
