"""Uploading a delineation file: check it, show every problem, save it only when confirmed.

One POST endpoint, three steps of the same form:

1. with a file: the file is kept as a pending upload (nothing in the database) and checked;
2. with the pending upload's id and ``action=check``: checked again with other options (another
   match field, a CRS for a file without one, swapped coordinates swapped back);
3. with the id and ``action=confirm``: checked once more and saved, all or nothing
   (`sikumuh.io.geo.delineation.import_geometries`), then the pending upload is removed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED, READY
from sikumuh.io.geo import ACCEPT
from sikumuh.io.geo.delineation import GeometryReport, check_geometries, import_geometries
from sikumuh.regions.models import Region
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.views.delineation import pending
from sikumuh.web.views.delineation.labels import analysis_map
from sikumuh.web.views.delineation.pages import can_upload

#: Problems listed on the page (the rest are counted): a whole kabupaten's file stays readable.
MAX_LISTED = 500


class UploadForm(forms.Form):
    file = forms.FileField(required=False, label=gettext_lazy("File"))
    upload_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    match_field = forms.CharField(
        required=False, max_length=100, label=gettext_lazy("Attribute holding the location")
    )
    source_crs = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("CRS, if the file does not say")
    )
    fix_swapped = forms.BooleanField(
        required=False,
        label=gettext_lazy("Swap latitude and longitude back where they look swapped"),
    )
    note = forms.CharField(required=False, max_length=1000, label=gettext_lazy("Note"))
    action = forms.ChoiceField(required=False, choices=[("check", "check"), ("confirm", "confirm")])


@require_POST
@login_required
def delineation_upload(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    require_edit(request, code)
    if region is None or not can_upload(request, region):
        raise Http404("uploads are taken on a kabupaten, kecamatan or desa page")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, region, form.errors.as_text())
    data = form.cleaned_data
    user_id = int(request.user.pk or 0)  # signed in: never 0
    if data["file"] is not None:
        try:
            upload = pending.store(data["file"], user_id=user_id, region_code=code)
        except pending.UploadRefused as exc:
            reason = (
                _("the file must be one of %(formats)s") % {"formats": ACCEPT}
                if exc.reason == "type"
                else _("the file is larger than %(mb)d MB") % {"mb": pending.MAX_BYTES // 2**20}
            )
            return _refused(request, region, f"{exc.file_name}: {reason}")
        action = "check"
    elif data["upload_id"] is not None:
        found = pending.load(str(data["upload_id"]), user_id=user_id, region_code=code)
        if found is None:
            raise Http404("no such pending upload")
        upload, action = found, data["action"] or "check"
    else:
        return _refused(request, region, _("Choose a file to upload."))

    options: dict[str, Any] = {
        "file": upload.path,
        "file_name": upload.file_name,
        "region": region,
        "match_field": data["match_field"].strip() or None,
        "source_crs": data["source_crs"].strip() or None,
        "fix_swapped": data["fix_swapped"],
        "may_edit": scope_of(request).can_edit,
    }
    if action != "confirm":
        return _report(request, region, upload, check_geometries(**options), data)
    report = import_geometries(actor=Actor.of(request.user), note=data["note"], **options)
    if report.status != COMMITTED:
        return _report(request, region, upload, report, data)
    pending.discard(upload)
    messages.success(
        request,
        _("%(n)d polygons from %(file)s saved as new versions.")
        % {"n": report.created, "file": upload.file_name},
    )
    return redirect("web:delineation", code=code)


def _refused(request: HttpRequest, region: Region, reason: str) -> HttpResponse:
    return render(
        request,
        "web/delineation/report.html",
        {"region": region, "region_code": region.code, "refused": reason, "accept": ACCEPT},
        status=400,
    )


def _report(
    request: HttpRequest,
    region: Region,
    upload: pending.PendingUpload,
    report: GeometryReport,
    data: dict[str, Any],
) -> HttpResponse:
    analysis = report.preview
    # In the file's order, feature by feature (an unreadable file has its one error).
    problems = analysis.problems if analysis else report.errors
    return render(
        request,
        "web/delineation/report.html",
        {
            "region": region,
            "region_code": region.code,
            "upload": upload,
            "analysis": analysis,
            "problems": problems[:MAX_LISTED],
            "problems_total": len(problems),
            "errors": len(report.errors),
            "ok": report.status == READY,
            "swapped_unfixed": bool(analysis and analysis.swapped and not analysis.fix_swapped),
            "match_field": analysis.match_field if analysis else data["match_field"],
            "fields": analysis.file.fields if analysis else [],
            "source_crs": data["source_crs"],
            "fix_swapped": data["fix_swapped"],
            "note": data["note"],
            "map_data": analysis_map(analysis) if analysis else None,
        },
    )
