"""Finished jobs do not pile up: those older than ``settings.JOB_RETENTION_DAYS`` are deleted
with their result files and the tasks backend's rows of finished tasks.

A job is kept while it may matter to someone (its file downloaded, its failure read and
retried); after that its row and its file are only weight in every backup. What was done stays
in the audit log (the import's or report's own entries, `job.start`, `job.retry`), which is
never pruned. Queued and running jobs are never touched, however old.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sikumuh.jobs.models import Job

logger = logging.getLogger("sikumuh.jobs")


@dataclass(frozen=True)
class Pruned:
    jobs: int
    files: int
    task_results: int


def prunable_jobs(days: int, now: datetime | None = None) -> Q:
    """Succeeded or failed, and finished more than ``days`` days before ``now``."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Q(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]) & (
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )


def prune_jobs(*, days: int, now: datetime | None = None) -> Pruned:
    """Delete the finished jobs older than ``days`` days, their files, and the finished task
    rows as old. Rows first, then files once that is committed: a failure in between leaves a
    stray file, never a job whose file is gone."""
    if days < 1:
        raise ValueError("jobs are kept at least one day")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        old = Job.objects.select_for_update().filter(prunable_jobs(days, now))
        files = list(old.exclude(result_file="").values_list("result_file", flat=True))
        jobs, _ = old.delete()
        task_results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    storage = Job._meta.get_field("result_file").storage
    removed = 0
    for name in files:
        try:
            storage.delete(name)
            removed += 1
        except OSError:
            logger.warning("job result file %s could not be deleted", name, exc_info=True)
            continue
        with contextlib.suppress(NotImplementedError, OSError):
            Path(storage.path(name)).parent.rmdir()  # jobs/<pk>/, when nothing else is in it
    pruned = Pruned(jobs=jobs, files=removed, task_results=task_results)
    if jobs or task_results:
        logger.info(
            "pruned %d finished jobs older than %d days (%d files, %d task rows)",
            jobs, days, removed, task_results,
        )  # fmt: skip
    return pruned
