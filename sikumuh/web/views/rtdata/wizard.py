"""The import wizard (upload → full validation report → confirm), the import history, and the
template download filled with the RTs already known.

The wizard uses the foundation's importer as the CLI does (``read_template`` then
``import_rows``): the upload is validated once, by ``import_rows(dry_run=True)``, which checks
every row and counts what would be created, changed or left alone without writing anything; its
report is kept beside the staged file and the review page is drawn from it (a reload reads
nothing again: 400,000 rows took 53 s per view). The confirmation validates once more, as part
of the ordinary all-or-nothing commit (or, when asked, "skip invalid rows"). A file refused
whole (too large, a zip bomb, not UTF-8) is refused on the upload page.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.io.importer import ImportReport, import_rows
from sikumuh.io.models import ImportRun
from sikumuh.io.rows import ObservationRow, Problem
from sikumuh.io.template import read_template, write_blank_template
from sikumuh.surveys.models import Source
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.views.rtdata import selectors, uploads

KIND = "template"
#: Problems listed on a page; the counts always cover all of them.
SHOWN = 1000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _row_key(problem: Problem) -> tuple[int, str]:
    return (int(problem.row), "") if problem.row.isdigit() else (1 << 62, problem.row)


def within_scope(
    rows: list[ObservationRow], scope: Scope
) -> tuple[list[ObservationRow], list[Problem]]:
    """Rows whose desa the user may edit, and one problem per other row (left out, so that not
    even "skip invalid rows" can store it). The importer checks the wizard's region as well."""
    kept: list[ObservationRow] = []
    refused: list[Problem] = []
    for row in rows:
        if scope.can_edit(row.kode_desa):
            kept.append(row)
        else:
            reason = _("outside the regions you may edit")
            refused.append(Problem(row.file, row.row, "kode_desa", row.kode_desa, reason))
    return kept, refused


def _run(
    request: HttpRequest, upload: uploads.Upload, *, dry_run: bool, skip_invalid: bool = False
) -> ImportReport:
    rows, problems = read_template(upload.path, name=upload.file_name)
    rows, refused = within_scope(rows, scope_of(request))
    return import_rows(
        rows,
        actor=Actor.of(request.user),
        kind=KIND,
        source=Source.TEMPLATE,
        file_name=upload.file_name,
        parse_problems=[*problems, *refused],
        skip_invalid=skip_invalid,
        region_code=upload.region_code,
        file_sha256=upload.sha256,
        dry_run=dry_run,
    )


def _kept(report: ImportReport) -> dict[str, Any]:
    """What the review page shows of a dry run, small enough to keep beside the upload: the
    counts, and the first :data:`SHOWN` problems of each kind in row order."""
    errors = sorted(report.errors, key=_row_key)
    warnings = sorted(report.warnings, key=_row_key)
    return {
        "rows_total": report.rows_total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejected_rows),
        "new_locations": report.new_locations,
        "new_rts": report.new_rts,
        "error_count": len(errors),
        "warning_count": len(warnings),
        "errors": [p.as_dict() for p in errors[:SHOWN]],
        "warnings": [p.as_dict() for p in warnings[:SHOWN]],
        "changed_rows": report.extra.get("changed_rows", [])[:SHOWN],
    }


def _refusal(report: ImportReport) -> str:
    """The reason a file is refused whole (too large, not a table...): its one problem on row 1
    without a column, when no row could be read; "" otherwise."""
    if report.rows_total > len(report.rejected_rows) or len(report.errors) != 1:
        return ""
    problem = report.errors[0]
    return problem.reason if problem.row == "1" and problem.column is None else ""


def _user_id(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None  # every view here is behind login_required
    return int(user_id)


def _upload(request: HttpRequest, code: str, upload_id: Any) -> uploads.Upload | None:
    return uploads.load(str(upload_id), user_id=_user_id(request), region_code=code)


@require_http_methods(["GET", "POST"])
@login_required
def import_wizard(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: upload a filled-in template (CSV or XLSX)."""
    region = region_or_404(request, code)
    require_edit(request, code)
    error = ""
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            error = _("Choose a file to upload.")
        else:
            try:
                upload = uploads.store(file, user_id=_user_id(request), region_code=code)
            except uploads.UploadRefused as exc:
                if exc.reason == "size":
                    error = _("%(file)s is larger than %(mb)s MB.") % {
                        "file": exc.file_name,
                        "mb": uploads.MAX_BYTES // (1024 * 1024),
                    }
                else:
                    error = _("%(file)s is not a CSV or XLSX file.") % {"file": exc.file_name}
            else:
                # Validated once, here; the review page shows the kept report.
                report = _run(request, upload, dry_run=True)
                error = _refusal(report)
                if error:
                    uploads.discard(upload)
                else:
                    uploads.save_report(upload, _kept(report))
                    return redirect("web:import_review", code=code, upload=upload.id)
    context = {
        "region_code": code,
        "region": region,
        "error": error,
        "next_year": selectors.next_year_after(selectors.region_years(code)),
    }
    return render(request, "web/rtdata/wizard.html", context, status=422 if error else 200)


@require_GET
@login_required
def import_review(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 2: every problem (file, row, column, value, reason) and what a commit would do.
    Nothing is stored."""
    region = region_or_404(request, code)
    require_edit(request, code)
    found = _upload(request, code, upload)
    if found is None:
        raise Http404("upload not found")
    report = uploads.load_report(found)
    if report is None:  # staged before reports were kept: validated once, now
        report = _kept(_run(request, found, dry_run=True))
        uploads.save_report(found, report)
    valid_rows = report["rows_total"] - report["rejected"]
    context = {
        "region_code": code,
        "region": region,
        "upload": found,
        "report": report,
        "errors": report["errors"],
        "warnings": report["warnings"],
        "shown": SHOWN,
        "valid_rows": valid_rows,
        "changed_rows": report["changed_rows"],
        "can_store": valid_rows > 0,
    }
    return render(request, "web/rtdata/review.html", context)


@require_POST
@login_required
def import_confirm(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 3: commit (all or nothing, unless "skip invalid rows" was ticked) and show the run."""
    region_or_404(request, code)
    require_edit(request, code)
    found = _upload(request, code, upload)
    if found is None:
        messages.warning(request, _("This upload is no longer waiting: upload the file again."))
        return redirect("web:import_wizard", code=code)
    report = _run(
        request, found, dry_run=False, skip_invalid=request.POST.get("skip_invalid") == "on"
    )
    if report.ok:
        uploads.discard(found)  # a rejected upload stays, to be confirmed with skipped rows
    return redirect("web:import_run", pk=report.run_id)


def _home_code(scope: Scope) -> str | None:
    return scope.roots[0] if len(scope.roots) == 1 else None


@require_GET
@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    """The import runs of the regions the user may see, newest first."""
    scope = scope_of(request)
    runs = selectors.import_runs(scope.q("region_code"))
    page = Paginator(runs, selectors.PER_PAGE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "web/rtdata/history.html",
        {"region_code": _home_code(scope), "page": page, "runs": list(page.object_list)},
    )


@require_GET
@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One import run: its status, counts and recorded problems."""
    scope = scope_of(request)
    try:
        run = selectors.import_runs(scope.q("region_code")).get(pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise Http404("import run not found") from exc
    report = run.report or {}
    errors = report.get("errors", [])
    warnings = report.get("warnings", [])
    context = {
        "region_code": run.region_code or _home_code(scope),
        "run": run,
        "errors": errors[:SHOWN],
        "warnings": warnings[:SHOWN],
        "error_count": len(errors),
        "warning_count": len(warnings),
        "shown": SHOWN,
        "can_import": bool(run.region_code) and scope.can_edit(run.region_code),
    }
    return render(request, "web/rtdata/run.html", context)


@require_GET
@login_required
def template_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The template filled with the region's known RTs for a year (``?tahun=``, by default the
    year after the latest data): identity and the header of each RT's latest earlier
    observation; volumes are left empty for the field team."""
    region_or_404(request, code)
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown format")
    if request.GET.get("tahun"):
        tahun = selectors.valid_year(request.GET["tahun"])
        if tahun is None:
            raise Http404("year outside 2000–2100")
    else:
        tahun = selectors.next_year_after(selectors.region_years(code))
    rows = selectors.template_rows(code, tahun)
    if fmt == "csv":
        text = io.StringIO()
        write_blank_template(text, "csv", rows)
        content: bytes = text.getvalue().encode("utf-8")
    else:
        binary = io.BytesIO()
        write_blank_template(binary, "xlsx", rows)
        content = binary.getvalue()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="templat-rt-{code}-{tahun}.{fmt}"'
    return response
