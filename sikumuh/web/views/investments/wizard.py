"""The import wizard of investment files (upload → full report → confirm), on the RT data
wizard's staging (`io.staging` through `io.wizard.uploads`: only the uploader, in the same
region, uses an upload) and its scope rule (`io.wizard.validation.within_scope`: a
facilitator's rows of another desa are left out). The review is a dry run of
`import_investment_file`; the confirmation its ordinary all-or-nothing commit (or "skip the
invalid rows"); the run is then shown on the shared import-run page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, InvestmentRow, Problem
from sikumuh.io.investment_file import import_investment_file
from sikumuh.io.wizard import uploads
from sikumuh.io.wizard.validation import SHOWN, within_scope
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.views.rtdata.wizard import refused_upload


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk or 0)  # behind login_required: always a user


def _run(
    request: HttpRequest, upload: uploads.Upload, *, dry_run: bool, skip_invalid: bool = False
) -> ImportReport:
    scope = scope_of(request)

    def refuse(rows: list[InvestmentRow]) -> tuple[list[InvestmentRow], list[Problem]]:
        return within_scope(rows, scope)

    return import_investment_file(
        upload.path.read_bytes(),
        file_name=upload.file_name,
        region_code=upload.region_code,
        actor=Actor.of(request.user),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        refuse=refuse,
    )


@require_http_methods(["GET", "POST"])
@login_required
def investment_import(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: upload an investment file (CSV or XLSX, docs/investments.md)."""
    region = region_or_404(request, code)
    require_edit(request, code)
    error = ""
    if request.method == "POST":
        file = request.FILES.get("file")
        error = _("Choose a file to upload.")
        if file is not None:
            try:
                upload = uploads.store(file, user_id=_user_id(request), region_code=code)
            except uploads.UploadRefused as exc:
                error = refused_upload(exc)
            else:
                return redirect("web:investment_import_review", code=code, upload=upload.id)
    context = {"region_code": code, "region": region, "error": error}
    return render(request, "web/investments/import.html", context, status=422 if error else 200)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (int(p.row), "") if p.row.isdigit() else (1 << 62, p.row))


@require_GET
@login_required
def investment_import_review(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 2: every problem and what a commit would do. Nothing is stored."""
    region = region_or_404(request, code)
    require_edit(request, code)
    found = uploads.load(str(upload), user_id=_user_id(request), region_code=code)
    if found is None:
        raise Http404("upload not found")
    report = _run(request, found, dry_run=True)
    valid_rows = report.rows_total - len(report.rejected_rows)
    context = {
        "region_code": code,
        "region": region,
        "upload": found,
        "report": report,
        "errors": _sorted(report.errors)[:SHOWN],
        "warnings": _sorted(report.warnings)[:SHOWN],
        "valid_rows": valid_rows,
        "can_store": valid_rows > 0,
    }
    return render(request, "web/investments/import_review.html", context)


@require_POST
@login_required
def investment_import_confirm(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 3: store (all or nothing, unless "skip the invalid rows") and show the run."""
    region_or_404(request, code)
    require_edit(request, code)
    found = uploads.load(str(upload), user_id=_user_id(request), region_code=code)
    if found is None:
        messages.warning(request, _("This upload is no longer waiting: upload the file again."))
        return redirect("web:investment_import", code=code)
    skip = request.POST.get("skip_invalid") == "on"
    report = _run(request, found, dry_run=False, skip_invalid=skip)
    if report.ok:
        uploads.discard(found)  # a rejected upload stays, to be confirmed with skipped rows
    return redirect("web:import_run", pk=report.run_id)
