"""The one task of the tasks backend: run a :class:`~sikumuh.jobs.models.Job` by its id.

Everything a job needs is in its row (kind, params, the person, the language), so the queue holds
only an id and a retry runs the same arguments again. A failure is written on the job in the
person's language; its traceback goes to the log only; the task then fails in the backend too,
so the queue's own record agrees.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# The django-tasks backport of Django 6's `django.tasks` (the same API): on Django 6 this import
# becomes `from django.tasks import task` and the TASKS setting stays as it is.
from django_tasks import task

from sikumuh.jobs.kinds.base import FileResult, JobFailed, Outcome, Reporter, kind_of
from sikumuh.jobs.models import Job

logger = logging.getLogger("sikumuh.jobs")
#: One JSON line per finished job on stdout, beside the request log (settings.LOGGING); the
#: tracebacks and other messages of the jobs stay on stderr (``logger``).
job_log = logging.getLogger("sikumuh.job")


def log_outcome(job: Job, seconds: float | None) -> None:
    """The job's line: its id, kind, outcome, time taken, region, person and attempt."""
    job_log.info(
        "job",
        extra={
            "job": job.pk,
            "kind": job.kind,
            "status": job.status,
            "duration_ms": None if seconds is None else round(seconds * 1000, 1),
            "region": job.region_code,
            "user_id": job.started_by_id,
            "attempt": job.attempts,
        },
    )


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("started_by").get(pk=job_id)
    execute(job)
    return job.status


def execute(job: Job) -> None:
    """Run ``job`` to its end: succeeded with its result, or failed with a readable reason."""
    job.status, job.started_at, job.done, job.total = Job.Status.RUNNING, timezone.now(), 0, 0
    job.save(update_fields=["status", "started_at", "done", "total"])
    started = time.perf_counter()
    with translation.override(job.language):
        try:
            kind = kind_of(job.kind)
            if kind is None:
                raise JobFailed(_("This kind of job is not known to this version of sikumuh."))
            outcome = kind.run(job, Reporter(job))
        except JobFailed as exc:
            _fail(job, str(exc), started)
            raise
        except MemoryError as exc:
            logger.exception("job %s (%s) ran out of memory", job.pk, job.kind)
            message = _(
                "The job needed more memory than a job may use, and was stopped. The file may "
                "be too large or damaged; ask the administrator if it should be accepted."
            )
            _fail(job, message, started)
            raise JobFailed(message) from exc
        except Exception as exc:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            message = _(
                "The job stopped because of an unexpected error. Try again; if it fails "
                "again, tell the administrator (job number %(id)d)."
            ) % {"id": job.pk}
            _fail(job, message, started)
            raise JobFailed(message) from exc
        _succeed(job, outcome, started)


def _succeed(job: Job, outcome: Outcome, started: float) -> None:
    job.refresh_from_db(fields=["done", "total"])
    if isinstance(outcome, FileResult):
        job.result_file.save(outcome.filename, ContentFile(outcome.content), save=False)
        job.result_name = outcome.filename
    else:
        job.result = outcome
    job.status = Job.Status.SUCCEEDED
    job.done = job.total = max(job.total, 1)
    job.status_text = _("Done.")
    job.error = ""
    job.finished_at = timezone.now()
    job.save()
    log_outcome(job, time.perf_counter() - started)


def fail_lost(db_task_result: Any, status: int) -> None:
    """The job's process ended before it could record an outcome (killed, crashed): fail the
    job with a readable reason, and its task in the queue too, so neither stays "running"."""
    how = (
        f"signal {os.WTERMSIG(status)}"
        if os.WIFSIGNALED(status)
        else f"exit status {os.waitstatus_to_exitcode(status)}"
    )
    logger.error("job task %s: its process ended (%s)", db_task_result.id, how)
    db_task_result.refresh_from_db()
    if db_task_result.status == "RUNNING":
        db_task_result.set_failed(ChildProcessError(f"the job's process ended ({how})"))
    job = Job.objects.filter(task_id=str(db_task_result.id)).first()
    if job is None or job.finished:
        return
    with translation.override(job.language):
        message = _(
            "The job's process ended unexpectedly: it may have needed more memory than a job "
            "may use. Try again; if it fails again, tell the administrator (job number %(id)d)."
        ) % {"id": job.pk}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    # Its process ended: the time is counted from when the job was marked running.
    ran = (
        (job.finished_at - job.started_at).total_seconds()
        if job.started_at and job.finished_at
        else None
    )
    log_outcome(job, ran)


def _fail(job: Job, message: str, started: float) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    log_outcome(job, time.perf_counter() - started)
