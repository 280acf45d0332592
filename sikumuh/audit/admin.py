from __future__ import annotations

from django.contrib import admin

from sikumuh.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "region_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "region_code", "actor_label")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
