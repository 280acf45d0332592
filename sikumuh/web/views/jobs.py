"""The jobs pages: a job's progress (polled by htmx while it runs), its file or its failure with
a "try again" button, and the list of one's own jobs.

A job is seen by the person who started it and by the administrators of its region; anyone else
gets 404, as for an object outside their scope (an unknown number answers the same).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.jobs.actions import NotRetryable, retry_job
from sikumuh.jobs.kinds.base import kind_of
from sikumuh.jobs.models import Job
from sikumuh.jobs.selectors import own_jobs, visible_jobs
from sikumuh.regions.codes import names_of
from sikumuh.web.scoping import login_required

LIST_LENGTH = 50
#: The figures of a job's JSON summary that the page shows, in this order.
RESULT_LABELS = {
    "location_years": gettext_lazy("Location-years written"),
    "file": gettext_lazy("File"),
    "rows_total": gettext_lazy("Rows"),
    "created": gettext_lazy("New"),
    "updated": gettext_lazy("Changed"),
    "unchanged": gettext_lazy("Unchanged"),
}


def job_or_404(request: HttpRequest, pk: int) -> Job:
    job = visible_jobs(request.user).filter(pk=pk).select_related("started_by").first()
    if job is None:
        raise Http404("job not found")
    return job


def _label(job: Job) -> str:
    kind = kind_of(job.kind)
    return str(kind.label) if kind else job.kind


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(own_jobs(request.user)[:LIST_LENGTH])
    names = names_of(job.region_code for job in jobs)
    rows = [(job, _label(job), names.get(job.region_code, job.region_code)) for job in jobs]
    return render(request, "web/jobs/list.html", {"rows": rows})


def _result_rows(job: Job) -> list[tuple[str, object]]:
    result = job.result if isinstance(job.result, dict) else {}
    return [(str(label), result[key]) for key, label in RESULT_LABELS.items() if key in result]


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    run_id = job.result.get("run_id") if isinstance(job.result, dict) else None
    context = {
        "job": job,
        "label": _label(job),
        "region_name": names_of([job.region_code]).get(job.region_code, job.region_code),
        "result_rows": _result_rows(job),
        "run_id": run_id,
    }
    if request.headers.get("HX-Request"):
        # htmx polls the status part alone while the job runs.
        return render(request, "web/jobs/_status.html", context)
    return render(request, "web/jobs/detail.html", context)


@require_GET
@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_or_404(request, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404("no file")
    try:
        handle = job.result_file.open("rb")
    except OSError as exc:  # the file was removed from MEDIA_ROOT
        raise Http404("file gone") from exc
    return FileResponse(handle, as_attachment=True, filename=job.result_name)


@require_POST
@login_required
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    try:
        retry_job(actor=Actor.of(request.user), job=job)
    except NotRetryable:
        messages.error(request, _("Only a failed job can be tried again."))
    return redirect("web:job", pk=job.pk)
