"""The import wizard's two jobs, on a file it has staged: its validation (``validate_rt_import``:
the dry run whose report the review page shows) and its import (``import_rt_data``).

Both read the file in the worker, under its memory limit, never in the web process (issue 7,
finding 2); both act as the person who staged the file and within the regions they may edit.
The validation keeps its report beside the staged file and links back to the review page; a
file refused whole fails it with the reason. The import validates every row again, then commits
once, exactly as the wizard's confirmation did; its result is the import's summary with the
run's id, and a rejected file fails it with the number of problems (the run is linked still).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.audit.actions import Actor
from sikumuh.jobs.kinds.base import JobFailed, Outcome, Reporter, register
from sikumuh.jobs.models import Job

KIND = "import_rt_data"
VALIDATE = "validate_rt_import"
SUMMARY_FIELDS = ("kind", "file", "status", "rows_total", "created", "updated", "unchanged")


def start_import(*, actor: Actor, upload_id: str, region_code: str, skip_invalid: bool) -> Job:
    """Queue the import of the staged upload ``upload_id`` (the actor's, for ``region_code``)."""
    from sikumuh.jobs.actions import start_job

    return start_job(
        actor=actor,
        kind=KIND,
        region_code=region_code,
        params={"upload_id": upload_id, "skip_invalid": skip_invalid},
    )


def start_validation(*, actor: Actor, upload_id: str, region_code: str) -> Job:
    """Queue the validation of the staged upload ``upload_id`` (the actor's, for
    ``region_code``): its report is kept beside the file for the wizard's review page."""
    from sikumuh.jobs.actions import start_job

    return start_job(
        actor=actor, kind=VALIDATE, region_code=region_code, params={"upload_id": upload_id}
    )


def _checking(progress: Reporter) -> Any:
    return lambda count: progress(0, count, _("Checking every row…"))


def _staged(job: Job) -> Any:
    from sikumuh.web.views.rtdata import uploads

    user = job.started_by
    upload = (
        None
        if user is None
        else uploads.load(
            str(job.params["upload_id"]), user_id=user.pk, region_code=job.region_code
        )
    )
    if user is None or upload is None:
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    return upload


@register(VALIDATE, gettext_lazy("Check of an RT data file"))
def validate(job: Job, progress: Reporter) -> Outcome:
    from sikumuh.web.views.rtdata import validation

    upload = _staged(job)
    progress(0, 0, _("Reading %(file)s…") % {"file": upload.file_name})
    reason = validation.validate(
        upload, job.started_by, progress=progress, on_read=_checking(progress)
    )
    if reason:
        raise JobFailed(reason)
    review = reverse("web:import_review", kwargs={"code": upload.region_code, "upload": upload.id})
    return {"file": upload.file_name, "review_url": review}


@register(KIND, gettext_lazy("RT data import"))
def run(job: Job, progress: Reporter) -> Outcome:
    from sikumuh.web.views.rtdata import uploads, validation

    upload = _staged(job)
    progress(0, 0, _("Reading %(file)s…") % {"file": upload.file_name})
    report = validation.run_import(
        upload,
        job.started_by,
        dry_run=False,
        skip_invalid=bool(job.params.get("skip_invalid")),
        progress=progress,
        on_read=_checking(progress),
    )
    if not report.ok:
        # Kept on the failed job too, so its page links to the run and its problems.
        Job.objects.filter(pk=job.pk).update(result={"run_id": report.run_id})
        raise JobFailed(
            _("Nothing was stored: %(file)s has %(count)d problems (see the import run).")
            % {"file": upload.file_name, "count": len(report.errors)}
        )
    uploads.discard(upload)
    summary: dict[str, Any] = {k: report.as_dict()[k] for k in SUMMARY_FIELDS}
    return {**summary, "run_id": report.run_id}
