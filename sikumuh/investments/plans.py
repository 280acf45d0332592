"""A plan as `sikumuh plan --format json` prints it and the planner page shows it (criteria.md
§10): one builder, so that the page and the command cannot disagree.

:func:`plan_report` loads the region's RT figures as of the year, runs the planner and returns the
:class:`~sikumuh.core.planning.Plan` with its report (Decimals and ints, as the command dumps them).
:func:`json_safe` turns a report into what a job's JSON result holds (Decimals as strings) and
:func:`from_json` back. Each RT row also carries ``rt_id`` (the RtUnit's key, for the page's
link to the RT): internal, so :func:`public` takes it out of what the command prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.planning import Plan, PlannedRt, make_plan
from sikumuh.investments.planning_data import data_years, rt_units_as_of

#: The report's fields that hold Decimals (top level, per RT, per action).
DECIMAL_FIELDS = ("graduated_ha", "greedy_graduated_ha")
RT_DECIMAL_FIELDS = ("luas_ha",)
ACTION_DECIMAL_FIELDS = ("volume",)
#: Per-RT fields for the page only, not part of the command's documented JSON.
INTERNAL_RT_FIELDS = ("rt_id",)


def planned_row(planned: PlannedRt) -> dict[str, Any]:
    figures, graduation = planned.figures, planned.graduation
    return {
        "rt_id": figures.key,
        "kode_desa": figures.kode_desa,
        "lokasi": figures.lokasi,
        "rt": figures.rt,
        "luas_ha": figures.luas_ha,
        "total_before": graduation.total_before,
        "total_after": graduation.total_after,
        "actions": [
            {"kriteria": a.code, "volume": a.reduction, "biaya": a.cost} for a in graduation.actions
        ],
    }


def year_problem(region_code: str, tahun: int, status: str = "all") -> str | None:
    """Why a plan cannot be made on the RT data of ``tahun`` (no RT data of that year, naming
    the years that have some), or None. The page's form and `sikumuh plan` both ask here: a
    plan headed "RT data of 2030" computed on 2021's figures would mislead."""
    years = data_years(region_code, status)
    if tahun in years:
        return None
    if not years:
        return _("There are no RT data in this region to plan on.")
    listed = ", ".join(str(y) for y in years)
    return _("There are no RT data for %(tahun)d; years with RT data: %(years)s.") % {
        "tahun": tahun,
        "years": listed,
    }


def plan_report(
    region_code: str,
    tahun: int,
    budget: int,
    costs: Mapping[str, Decimal],
    *,
    status: str = "all",
    time_limit: float | None = None,
) -> tuple[Plan, dict[str, Any]]:
    """The plan for ``region_code`` (RT figures as of ``tahun``, ``status`` all or approved)
    within ``budget`` rupiah at ``costs``, and its report."""
    units = rt_units_as_of(region_code, tahun, status)
    plan = make_plan(units, costs, budget, time_limit=time_limit)
    report = {
        "region": region_code,
        "tahun": tahun,
        "budget": budget,
        "cost": plan.cost,
        "graduated_ha": plan.graduated_ha,
        "greedy_cost": plan.greedy_cost,
        "greedy_graduated_ha": plan.greedy_graduated_ha,
        "optimal": plan.optimal,
        "slum_rts": plan.slum_rts,
        "graduable_rts": plan.graduable,
        "rts": [planned_row(p) for p in plan.rts],
    }
    return plan, report


def public(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report as the command prints it: without the internal per-RT fields."""
    rts = [{k: v for k, v in rt.items() if k not in INTERNAL_RT_FIELDS} for rt in report["rts"]]
    return {**report, "rts": rts}


def _convert(row: Mapping[str, Any], fields: tuple[str, ...], to: Any) -> dict[str, Any]:
    return {k: (to(v) if k in fields and v is not None else v) for k, v in row.items()}


def _recode(report: Mapping[str, Any], to: Any) -> dict[str, Any]:
    top = _convert(report, DECIMAL_FIELDS, to)
    top["rts"] = [
        {
            **_convert(rt, RT_DECIMAL_FIELDS, to),
            "actions": [_convert(a, ACTION_DECIMAL_FIELDS, to) for a in rt["actions"]],
        }
        for rt in report["rts"]
    ]
    return top


def json_safe(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report with its Decimals as exact strings (a JSONField stores no Decimal)."""
    return _recode(report, lambda v: f"{v:f}")


def from_json(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report as :func:`plan_report` made it, from :func:`json_safe`'s form."""
    return _recode(report, Decimal)
