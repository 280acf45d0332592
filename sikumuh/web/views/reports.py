"""The reports page of a region and the report requests (PDF, XLSX).

A report takes seconds to draw, so a request (POST) starts a job (``sikumuh.jobs``) and answers
with the job's page, which shows its progress and then the file. Every request is scoped like the
page it comes from: the region (or the location's desa) must be in the reader's scope, else 404.
The reports only read, so every role that may view a region may ask for its reports. The
kabupaten's SK total — and the reductions measured against it — are left out of a region's
*Laporan Pengurangan* for a reader who may not see the kabupaten (a facilitator of one desa), as
on the dashboard. Reports are rendered in the page's language
(Bahasa Indonesia unless the user chose English).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.jobs.actions import start_job
from sikumuh.jobs.kinds.reports import KIND as REPORT_JOB
from sikumuh.regions.codes import NATIONAL, location_inside, valid_year
from sikumuh.regions.models import Level, level_of
from sikumuh.reports.common import region_title
from sikumuh.reports.render import FORMATS
from sikumuh.reports.uji_petik_data import available_years, data_years, sampled_years
from sikumuh.slums.models import Location
from sikumuh.surveys.asof import ALL, APPROVED
from sikumuh.web.scoping import login_required, region_or_404, scope_of


def _start(request: HttpRequest, region_code: str, **params: Any) -> HttpResponse:
    """Start the report's job (in the page's language) and show its page. Official figures
    (approved data) unless the form asks to include unapproved data: then DRAF (criteria.md §9)."""
    status = ALL if request.POST.get("status") == ALL else APPROVED
    job = start_job(
        actor=Actor.of(request.user),
        kind=REPORT_JOB,
        region_code=region_code,
        params={**params, "status": status},
        language=translation.get_language() or "id",
    )
    if request.headers.get("HX-Request"):
        # Asked from the reports page (htmx): its progress, polled, then the download, in place.
        return render(request, "web/jobs/_status.html", {"job": job, "label": _("Report")})
    return redirect("web:job", pk=job.pk)


def _format_or_404(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("no such format")
    return fmt


def _level(code: str) -> int:
    return 0 if code == NATIONAL else level_of(code)


@require_GET
@login_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    level = _level(code)
    include_draft = request.GET.get("status") == ALL
    locations = []
    if level >= Level.KABUPATEN:
        # Every location inside a region the reader may view is in their scope.
        locations = list(
            Location.objects.filter(location_inside(code))
            .select_related("desa")
            .defer("polygon")
            .order_by("code")
        )
    return render(
        request,
        "web/reports/index.html",
        {
            "region": region,
            "region_code": code,
            "title": region_title(region),
            "formats": FORMATS,
            # Only the periods with data: the years with RT data for the Laporan Pengurangan,
            # the years an uji petik sampled for the Laporan Uji Petik.
            "data_years": data_years(code, ALL if include_draft else APPROVED),
            "uji_petik_years": sampled_years(code) if level == Level.KABUPATEN else None,
            "locations": locations,
            "show_locations": level >= Level.KABUPATEN,
            "include_draft": include_draft,
        },
    )


@require_POST
@login_required
def pengurangan(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    region_or_404(request, code)
    fmt = _format_or_404(fmt)
    # The SK total is the kabupaten's (criteria.md §5): shown to readers of the kabupaten only.
    show_sk_base = _level(code) < Level.KABUPATEN or scope_of(request).can_view(code[:5])
    # The period's last year (``sampai``), one with data; the latest is the whole series.
    until = valid_year(request.POST.get("sampai") or "")
    if until is not None:
        years = data_years(code)
        if until not in years:
            raise Http404("no data that year")
        if until == years[-1]:
            until = None
    return _start(
        request,
        code,
        report="pengurangan",
        code=code,
        fmt=fmt,
        show_sk_base=show_sk_base,
        **({"until": until} if until else {}),
    )


@require_POST
@login_required
def uji_petik(request: HttpRequest, code: str, tahun: int, fmt: str) -> HttpResponse:
    region = region_or_404(request, code)
    fmt = _format_or_404(fmt)
    if region is None or region.level != Level.KABUPATEN or tahun not in available_years(code):
        raise Http404("no uji petik report here")
    return _start(request, code, report="uji_petik", code=code, tahun=tahun, fmt=fmt)


@require_POST
@login_required
def uji_petik_chosen(request: HttpRequest, code: str) -> HttpResponse:
    """The Laporan Uji Petik of the year and format chosen in the page's form."""
    tahun = valid_year(request.POST.get("tahun") or "")
    if tahun is None:
        raise Http404("no year")
    return uji_petik(request, code, tahun, request.POST.get("fmt") or "")


@require_POST
@login_required
def profil(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fmt = _format_or_404(fmt)
    location = Location.objects.filter(pk=pk).only("desa_id", "kabupaten_id").first()
    region_code = None if location is None else location.desa_id or location.kabupaten_id
    if region_code is None or not scope_of(request).can_view(region_code):
        raise Http404("location not found")
    return _start(request, region_code, report="profil", location=pk, fmt=fmt)
