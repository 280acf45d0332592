"""Starting and retrying jobs: audited writes, the task queued in the same transaction (the
database backend's queue is a table, so a job and its task are stored together or not at all)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.utils import translation

from sikumuh.audit.actions import Actor, record
from sikumuh.jobs.kinds.base import kind_of
from sikumuh.jobs.models import Job


class NotRetryable(ValueError):
    """Only a failed job can be run again."""


def _enqueue(job: Job) -> None:
    from sikumuh.jobs.tasks import run_job

    job.task_id = str(run_job.enqueue(job.pk).id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def start_job(
    *,
    actor: Actor,
    kind: str,
    region_code: str,
    params: dict[str, Any],
    language: str | None = None,
    queue: bool = True,
) -> Job:
    """Queue a job of ``kind`` about ``region_code`` (the caller has checked the actor may);
    ``queue=False`` only records it, for :func:`run_job_here`."""
    if kind_of(kind) is None:
        raise ValueError(f"unknown kind of job {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            started_by=actor.user,
            region_code=region_code,
            params=params,
            language=language or translation.get_language() or "id",
        )
        record(
            actor=actor,
            action="job.start",
            obj=job,
            changes={},
            region_code=region_code,
            context={"kind": kind, "params": params},
        )
        if queue:
            _enqueue(job)
    return job


def run_job_here(
    *,
    actor: Actor,
    kind: str,
    region_code: str,
    params: dict[str, Any],
    language: str | None = None,
) -> Job:
    """Record a job and run it at once in this process (work known to take a second or two,
    such as the planner for a small kabupaten): the same row, result and audit entry as a
    queued job, without the wait for a worker. A failure is on the job, as in the worker."""
    from sikumuh.jobs.kinds.base import JobFailed
    from sikumuh.jobs.tasks import execute

    job = start_job(
        actor=actor,
        kind=kind,
        region_code=region_code,
        params=params,
        language=language,
        queue=False,
    )
    with contextlib.suppress(JobFailed):  # written on the job: its page says why
        execute(job)
    return job


def retry_job(*, actor: Actor, job: Job) -> Job:
    """Queue a failed job again with the same arguments (the same job, one attempt more)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.FAILED:
            raise NotRetryable(f"job {job.pk} is {locked.status}, not failed")
        before = locked.attempts
        locked.status = Job.Status.QUEUED
        locked.attempts = before + 1
        locked.done = locked.total = 0
        locked.status_text = locked.error = ""
        locked.result = None
        locked.started_at = locked.finished_at = None
        locked.save()
        record(
            actor=actor,
            action="job.retry",
            obj=locked,
            changes={"status": ["failed", "queued"], "attempts": [before, locked.attempts]},
            region_code=locked.region_code,
            context={"kind": locked.kind, "params": locked.params},
        )
        _enqueue(locked)
    return locked
