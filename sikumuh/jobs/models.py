"""A job: one piece of long work, who started it, for which region, how far it is, its result.

The queue itself is the tasks backend's (``django_tasks_db``); a :class:`Job` is what the people
see: its progress, its file or summary, its failure in their language. ``kind`` is a free string
(``sikumuh.jobs.kinds``), not ``choices=``: a new kind of job must not cost a migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


def result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=40)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The region the job is about: its administrators see the job too.
    region_code = models.CharField(max_length=20, db_index=True)
    # The task's arguments (JSON), kept so that a failed job can be run again as it was.
    params = models.JSONField(default=dict)
    # The language of the person who started it: status texts, failures and files use it.
    language = models.CharField(max_length=8, default="id")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    status_text = models.CharField(max_length=200, blank=True)
    result_file = models.FileField(upload_to=result_path, blank=True, max_length=300)
    result_name = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)  # readable, in `language`; the traceback is in the log
    attempts = models.PositiveIntegerField(default=1)
    task_id = models.CharField(max_length=64, blank=True)  # the backend's, of the last attempt
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.region_code})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        return 100 * self.done // self.total if self.total else None
