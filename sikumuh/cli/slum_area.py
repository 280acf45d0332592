"""`sikumuh slum-area --region CODE`: slum hectares per year, class breakdown and reductions."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "slum-area",
        help="slum area per year of a region (ha), with reductions and their bases",
    )
    parser.add_argument("--region", required=True, help="Kemendagri code, e.g. 63.01 (ID: all)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=run)


def _ha(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f} ha"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region
    from sikumuh.surveys.selectors import slum_area

    code = args.region.strip()
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise base.CommandError(f"unknown region code {code!r}")
    report = slum_area(code)
    if args.format == "json":
        base.dump_json(report.as_dict(), out)
        return 0
    name = "Indonesia" if code == NATIONAL else Region.objects.get(code=code).name
    print(f"{code} {name}", file=out)
    print(
        f"SK baseline: {_ha(report.sk_total_ha)} ({'; '.join(report.sk_decrees) or 'no SK'})",
        file=out,
    )
    if not report.years:
        print("no scored RT data", file=out)
        return 0
    for year in report.years:
        classes = ", ".join(
            f"{k} {v['ha']:.2f} ha / {v['rt']} RT" for k, v in year.by_class.items() if v["rt"]
        )
        print(
            f"{year.tahun}: slum {_ha(year.slum_ha)} of {_ha(year.assessed_ha)} assessed"
            f" [{classes}]" + (f", {year.unscored_rt} RT unscored" if year.unscored_rt else ""),
            file=out,
        )
        for reduction in (year.reduction_own, year.reduction_sk):
            if reduction is not None and year.tahun != report.baseline_year:
                pct = "-" if reduction.percent is None else f"{reduction.percent:.2f} %"
                print(
                    f"    reduction {_ha(reduction.ha)} = {pct} of {reduction.base_label}"
                    f" ({_ha(reduction.base_ha)})",
                    file=out,
                )
    return 0
