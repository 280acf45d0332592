from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sikumuh.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only, even for a superuser: an audit log one can edit proves nothing."""

    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "region_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "region_code", "actor_label")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
