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


def _ha(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f} ha"


def _coverage(coverage: Coverage) -> str:
    """One line: RTs observed in the year, carried (from which years), complete or not."""
    carried = ", ".join(f"{n} from {y}" for y, n in coverage.carried.items())
    state = "complete" if coverage.complete else "provisional"
    return f"{state}: {coverage.observed} of {coverage.total} RT observed" + (
        f", carried {carried}" if carried else ""
    )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region
    from sikumuh.surveys.selectors import slum_area

    code = args.region.strip()
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise base.CommandError(f"unknown region code {code!r}")
    report = slum_area(code, status=args.status)
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
        print(f"    {_coverage(year.coverage)}", file=out)
        for reduction in (year.reduction_own, year.reduction_sk):
            if reduction is not None and year.tahun != report.baseline_year:
                pct = "-" if reduction.percent is None else f"{reduction.percent:.2f} %"
                print(
                    f"    reduction {_ha(reduction.ha)} = {pct} of {reduction.base_label}"
                    f" ({_ha(reduction.base_ha)})",
                    file=out,
                )
    return 0
