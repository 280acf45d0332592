"""Read-only admin views of the uji petik: every write goes through the audited actions
(`sikumuh.inspections.actions`), so the admin may look but not change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from sikumuh.inspections.models import Checklist, Finding, FollowUp, Resurvey, SampleItem, UjiPetik


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(UjiPetik)
class UjiPetikAdmin(ReadOnly):
    list_display = ("title", "kabupaten", "seed", "n_requested", "drawn_at", "status")
    list_filter = ("status", "population")


@admin.register(SampleItem)
class SampleItemAdmin(ReadOnly):
    list_display = ("key", "uji_petik", "stratum_label", "purposive", "desa_code")
    list_filter = ("purposive",)


@admin.register(Checklist)
class ChecklistAdmin(ReadOnly):
    list_display = ("sample_item", "function", "quality", "meets_spec", "source", "submitted_at")
    list_filter = ("source", "function")


@admin.register(Finding)
class FindingAdmin(ReadOnly):
    list_display = ("uji_petik", "sample_item", "severity", "description")
    list_filter = ("severity",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly):
    list_display = ("uji_petik", "responsible", "deadline", "status")
    list_filter = ("status",)


@admin.register(Resurvey)
class ResurveyAdmin(ReadOnly):
    list_display = ("sample_item", "facilitator", "measured_by", "measured_on")
