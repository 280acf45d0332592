"""`sikumuh slum-area --region CODE [--status all|approved]`: slum hectares as of each year
(criteria.md §9), with each year's coverage, class breakdown, the SK in force and reductions."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any, TextIO

from sikumuh.cli import base
from sikumuh.core.asof import Coverage


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "slum-area",
        help="slum area per year of a region (ha), with reductions and their bases",
    )
    parser.add_argument("--region", required=True, help="Kemendagri code, e.g. 63.01 (ID: all)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--status",
        choices=["all", "approved"],
        default="all",
        help="count all RT data (default) or only the data the Pokja approved",
    )
    parser.set_defaults(run=run)


def _number(value: Decimal | float, places: int = 2) -> str:
    """A figure as Indonesians write it (decimal comma, thousands dot): 1.234,50."""
    from django.utils.formats import number_format

    return number_format(value, places, use_l10n=True, force_grouping=True)


def _ha(value: Decimal | None) -> str:
    return "-" if value is None else f"{_number(value)} ha"


def _coverage(coverage: Coverage) -> str:
    """One line: RTs observed in the year, carried (from which years), complete or not."""
    from django.utils.translation import gettext as _

    state = _("complete") if coverage.complete else _("provisional")
    line = _("%(state)s: %(observed)s of %(total)s RT observed") % {
        "state": state,
        "observed": coverage.observed,
        "total": coverage.total,
    }
    carried = ", ".join(
        _("%(n)s from %(year)s") % {"n": n, "year": y} for y, n in coverage.carried.items()
    )
    return line + (", " + _("carried %(carried)s") % {"carried": carried} if carried else "")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.core.criteria import SlumClass
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region
    from sikumuh.surveys.selectors import slum_area

    code = args.region.strip()
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise base.CommandError(_("unknown region code %(code)s") % {"code": code})
    report = slum_area(code, status=args.status)
    if args.format == "json":
        base.dump_json(report.as_dict(), out)
        return 0
    name = "Indonesia" if code == NATIONAL else Region.objects.get(code=code).name
    print(f"{code} {name}", file=out)
    decrees = "; ".join(report.sk_decrees) or _("no SK")
    print(
        _("SK slum area: %(ha)s (%(decrees)s)")
        % {"ha": _ha(report.sk_total_ha), "decrees": decrees},
        file=out,
    )
    if not report.years:
        print(_("no scored RT data"), file=out)
        return 0
    for year in report.years:
        classes = ", ".join(
            f"{SlumClass(k).label_id} {_number(v['ha'])} ha / {v['rt']} RT"
            for k, v in year.by_class.items()
            if v["rt"]
        )
        line = _("%(tahun)s: slum %(slum)s of %(assessed)s assessed") % {
            "tahun": year.tahun,
            "slum": _ha(year.slum_ha),
            "assessed": _ha(year.assessed_ha),
        }
        line += f" [{classes}]"
        if year.unscored_rt:
            line += ", " + _("%(n)s RT unscored") % {"n": year.unscored_rt}
        print(line, file=out)
        print(f"    {_coverage(year.coverage)}", file=out)
        for reduction in (year.reduction_own, year.reduction_sk):
            if reduction is not None and year.tahun != report.baseline_year:
                pct = "-" if reduction.percent is None else f"{_number(reduction.percent)} %"
                reduced = _("reduction %(ha)s = %(pct)s of %(base)s (%(base_ha)s)") % {
                    "ha": _ha(reduction.ha),
                    "pct": pct,
                    "base": reduction.base_label,
                    "base_ha": _ha(reduction.base_ha),
                }
                print(f"    {reduced}", file=out)
    return 0
