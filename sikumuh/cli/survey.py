"""`sikumuh survey xlsform --region CODE --tahun Y -o FILE.xlsx`: the yearly RT survey as an
XLSForm for ODK Collect and KoboCollect, with the region's stored locations and RTs as choices.
Its submissions come back with `sikumuh import odk`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("survey", help="the RT survey on phones (ODK/Kobo)")
    commands = parser.add_subparsers(dest="survey_command", required=True, metavar="COMMAND")
    xlsform = commands.add_parser("xlsform", help="the RT survey XLSForm of a region and year")
    xlsform.add_argument("--region", required=True, help="kabupaten/kota, kecamatan or desa code")
    xlsform.add_argument("--tahun", type=int, required=True, help="the survey year")
    xlsform.add_argument("-o", "--output", type=Path, required=True, help="FILE.xlsx")
    xlsform.set_defaults(run=run_xlsform)


def run_xlsform(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.io.rt_survey_form import form_id, region_rt_choices, write_rt_survey
    from sikumuh.io.template_columns import YEAR_RANGE
    from sikumuh.regions.models import Region

    code = args.region.strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise base.CommandError(_("unknown region code %(code)s") % {"code": code})
    if not YEAR_RANGE[0] <= args.tahun <= YEAR_RANGE[1]:
        raise base.CommandError(
            _("year %(year)s outside %(low)s–%(high)s")
            % {"year": args.tahun, "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]}
        )
    rts = region_rt_choices(code)
    if not rts:
        raise base.CommandError(
            _("%(region)s has no stored RT: import or enter the RTs first")
            % {"region": f"{region.name} ({code})"}
        )
    try:
        write_rt_survey(
            args.output, region_code=code, region_name=region.name, tahun=args.tahun, rts=rts
        )
    except OSError as exc:
        raise base.CommandError(
            _("cannot write %(file)s: %(reason)s") % {"file": args.output, "reason": exc.strerror}
        ) from exc
    print(
        _("%(file)s: form %(form)s, %(n)d RTs")
        % {"file": args.output, "form": form_id(code, args.tahun), "n": len(rts)},
        file=out,
    )
    return 0
