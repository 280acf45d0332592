"""`sikumuh projection` (kumuh akhir from a base year, criteria.md §7) and `sikumuh plan` (what to
fund to graduate the most slum hectares, criteria.md §10). Messages in the active language
(Indonesian by default), each problem on one line naming file, row, column and value."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base

_STATUS_HELP = "count all data (working view) or approved data only (official)"


def add_parser(sub: Any) -> None:
    projection = sub.add_parser("projection", help="kumuh akhir: RTs projected after investments")
    projection.add_argument("--region", required=True, help="Kemendagri code (ID: all)")
    projection.add_argument("--base-year", required=True, type=int, help="RT figures as of Y")
    projection.add_argument("--until", required=True, type=int, help="investments up to Z")
    projection.add_argument(
        "--status", choices=["all", "approved"], default="all", help=_STATUS_HELP
    )
    projection.add_argument("--format", choices=["text", "json"], default="text")
    projection.set_defaults(run=run_projection)

    plan = sub.add_parser("plan", help="which works graduate the most slum ha for a budget")
    plan.add_argument("--region", required=True, help="Kemendagri code (ID: all)")
    plan.add_argument("--tahun", required=True, type=int, help="RT figures as of this year")
    plan.add_argument("--budget", required=True, help="rupiah, e.g. 5000000000 or 5.000.000.000")
    plan.add_argument("--unit-costs", required=True, type=Path, help="CSV/XLSX unit-cost table")
    plan.add_argument("--status", choices=["all", "approved"], default="all", help=_STATUS_HELP)
    plan.add_argument("--time-limit", type=float, help="seconds for the solver (default: none)")
    plan.add_argument("--export-investments", type=Path, help="write the plan as .csv/.xlsx")
    plan.add_argument("--format", choices=["text", "json"], default="text")
    plan.set_defaults(run=run_plan)


def _region(code: str) -> str:
    from django.utils.translation import gettext as _

    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region

    code = code.strip()
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise base.CommandError(_("unknown region code: %(code)s") % {"code": code})
    return code


def _year(value: int, option: str) -> int:
    from django.utils.translation import gettext as _

    if not 2000 <= value <= 2100:
        message = _("%(option)s %(value)s: a year must be four digits, 2000–2100")
        raise base.CommandError(message % {"option": option, "value": value})
    return value


def run_projection(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.investments.projection import Place, projection_report

    code = _region(args.region)
    first, last = _year(args.base_year, "--base-year"), _year(args.until, "--until")
    if last < first:
        raise base.CommandError(_("--until must not be before --base-year"))
    # The same read as the dashboards' kumuh akhir panel: one figure, wherever it is shown.
    report = projection_report(Place(code), first, last, args.status).as_json()
    if args.format == "json":
        base.dump_json(report, out)
        return 0
    _print_projection(report, out)
    return 0


def _print_projection(report: dict[str, Any], out: TextIO) -> None:
    from django.utils.translation import gettext as _

    line = _(
        "%(region)s: slum area as of %(base)d %(measured).4f ha, projected after the "
        "investments up to %(until)d %(projected).4f ha (%(n)d RT investments counted)"
    )
    print(
        line
        % {
            "region": report["region"],
            "base": report["base_year"],
            "until": report["until"],
            "measured": report["measured_slum_ha"],
            "projected": report["projected_slum_ha"],
            "n": report["investments_counted"],
        },
        file=out,
    )
    if report["investments_location_level"]:
        note = _(
            "%(n)d investments recorded for a location but no RT count in money and output, "
            "not in the projection"
        )
        print(note % {"n": report["investments_location_level"]}, file=out)
    from sikumuh.core.criteria import SlumClass

    labels = {k.value: k.label_id for k in SlumClass} | {"unscored": _("unscored")}
    for klass, figures in report["by_class"].items():
        if figures["measured_rt"] or figures["projected_rt"]:
            print(
                _("  %(klass)s: %(m_ha).4f ha / %(m_rt)d RT → %(p_ha).4f ha / %(p_rt)d RT")
                % {
                    "klass": labels[klass],
                    "m_ha": figures["measured_ha"],
                    "m_rt": figures["measured_rt"],
                    "p_ha": figures["projected_ha"],
                    "p_rt": figures["projected_rt"],
                },
                file=out,
            )


def _budget(text: str) -> int:
    from django.utils.translation import gettext as _

    from sikumuh.io.unit_costs import parse_rupiah

    value = parse_rupiah(text)
    if value is None or value != value.to_integral_value():
        message = _("--budget %(value)s: a whole number of rupiah, 0 or more, is needed")
        raise base.CommandError(message % {"value": text})
    return int(value)


def _unit_costs(path: Path, err: TextIO) -> dict[str, Decimal]:
    from django.utils.translation import gettext as _

    from sikumuh.io.readers import ReaderError
    from sikumuh.io.sk_lampiran import problem_line
    from sikumuh.io.unit_costs import UnitCostError, read_unit_costs

    if not path.is_file():
        raise base.CommandError(_("%(file)s: no such file") % {"file": path.name})
    try:
        return read_unit_costs(path)
    except ReaderError as exc:
        raise base.CommandError(str(exc)) from exc
    except UnitCostError as exc:
        for problem in exc.problems:
            print(problem_line(problem), file=err)
        message = _("%(file)s: unit-cost table refused (%(n)d problems)")
        raise base.CommandError(message % {"file": path.name, "n": len(exc.problems)}) from exc


def run_plan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.investments.plans import plan_report, public, year_problem

    code = _region(args.region)
    tahun = _year(args.tahun, "--tahun")
    problem = year_problem(code, tahun, args.status)
    if problem is not None:
        raise base.CommandError(f"--tahun {tahun}: {problem}")
    budget = _budget(args.budget)
    costs = _unit_costs(args.unit_costs, err)
    plan, report = plan_report(
        code, tahun, budget, costs, status=args.status, time_limit=args.time_limit
    )
    if args.export_investments:
        _export(plan, tahun, args.export_investments, err)
    if args.format == "json":
        base.dump_json(public(report), out)
    else:
        _print_plan(report, out)
    return 0


def _export(plan: Any, tahun: int, path: Path, err: TextIO) -> None:
    from django.utils.translation import gettext as _

    from sikumuh.io.tables import write_table
    from sikumuh.io.unit_costs import INVESTMENT_COLUMNS, plan_investment_rows

    rows = plan_investment_rows(plan, tahun)
    try:
        if path.suffix.lower() == ".xlsx":
            count = write_table(INVESTMENT_COLUMNS, rows, path, "xlsx")
        else:
            with open(path, "w", encoding="utf-8", newline="") as text:
                count = write_table(INVESTMENT_COLUMNS, rows, text, "csv")
    except OSError as exc:
        message = _("cannot write %(file)s: check that its folder exists and may be written")
        raise base.CommandError(message % {"file": path.name}) from exc
    note = _("%(n)d planned investments written to %(file)s (status rencana)")
    print(note % {"n": count, "file": path.name}, file=err)


def _print_plan(report: dict[str, Any], out: TextIO) -> None:
    from django.utils.translation import gettext as _

    head = _(
        "%(region)s, RT figures as of %(tahun)d, budget Rp %(budget)s: %(n)d RTs graduate, "
        "%(ha).4f ha for Rp %(cost)s (greedy by ha per rupiah: %(g_ha).4f ha for Rp %(g_cost)s)"
    )
    print(
        head
        % {
            "region": report["region"],
            "tahun": report["tahun"],
            "budget": f"{report['budget']:,}".replace(",", "."),
            "n": len(report["rts"]),
            "ha": report["graduated_ha"],
            "cost": f"{report['cost']:,}".replace(",", "."),
            "g_ha": report["greedy_graduated_ha"],
            "g_cost": f"{report['greedy_cost']:,}".replace(",", "."),
        },
        file=out,
    )
    if not report["optimal"]:
        print(_("the solver stopped at its time limit: the plan may not be optimal"), file=out)
    for rt in report["rts"]:
        actions = ", ".join(
            f"{a['kriteria']} −{a['volume'].normalize():f} (Rp {a['biaya']:,})".replace(",", ".")
            for a in rt["actions"]
        )
        print(
            f"  {rt['kode_desa']} {rt['lokasi']} RT {rt['rt']} {rt['luas_ha']:.4f} ha: "
            f"{rt['total_before']} → {rt['total_after']}; {actions}",
            file=out,
        )
