"""Review and yearly lock of RT data, and the region's audit log.

Facilitators submit a desa-year ("Ajukan"), the Pokja approves ("Setujui") or returns it with a
comment ("Kembalikan"); the kabupaten's administrator locks an approved year ("Kunci tahun") and
unlocks it with a reason ("Buka kunci"), and may rebuild its location summaries in a job
("Hitung ulang ringkasan", issue 9). The rules live in `sikumuh.surveys.review`; the views only
check the scope (404 outside, 403 for a role that may not act) and report the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.audit.selectors import LogFilter, actions_in_region, history_for_region
from sikumuh.jobs.kinds.summaries import start_rebuild
from sikumuh.regions.codes import valid_year
from sikumuh.regions.models import Level, Region
from sikumuh.surveys import review as workflow
from sikumuh.surveys.review_selectors import attach_changes, review_overview
from sikumuh.web.audit_rows import rows_of
from sikumuh.web.crumbs import region_crumbs, regions_above
from sikumuh.web.scoping import (
    login_required,
    region_or_404,
    require_edit,
    require_review,
    scope_of,
)
from sikumuh.web.tables import Column, RegionChoices, TableQuery, TableSpec, region_choices

LOG_PAGE_SIZE = 50


@require_GET
@login_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    scope = scope_of(request)
    years = review_overview(code)
    attach_changes(code, years)
    desa = {row.desa_code for block in years for row in block.rows}
    kabupaten = {k for block in years for k in block.kabupaten_codes}
    return render(
        request,
        "web/review/review.html",
        {
            "region": region,
            "region_code": code,
            "crumbs": region_crumbs(
                request, regions_above(request, code), "web:review", national=False
            ),
            "years": years,
            # What the reader may do where: the buttons shown (the endpoints check again).
            "may_submit": {d for d in desa if scope.can_edit(d)},
            "may_review": {d for d in desa if scope.can_review(d)},
            "may_lock": {k for k in kabupaten if scope.can_admin(k)},
            "may_rebuild": region is not None
            and region.level == Level.KABUPATEN
            and scope.can_admin(code),
            "here": request.get_full_path(),
        },
    )


# --- POST endpoints ----------------------------------------------------------------------------


def _back(request: HttpRequest, code: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:review", kwargs={"code": code})
    return redirect(target)


def _tahun(request: HttpRequest) -> int | None:
    return valid_year(request.POST.get("tahun", ""))


def _region_at(request: HttpRequest, code: str, level: int) -> Region:
    region = region_or_404(request, code)
    if region is None or region.level != level:
        raise Http404("not a region of that level")
    return region


def _require_admin(request: HttpRequest, code: str) -> None:
    scope = scope_of(request)
    if not scope.can_view(code):
        raise Http404("not found")
    if not scope.can_admin(code):
        raise PermissionDenied("not an administrator here")


def _run(request: HttpRequest, code: str, step: Callable[[], object], done: str) -> HttpResponse:
    try:
        step()
    except workflow.ReviewError as exc:
        messages.error(request, _("Not done: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, done)
    return _back(request, code)


@require_POST
@login_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    desa = _region_at(request, code, Level.DESA)
    require_edit(request, code)
    tahun = _tahun(request)
    if tahun is None:
        return HttpResponseBadRequest("tahun")
    actor = Actor.of(request.user)
    return _run(
        request,
        code,
        lambda: workflow.submit_desa_year(actor=actor, desa=desa, tahun=tahun),
        _("%(desa)s %(tahun)s submitted to the Pokja.") % {"desa": desa.name, "tahun": tahun},
    )


@require_POST
@login_required
def approve(request: HttpRequest, code: str) -> HttpResponse:
    desa = _region_at(request, code, Level.DESA)
    require_review(request, code)
    tahun = _tahun(request)
    if tahun is None:
        return HttpResponseBadRequest("tahun")
    actor = Actor.of(request.user)
    comment = request.POST.get("comment", "")
    return _run(
        request,
        code,
        lambda: workflow.approve_desa_year(actor=actor, desa=desa, tahun=tahun, comment=comment),
        _("%(desa)s %(tahun)s approved.") % {"desa": desa.name, "tahun": tahun},
    )


@require_POST
@login_required
def return_(request: HttpRequest, code: str) -> HttpResponse:
    desa = _region_at(request, code, Level.DESA)
    require_review(request, code)
    tahun = _tahun(request)
    if tahun is None:
        return HttpResponseBadRequest("tahun")
    actor = Actor.of(request.user)
    comment = request.POST.get("comment", "")
    if not comment.strip():
        messages.error(request, _("Returning data needs a comment saying what to correct."))
        return _back(request, code)
    return _run(
        request,
        code,
        lambda: workflow.return_desa_year(actor=actor, desa=desa, tahun=tahun, comment=comment),
        _("%(desa)s %(tahun)s returned to the facilitator.") % {"desa": desa.name, "tahun": tahun},
    )


@require_POST
@login_required
def lock(request: HttpRequest, code: str) -> HttpResponse:
    kabupaten = _region_at(request, code, Level.KABUPATEN)
    _require_admin(request, code)
    tahun = _tahun(request)
    if tahun is None:
        return HttpResponseBadRequest("tahun")
    actor = Actor.of(request.user)
    note = request.POST.get("note", "")[:500]
    return _run(
        request,
        code,
        lambda: workflow.lock_year(actor=actor, kabupaten=kabupaten, tahun=tahun, note=note),
        _("Year %(tahun)s is locked.") % {"tahun": tahun},
    )


@require_POST
@login_required
def unlock(request: HttpRequest, code: str) -> HttpResponse:
    kabupaten = _region_at(request, code, Level.KABUPATEN)
    _require_admin(request, code)
    tahun = _tahun(request)
    if tahun is None:
        return HttpResponseBadRequest("tahun")
    actor = Actor.of(request.user)
    reason = request.POST.get("reason", "")
    if not reason.strip():
        messages.error(request, _("Unlocking a year needs a reason."))
        return _back(request, code)
    return _run(
        request,
        code,
        lambda: workflow.unlock_year(actor=actor, kabupaten=kabupaten, tahun=tahun, reason=reason),
        _("Year %(tahun)s is unlocked.") % {"tahun": tahun},
    )


@require_POST
@login_required
def rebuild_summaries(request: HttpRequest, code: str) -> HttpResponse:
    """Start the rebuild of this kabupaten/kota's location summaries (its administrators only)
    and show the job's page; one already waiting or running there is shown instead."""
    _region_at(request, code, Level.KABUPATEN)
    _require_admin(request, code)
    job = start_rebuild(actor=Actor.of(request.user), kabupaten=code)
    return redirect("web:job", pk=job.pk)


# --- The audit log -----------------------------------------------------------------------------


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


#: The audit log: searched in the object, the user and the action; filtered by the region the
#: entry was recorded in; newest first unless asked.
AUDIT_TABLE = TableSpec(
    columns=(
        Column("waktu", ("at",)),
        Column("pengguna", ("actor_label", "at")),
        Column("aksi", ("action", "at")),
    ),
    default_sort="-waktu",
    search=("object_repr", "actor_label", "action"),
    region_field="region_code",
    tie_break=("-id",),
    per_page=LOG_PAGE_SIZE,
)


def _desa_choices(region: Region | None) -> RegionChoices | None:
    """The kecamatan → desa filter of a kabupaten's or kecamatan's log (a national or provincial
    log would list thousands of desa; a desa's has nothing to choose)."""
    if region is None or region.level not in (Level.KABUPATEN, Level.KECAMATAN):
        return None
    return region_choices(
        Region.objects.filter(code__startswith=region.code + ".", level=Level.DESA).values("code")
    )


@require_GET
@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    within = scope_of(request).q("region_code")  # the entries the reader may see
    filters = LogFilter(
        action=request.GET.get("action", "").strip()[:64],
        user=request.GET.get("user", "").strip()[:150],
        since=_date(request.GET.get("since", "")),
        until=_date(request.GET.get("until", "")),
    )
    tq = TableQuery.from_query(request.GET, AUDIT_TABLE, code)
    entries = tq.apply(history_for_region(code, within=within, filters=filters))
    page = tq.paginate(entries)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/review/audit_log.html",
        {
            "region": region,
            "region_code": code,
            "crumbs": region_crumbs(
                request, regions_above(request, code), "web:audit_log", national=False
            ),
            "page": page,
            "rows": rows_of(list(page.object_list)),
            "filters": filters,
            "actions": actions_in_region(code, within=within),
            "tq": tq,
            "choices": _desa_choices(region),
            "query": query.urlencode(),
        },
    )
