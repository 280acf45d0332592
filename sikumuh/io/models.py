"""Each import run is recorded with its status and report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sikumuh.core import rows


class ImportRun(models.Model):
    class Status(models.TextChoices):
        COMMITTED = rows.COMMITTED, "committed"
        REJECTED = rows.REJECTED, "rejected"
        PARTIAL = rows.PARTIAL, "partial (invalid rows skipped)"
        UNCHANGED = rows.UNCHANGED, "unchanged"

    kind = models.CharField(max_length=30)  # "template", "motorkawanku"
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64, blank=True)
    region_code = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.status}"
