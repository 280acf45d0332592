"""The planner as a job (criteria.md §10): the same builder as `sikumuh plan`, for a kabupaten
whose RTs are too many to plan within a web request (the planner page runs small ones in the
request, through the same function, so both give one result).

``params``: ``tahun``, ``budget`` (rupiah), ``costs`` (criterion → rupiah per unit, as exact
strings) and ``status`` (all or approved). The result holds the report (as the command's JSON,
Decimals as strings), the plan's rows of an investment file (status rencana), so that the
page shows and exports the plan without planning again, and the page's address (the job's
page links to it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.investments.plans import json_safe, plan_report
from sikumuh.io.unit_costs import plan_investment_rows
from sikumuh.jobs.kinds.base import Outcome, Reporter, register
from sikumuh.jobs.models import Job

KIND = "plan"
#: Where the investment file's volume (a Decimal) sits in its row.
VOLUME_COLUMN = 5


def _cell(value: Any) -> Any:
    return f"{value:f}" if isinstance(value, Decimal) else value


def compute(job: Job, progress: Reporter | None = None) -> dict[str, Any]:
    """The job's result from its params (also run in the request for a small kabupaten)."""
    params = job.params
    tahun = int(params["tahun"])
    costs = {code: Decimal(str(cost)) for code, cost in params["costs"].items()}
    if progress is not None:
        progress(0, 1, _("Finding the cheapest works for every slum RT…"))
    plan, report = plan_report(
        job.region_code, tahun, int(params["budget"]), costs, status=str(params["status"])
    )
    rows = [[_cell(v) for v in row] for row in plan_investment_rows(plan, tahun)]
    if progress is not None:
        progress(1, 1, _("Plan ready."))
    page = reverse("web:investment_plan", kwargs={"code": job.region_code})
    return {"report": json_safe(report), "rows": rows, "plan_url": f"{page}?tugas={job.pk}"}


def export_rows(result: dict[str, Any]) -> list[list[Any]]:
    """The stored rows with their volumes as Decimals again (numbers in the file)."""
    rows = []
    for row in result.get("rows", []):
        cells = list(row)
        cells[VOLUME_COLUMN] = Decimal(str(cells[VOLUME_COLUMN]))
        rows.append(cells)
    return rows


@register(KIND, gettext_lazy("Investment plan"))
def run(job: Job, progress: Reporter) -> Outcome:
    return compute(job, progress)
