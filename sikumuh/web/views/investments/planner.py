"""The planner page of a kabupaten/kota (criteria.md §10, issue 10 §3): what to fund to graduate
the most slum hectares for a budget, as `sikumuh plan` answers it.

Who: every role that may view the kabupaten runs plans (a plan stores nothing but the job that
computed it); only its administrators and editors save the unit costs (audited), the others
read them and may try other costs in a plan without saving. The tool weighs the whole
kabupaten, so it exists for a kabupaten/kota only (other levels: 404) and, like the kabupaten's
figures, is out of the scope of a facilitator of one desa (404).

How: a plan is a job (``sikumuh.jobs``, kind ``plan``) whatever its size, so that its result is
kept for the page, the map and the export. A kabupaten of at most :data:`INLINE_MAX_RTS` RTs is
planned inside the request (a second or two); a larger one is queued, and the page polls the
job's progress with htmx, then draws itself again with the plan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.investments.plans import from_json
from sikumuh.investments.unit_costs import (
    costs_of,
    priced_criteria,
    reset_unit_costs,
    save_unit_costs,
)
from sikumuh.io.tables import FORMATS
from sikumuh.io.unit_costs import INVESTMENT_COLUMNS
from sikumuh.jobs.actions import run_job_here, start_job
from sikumuh.jobs.kinds.planning import KIND, export_rows
from sikumuh.jobs.models import Job
from sikumuh.jobs.selectors import visible_jobs
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys import dashboard as dashboard_selectors
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.views.dashboard.region import location_features
from sikumuh.web.views.exports import table_response
from sikumuh.web.views.investments.plan_form import PlanForm, initial_from

#: Up to this many RTs in the kabupaten, a plan runs in the request (the bench: 2,000 RTs take
#: 2–4 s on a loaded 2-core machine, so a few hundred take well under a second).
INLINE_MAX_RTS = 600
BILLION = Decimal(1_000_000_000)
#: Decimals shown of a reduction, by unit: the action steps of criteria.md §10.
UNIT_PLACES = {"m": 2, "ha": 4}


def kabupaten_or_404(request: HttpRequest, code: str) -> Region:
    region = region_or_404(request, code)
    if region is None or region.level != Level.KABUPATEN:
        raise Http404("the planner is for a kabupaten/kota")
    return region


def _job_or_404(request: HttpRequest, code: str, raw: str | None) -> Job | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise Http404("no such plan")
    job = visible_jobs(request.user).filter(pk=int(raw), kind=KIND, region_code=code).first()
    if job is None:
        raise Http404("no such plan")
    return job


def _page_url(code: str, job: Job | None = None) -> str:
    url = reverse("web:investment_plan", kwargs={"code": code})
    return f"{url}?tugas={job.pk}" if job is not None else url


def _run(request: HttpRequest, code: str, params: dict[str, Any]) -> Job:
    """Plan in the request for a small kabupaten, else queue the job."""
    rts = RtUnit.objects.filter(desa__pk__startswith=f"{code}.").count()
    start = run_job_here if rts <= INLINE_MAX_RTS else start_job
    return start(
        actor=Actor.of(request.user),
        kind=KIND,
        region_code=code,
        params=params,
        language=translation.get_language() or "id",
    )


def _per_billion(ha: Decimal, cost: int) -> Decimal | None:
    return None if not cost else ha * BILLION / cost


def _result(code: str, job: Job) -> dict[str, Any] | None:
    """What the page shows of a finished plan: its report, names, figures and map."""
    if job.status != Job.Status.SUCCEEDED or not isinstance(job.result, dict):
        return None
    report = from_json(job.result["report"])
    desa_names = dict(
        Region.objects.filter(code__in={r["kode_desa"] for r in report["rts"]}).values_list(
            "code", "name"
        )
    )
    locations = {
        loc.code: loc
        for loc in Location.objects.filter(kabupaten_id=code).only("id", "code", "name")
    }
    units = {code: c.unit for code, c in priced_criteria().items()}
    per_location: dict[str, list[dict[str, Any]]] = {}
    for row in report["rts"]:
        for action in row["actions"]:
            unit = units.get(action["kriteria"], "")
            action["unit"], action["places"] = unit, UNIT_PLACES.get(unit, 0)
        row["desa_name"] = desa_names.get(row["kode_desa"], "")
        row["location"] = locations.get(row["lokasi"])
        row["cost"] = sum(a["biaya"] for a in row["actions"])
        per_location.setdefault(row["lokasi"], []).append(row)
    return {
        "report": report,
        "per_billion": _per_billion(report["graduated_ha"], report["cost"]),
        "greedy_per_billion": _per_billion(report["greedy_graduated_ha"], report["greedy_cost"]),
        "gain_ha": report["graduated_ha"] - report["greedy_graduated_ha"],
        "features": _plan_features(code, report["tahun"], per_location),
    }


def _plan_features(
    code: str, tahun: int, per_location: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The dashboard's location features, marked where the plan acts (the map outlines those)."""
    features = location_features(code, tahun)
    for feature in features:
        props = feature["properties"]
        rows = per_location.get(props["code"], [])
        props["planned"] = bool(rows)
        if rows:
            props["plan_note"] = ngettext(
                "%(n)d RT in the plan", "%(n)d RTs in the plan", len(rows)
            ) % {"n": len(rows)}
    return {"type": "FeatureCollection", "features": features}


def _context(
    request: HttpRequest, region: Region, form: PlanForm, job: Job | None
) -> dict[str, Any]:
    code = region.code
    table = costs_of(code)
    return {
        "region": region,
        "region_code": code,
        "form": form,
        "job": job,
        "poll_url": _page_url(code, job) if job is not None else "",
        "plan": _result(code, job) if job is not None else None,
        "costs_default": table.is_default,
        "can_save_costs": scope_of(request).can_edit(code),
    }


@require_http_methods(["GET", "POST"])
@login_required
def investment_plan(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form (with the kabupaten's unit costs) and, with ``?tugas=<job>``, that plan
    (its progress while it runs: htmx polls this page). POST: plan, then show the plan."""
    region = kabupaten_or_404(request, code)
    if request.method == "POST" and request.POST.get("save_costs"):
        return _save_costs(request, region)
    if request.method == "POST":
        form = PlanForm(request.POST, region_code=code)
        if form.is_valid():
            started = _run(request, code, form.params())
            return redirect(_page_url(code, started))
        return render(
            request,
            "web/investments/plan.html",
            _context(request, region, form, None),
            status=422,
        )
    job = _job_or_404(request, code, request.GET.get("tugas"))
    if job is not None and request.headers.get("HX-Request"):
        if job.finished:
            return HttpResponse(headers={"HX-Refresh": "true"})
        status = {"job": job, "poll_url": _page_url(code, job)}
        return render(request, "web/jobs/_status.html", status)
    if job is not None:
        params = job.params
        costs = {k: Decimal(str(v)) for k, v in params["costs"].items()}
        initial = initial_from(int(params["tahun"]), costs, str(params["budget"]))
        initial["status"] = params.get("status", "all")
        initial["budget"] = f"{int(params['budget']):,}".replace(",", ".")
    else:
        initial = initial_from(dashboard_selectors.latest_year(code), costs_of(code).costs)
    form = PlanForm(initial=initial)
    return render(request, "web/investments/plan.html", _context(request, region, form, job))


@require_POST
@login_required
def investment_plan_costs(request: HttpRequest, code: str) -> HttpResponse:
    """Save the table of unit costs as the kabupaten's (or, with ``reset``, go back to the
    default table). Administrators and editors of the kabupaten only (others: 403). The page's
    own "save" button posts to the planner's URL (:func:`investment_plan`), so that a refused
    table is shown there; a table refused here is said on the planner's page too."""
    region = kabupaten_or_404(request, code)
    if request.POST.get("reset"):
        require_edit(request, code)
        if reset_unit_costs(actor=Actor.of(request.user), region=region):
            messages.success(request, _("The default unit costs apply again."))
        else:
            messages.info(request, _("The default unit costs were in use already."))
        return redirect(_page_url(code))
    response = _save_costs(request, region)
    if response.status_code == 422:
        messages.error(request, _("The unit costs were not saved: correct the marked costs."))
        return redirect(_page_url(code))
    return response


def _save_costs(request: HttpRequest, region: Region) -> HttpResponse:
    """Save the posted unit costs (the year and the budget are not needed), then back to the
    planner; a refused table is drawn again with its errors (422)."""
    code = region.code
    require_edit(request, code)
    form = PlanForm(request.POST, region_code=code, costs_only=True)
    if not form.is_valid():
        context = _context(request, region, form, None)
        return render(request, "web/investments/plan.html", context, status=422)
    actor = Actor.of(request.user)
    changed = save_unit_costs(actor=actor, region=region, costs=form.cleaned_data["costs"])
    messages.success(request, _("Unit costs saved.") if changed else _("Nothing changed."))
    return redirect(_page_url(code))


@require_GET
@login_required
def investment_plan_export(request: HttpRequest, code: str, job: int, fmt: str) -> HttpResponseBase:
    """The plan as an investment file (status rencana), CSV or XLSX, that the import takes."""
    kabupaten_or_404(request, code)
    found = _job_or_404(request, code, str(job))
    if fmt not in FORMATS or found is None or not isinstance(found.result, dict):
        raise Http404("no such plan file")
    # Named after the works' year, which its rows hold (the year after the figures planned
    # from: `io.unit_costs.plan_investment_rows`).
    name = f"sikumuh-rencana-{code}-{int(found.params['tahun']) + 1}"
    return table_response(INVESTMENT_COLUMNS, export_rows(found.result), fmt, name)
