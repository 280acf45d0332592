"""Audited writes of users' roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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


def create_user(
    *,
    actor: Actor,
    username: str,
    email: str,
    role: str,
    region: Region | None,
    password: str | None = None,
) -> Any:
    """A new account holding one role. Without a password it cannot log in until its owner sets
    one through the invitation link (the password-reset token machinery)."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=username, email=email)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        record(
            actor=actor,
            action="user.create",
            obj=user,
            changes=diff({}, {"username": username, "email": email}),
            region_code=region.code if region else "",
        )
        grant_role(actor=actor, user=user, region=region, role=role)
    return user


def set_password(*, actor: Actor, user: Any, password: str, reason: str) -> None:
    """Set a password (changed by its owner, reset by e-mail, set on invitation, by the CLI);
    the audit says that and why, never the hash."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            actor=actor, action="user.password", obj=user, changes={}, context={"reason": reason}
        )


def deactivate_user(*, actor: Actor, user: Any) -> None:
    """Deactivate, never delete: the account's audit trail and authorship stay. Its API tokens
    are revoked with it."""
    from sikumuh.accounts.tokens import revoke_all_tokens

    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(
                actor=actor,
                action="user.deactivate",
                obj=user,
                changes=diff({"is_active": True}, {"is_active": False}),
            )
        revoke_all_tokens(actor=actor, user=user)


def reactivate_user(*, actor: Actor, user: Any) -> bool:
    """Let a deactivated account log in again, with the roles it still holds; its API tokens
    stay revoked (the owner makes new ones). False when it was active already."""
    with transaction.atomic():
        if user.is_active:
            return False
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="user.reactivate",
            obj=user,
            changes=diff({"is_active": False}, {"is_active": True}),
        )
    return True


def record_invitation(*, actor: Actor, user: Any, region_code: str, sent: bool) -> None:
    """Audit an invitation sent again (the first is the account's creation): who asked, where,
    to which address, and whether the mail server took it."""
    with transaction.atomic():
        record(
            actor=actor,
            action="user.invite",
            obj=user,
            changes={},
            region_code=region_code,
            context={"email": user.email, "sent": sent},
        )
