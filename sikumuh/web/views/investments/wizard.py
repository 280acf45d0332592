"""The import wizard of investment files (upload → full report → confirm), the RT data wizard's
steps (`web.views.rtdata.wizard`) on its staging, with the investment file as their format
(`io.wizard.formats.INVESTMENTS`): a facilitator's rows of another desa are left out
(`io.wizard.validation.within_scope`). The review is a dry run of `import_investment_file`, the
confirmation its ordinary all-or-nothing commit (or "skip the invalid rows"). A CSV small
enough (`io.wizard.validation.inline`) is checked and stored in the request, and its run shown
on the shared import-run page; any other file (every XLSX) is checked and stored by jobs whose
progress the review page and the job page show (issue 9)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.io.wizard.formats import INVESTMENTS
from sikumuh.jobs.kinds.imports import urls
from sikumuh.web.scoping import login_required, region_or_404, require_edit
from sikumuh.web.views.rtdata.wizard import accept, confirm_step, review_step

REVIEW = "web/investments/import_review.html"


@require_http_methods(["GET", "POST"])
@login_required
def investment_import(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: upload an investment file (CSV or XLSX, docs/investments.md)."""
    region = region_or_404(request, code)
    require_edit(request, code)
    error = ""
    if request.method == "POST":
        upload, error = accept(request, code, INVESTMENTS)
        if upload is not None:
            return redirect(urls(INVESTMENTS, code, upload.id)["review"])
    context = {"region_code": code, "region": region, "error": error}
    return render(request, "web/investments/import.html", context, status=422 if error else 200)


@require_GET
@login_required
def investment_import_review(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 2: the check's progress while its job runs, then every problem and what a commit
    would do. Nothing is stored."""
    return review_step(request, code, upload, INVESTMENTS, REVIEW)


@require_POST
@login_required
def investment_import_confirm(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 3: store (all or nothing, unless "skip the invalid rows"): the run, or the job."""
    return confirm_step(request, code, upload, INVESTMENTS, inline=True)
