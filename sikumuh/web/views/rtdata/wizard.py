"""The import wizard (upload → full validation report → confirm), the import history, and the
template download filled with the RTs already known.

No file is parsed in a web request (issue 7, finding 2): the upload stores the file (its size,
type and first bytes checked) and starts a validation job, whose progress the review page shows
until the report is kept beside the file; the confirmation starts the import job and shows its
page. Only a small CSV is validated in the request (`sikumuh.io.wizard.validation` says why and
when). The review page is drawn from the kept report: a reload reads nothing again (400,000 rows
took 53 s per view). A file refused whole (too large, a zip bomb, not UTF-8) is refused on the
upload page when it was checked there, on the review page when a job checked it. The staging of
the file, its formats and their check live in `sikumuh.io.wizard`, which the jobs share.
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
from sikumuh.io.models import ImportRun
from sikumuh.io.staging import attachment
from sikumuh.io.template import write_blank_template
from sikumuh.io.wizard import uploads, validation
from sikumuh.io.wizard.formats import STATUS, TEMPLATE, ImportFormat, stage, staged
from sikumuh.io.wizard.validation import KIND, SHOWN, within_scope
from sikumuh.jobs.kinds.imports import kinds, start_import, start_validation, urls
from sikumuh.jobs.models import Job
from sikumuh.jobs.selectors import upload_job
from sikumuh.regions.codes import valid_year
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.views.rtdata import selectors

__all__ = ["KIND", "SHOWN", "within_scope"]  # the importer's kind and scope, as before

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user_id(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None  # every view here is behind login_required
    return int(user_id)


def _upload(
    request: HttpRequest, code: str, upload_id: Any, fmt: ImportFormat = TEMPLATE
) -> uploads.Upload | None:
    return staged(fmt, str(upload_id), user_id=_user_id(request), region_code=code)


def _store(request: HttpRequest, code: str, fmt: ImportFormat) -> uploads.Upload | None:
    """Keep the posted file (and, for SIM KOTAKU, the status layer beside it); None when no
    file was posted. `uploads.UploadRefused` for a file of another type or too large."""
    file = request.FILES.get("file")
    if file is None:
        return None
    status = request.FILES.get("status")
    options = {name: request.POST.get(name) == "on" for name in fmt.options}
    return stage(
        fmt, file, status=status, options=options, user_id=_user_id(request), region_code=code
    )


def refused_upload(exc: uploads.UploadRefused, fmt: ImportFormat = TEMPLATE) -> str:
    """Why a staged upload was refused, in the page's words (the investment wizard's too)."""
    if exc.reason == "size":
        return _("%(file)s is larger than %(mb)s MB.") % {
            "file": exc.file_name,
            "mb": uploads.MAX_BYTES // (1024 * 1024),
        }
    if fmt.suffixes != TEMPLATE.suffixes:
        return _("%(file)s is not a file this import takes (%(kinds)s).") % {
            "file": exc.file_name,
            "kinds": ", ".join(fmt.suffixes),
        }
    return _("%(file)s is not a CSV or XLSX file.") % {"file": exc.file_name}


def accept(
    request: HttpRequest, code: str, fmt: ImportFormat = TEMPLATE
) -> tuple[uploads.Upload | None, str]:
    """Store the posted file and validate it (in the request if small, else start its job):
    the upload, or the reason it is refused."""
    try:
        upload = _store(request, code, fmt)
    except uploads.UploadRefused as exc:
        return None, refused_upload(exc, fmt)
    if upload is None:
        return None, _("Choose a file to upload.")
    # A status layer beside the file is read by GDAL: in the job, never in the request.
    if not validation.inline(upload) or attachment(upload, STATUS) is not None:
        start_validation(
            actor=Actor.of(request.user), upload_id=upload.id, region_code=code, fmt=fmt.slug
        )
        return upload, ""
    error = validation.validate(upload, request.user, run=fmt.run, fmt=fmt.slug)
    if error:
        uploads.discard(upload)
        return None, error
    return upload, ""


@require_http_methods(["GET", "POST"])
@login_required
def import_wizard(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: upload a filled-in template (CSV or XLSX)."""
    region = region_or_404(request, code)
    require_edit(request, code)
    error = ""
    if request.method == "POST":
        upload, error = accept(request, code)
        if upload is not None:
            return redirect("web:import_review", code=code, upload=upload.id)
    context = {
        "region_code": code,
        "region": region,
        "error": error,
        "next_year": selectors.next_year_after(selectors.region_years(code)),
    }
    return render(request, "web/rtdata/wizard.html", context, status=422 if error else 200)


def _validation_job(request: HttpRequest, found: uploads.Upload, fmt: ImportFormat) -> Job:
    """The upload's validation job (started now for an upload staged before there were)."""
    job = upload_job(request.user, kinds(fmt.slug)[0], found.id)
    if job is None:
        job = start_validation(
            actor=Actor.of(request.user),
            upload_id=found.id,
            region_code=found.region_code,
            fmt=fmt.slug,
        )
    return job


def _refresh() -> HttpResponse:
    return HttpResponse(headers={"HX-Refresh": "true"})


def _progress(
    request: HttpRequest,
    found: uploads.Upload,
    fmt: ImportFormat,
    context: dict[str, Any],
    template: str,
) -> HttpResponse:
    """The review page while the file is checked: its job's progress (the status part alone
    when htmx polls), or its failure; once the job is done, htmx draws the whole page again."""
    job = _validation_job(request, found, fmt)
    context |= {"job": job, "poll_url": context["urls"]["review"]}
    if not request.headers.get("HX-Request"):
        return render(request, template, context)
    if job.finished:
        return _refresh()
    return render(request, "web/jobs/_status.html", context)


@require_GET
@login_required
def import_review(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 2: the validation's progress while its job runs (htmx polls this page), then every
    problem (file, row, column, value, reason) and what a commit would do, or why the file is
    refused. Nothing is stored."""
    return review_step(request, code, upload, TEMPLATE)


def review_step(
    request: HttpRequest,
    code: str,
    upload: Any,
    fmt: ImportFormat,
    template: str = "web/rtdata/review.html",
) -> HttpResponse:
    """The review page of an upload of any format (see `import_review`), drawn by ``template``
    (the investment wizard's own)."""
    region = region_or_404(request, code)
    require_edit(request, code)
    found = _upload(request, code, upload, fmt)
    if found is None:
        raise Http404("upload not found")
    context: dict[str, Any] = {
        "region_code": code,
        "region": region,
        "upload": found,
        "format": fmt,
        "urls": urls(fmt, code, found.id),
    }
    report = uploads.load_report(found)
    if report is not None and report.get("format", TEMPLATE.slug) != fmt.slug:
        raise Http404("upload not found")  # checked as another format: not this wizard's
    if report is None:
        return _progress(request, found, fmt, context, template)
    if request.headers.get("HX-Request"):  # checked: the whole page again, with the report
        return _refresh()
    valid_rows = report["rows_total"] - report["rejected"]
    context |= {
        "report": report,
        "errors": report["errors"],
        "warnings": report["warnings"],
        "shown": SHOWN,
        "valid_rows": valid_rows,
        "changed_rows": report["changed_rows"],
        "can_store": valid_rows > 0,
    }
    return render(request, template, context)


@require_POST
@login_required
def import_confirm(request: HttpRequest, code: str, upload: Any) -> HttpResponse:
    """Step 3: start the import job (all or nothing, unless "skip invalid rows" was ticked) and
    show its page, which links to the import run."""
    return confirm_step(request, code, upload, TEMPLATE)


def confirm_step(
    request: HttpRequest, code: str, upload: Any, fmt: ImportFormat, *, inline: bool = False
) -> HttpResponse:
    """The confirmation of an upload of any format (see `import_confirm`). With ``inline`` (the
    investment wizard), a file small enough to be checked in the request (`validation.inline`)
    is stored in it too, and the import run is shown at once; any other starts the job."""
    region_or_404(request, code)
    require_edit(request, code)
    found = _upload(request, code, upload, fmt)
    if found is None:
        messages.warning(request, _("This upload is no longer waiting: upload the file again."))
        return redirect(urls(fmt, code)["again"])
    report = uploads.load_report(found)
    if report is None or report.get("format", TEMPLATE.slug) != fmt.slug:
        # Not checked yet (or checked as another format): nothing to confirm.
        return redirect(urls(fmt, code, found.id)["review"])
    skip_invalid = request.POST.get("skip_invalid") == "on"
    if inline and validation.inline(found):
        done = fmt.run(found, request.user, dry_run=False, skip_invalid=skip_invalid)
        if done.ok:
            uploads.discard(found)  # a rejected upload stays, to be confirmed with skipped rows
        return redirect("web:import_run", pk=done.run_id)
    job = start_import(
        actor=Actor.of(request.user),
        upload_id=found.id,
        region_code=code,
        skip_invalid=skip_invalid,
        fmt=fmt.slug,
    )
    return redirect("web:job", pk=job.pk)


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
        tahun = valid_year(request.GET["tahun"])
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
