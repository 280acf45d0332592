from __future__ import annotations

from django.contrib import admin

from sikumuh.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "region", "role")
    list_filter = ("role",)
    raw_id_fields = ("region",)
    search_fields = ("user__username", "region__code", "region__name")
