from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from sikumuh.accounts.actions import grant_role, revoke_role
from sikumuh.accounts.models import Membership
from sikumuh.audit.actions import Actor


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Roles granted and revoked here go through the audited actions, like everywhere else.
    A role is not edited in place: revoke it and grant the new one (two audit entries)."""

    list_display = ("user", "region", "role")
    list_filter = ("role",)
    raw_id_fields = ("region",)
    search_fields = ("user__username", "region__code", "region__name")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        granted = grant_role(
            actor=Actor.of(request.user), user=obj.user, region=obj.region, role=obj.role
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        revoke_role(actor=Actor.of(request.user), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        with transaction.atomic():
            for membership in queryset.select_related("user"):
                revoke_role(actor=Actor.of(request.user), membership=membership)
