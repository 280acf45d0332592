"""The import wizard for the files the field already has: an ODK Central / KoboToolbox export of
the RT survey form and a SIM KOTAKU export (`sikumuh.io.wizard.formats`). The same three steps
as the template's (upload → full report → confirm, `wizard`): a small file is checked in the
request, a large one in a job; the import itself always runs as a job. Editors of the region
only; a facilitator's rows of another desa are left out."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.io.wizard import uploads
from sikumuh.io.wizard.formats import FORMATS, TEMPLATE, ImportFormat
from sikumuh.jobs.kinds.imports import urls
from sikumuh.web.scoping import login_required, region_or_404, require_edit
from sikumuh.web.views.rtdata.wizard import accept, confirm_step, review_step


def format_or_404(slug: str) -> ImportFormat:
    """The format a URL names; 404 for the template (its own wizard's URLs) or an unknown one."""
    found = FORMATS.get(slug)
    if found is None or found is TEMPLATE:
        raise Http404("unknown import format")
    return found


@require_http_methods(["GET", "POST"])
@login_required
def foreign_import(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Step 1: upload an ODK/Kobo export (the CSV, or the ZIP with the photos) or a SIM KOTAKU
    layer (with its status layer and the format's check boxes: negative percentages as 0, kept
    with the upload so that its check and its import read the file alike)."""
    found = format_or_404(fmt)
    region = region_or_404(request, code)
    require_edit(request, code)
    error = ""
    if request.method == "POST":
        upload, error = accept(request, code, found)
        if upload is not None:
            return redirect(urls(found, code, upload.id)["review"])
    context = {
        "region_code": code,
        "region": region,
        "error": error,
        "format": found,
        "max_mb": uploads.MAX_BYTES // 2**20,
    }
    return render(request, "web/rtdata/foreign.html", context, status=422 if error else 200)


@require_GET
@login_required
def foreign_import_review(request: HttpRequest, code: str, fmt: str, upload: Any) -> HttpResponse:
    """Step 2: every problem and what a commit would do (`wizard.import_review`)."""
    return review_step(request, code, upload, format_or_404(fmt))


@require_POST
@login_required
def foreign_import_confirm(request: HttpRequest, code: str, fmt: str, upload: Any) -> HttpResponse:
    """Step 3: start the import job (`wizard.import_confirm`)."""
    return confirm_step(request, code, upload, format_or_404(fmt))
