"""The RT survey's XLSForm download (issue 11 §3): the form for ODK Collect/KoboCollect with the
region's stored locations and RTs as choices; its submissions come back by
``sikumuh import odk``."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikumuh.io.rt_survey_form import form_id, region_rt_choices, write_rt_survey
from sikumuh.web.scoping import login_required, region_or_404
from sikumuh.web.views.rtdata import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def survey_xlsform(request: HttpRequest, code: str) -> HttpResponse:
    """``/wilayah/<code>/data-rt/formulir-odk.xlsx`` (``?tahun=``, by default the year after the
    latest data); back to the RT table with a message when the region has no RT yet."""
    region = region_or_404(request, code)
    tahun = selectors.requested_year(request.GET.get("tahun"), code)
    if tahun is None:
        raise Http404("year outside 2000–2100")
    rts = region_rt_choices(code)
    if not rts:
        messages.warning(request, _("No RT is stored here yet: import or enter the RTs first."))
        return redirect("web:rt_data", code=code)
    buffer = io.BytesIO()
    name = region.name if region is not None else code
    write_rt_survey(buffer, region_code=code, region_name=name, tahun=tahun, rts=rts)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form_id(code, tahun)}.xlsx"'
    return response
