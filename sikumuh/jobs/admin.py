from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sikumuh.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """For operators: every job, read-only (a job is changed by its worker and by retries)."""

    list_display = ("pk", "kind", "status", "region_code", "started_by", "created_at", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("region_code", "started_by__username", "task_id")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
