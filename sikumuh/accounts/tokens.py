"""API tokens: a random 32-byte secret shown once, kept only as its SHA-256 and a short prefix.

A token reads `skm_<prefix>_<secret>`; the prefix (8 characters) tells a user's tokens apart in
lists and audit entries without revealing anything usable. SHA-256 without a salt suffices: the
secret is 256 random bits, not a password that could be guessed from a list.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from sikumuh.accounts.models import ApiToken
from sikumuh.audit.actions import Actor, diff, record

TOKEN_TAG = "skm"
PREFIX_LENGTH = 8


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, actor: Actor, user: Any) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the token itself (shown once)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{TOKEN_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, prefix=prefix, hash=digest(raw))
        record(
            actor=actor,
            action="token.create",
            obj=token,
            changes=diff({}, {"user": user.get_username(), "prefix": prefix}),
        )
    return token, raw


def revoke_token(*, actor: Actor, token: ApiToken) -> None:
    with transaction.atomic():
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
            record(
                actor=actor,
                action="token.revoke",
                obj=token,
                changes=diff({"revoked": None}, {"revoked": token.revoked}),
            )


def revoke_all_tokens(*, actor: Actor, user: Any) -> None:
    for token in ApiToken.objects.filter(user=user, revoked__isnull=True):
        revoke_token(actor=actor, token=token)


def authenticate_token(raw: str) -> Any | None:
    """The active user a token belongs to, or None (unknown, revoked, or user deactivated).

    The lookup is by the hash, so no comparison of secrets happens in Python (no timing leak).
    """
    if not raw.startswith(TOKEN_TAG + "_") or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(hash=digest(raw), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Recorded at most once a minute, so that a busy client does not write on every request.
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
