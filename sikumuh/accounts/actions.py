"""Audited writes of users' roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sikumuh.accounts.models import Membership, Role
from sikumuh.audit.actions import Actor, diff, record
from sikumuh.regions.models import Region


def grant_role(*, actor: Actor, user: Any, region: Region | None, role: str) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, region=region, role=role)
        if created:
            record(
                actor=actor,
                action="membership.grant",
                obj=membership,
                changes=diff(
                    {},
                    {
                        "user": user.get_username(),
                        "region": region.code if region else "ID",
                        "role": role,
                    },
                ),
                region_code=region.code if region else "",
            )
    return membership


def revoke_role(*, actor: Actor, membership: Membership) -> None:
    with transaction.atomic():
        before = {
            "user": membership.user.get_username(),
            "region": membership.region_id or "ID",
            "role": membership.role,
        }
        record(
            actor=actor,
            action="membership.revoke",
            obj=membership,
            changes=diff(before, {}),
            region_code=membership.region_id or "",
        )
        membership.delete()
