"""API tokens: stored as SHA-256 with a visible prefix, shown once, revocable."""

from __future__ import annotations

import hashlib

import pytest

from sikumuh.accounts.actions import deactivate_user
from sikumuh.accounts.models import ApiToken
from sikumuh.accounts.tokens import authenticate_token, create_token, revoke_token
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


def test_a_token_is_stored_as_its_sha256_with_a_short_prefix(personas: Personas) -> None:
    token, raw = create_token(actor=ACTOR, user=personas["viewer"])
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.hash, stored.prefix}
    assert raw.startswith(f"skm_{stored.prefix}_")
    assert len(stored.prefix) == 8
    assert len(raw) > 40  # a 32-byte secret


def test_a_token_authenticates_its_user_and_records_its_use(personas: Personas) -> None:
    token, raw = create_token(actor=ACTOR, user=personas["viewer"])
    assert authenticate_token(raw) == personas["viewer"]
    assert ApiToken.objects.get(pk=token.pk).last_used is not None


@pytest.mark.parametrize("raw", ["", "skm_", "Bearer x", "skm_00000000_" + "x" * 43, "x" * 500])
def test_unknown_tokens_authenticate_no_one(personas: Personas, raw: str) -> None:
    create_token(actor=ACTOR, user=personas["viewer"])
    assert authenticate_token(raw) is None


def test_a_revoked_token_authenticates_no_one(personas: Personas) -> None:
    token, raw = create_token(actor=ACTOR, user=personas["viewer"])
    revoke_token(actor=ACTOR, token=token)
    assert authenticate_token(raw) is None
    assert AuditEntry.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_deactivating_a_user_revokes_their_tokens(personas: Personas) -> None:
    token, raw = create_token(actor=ACTOR, user=personas["viewer"])
    deactivate_user(actor=ACTOR, user=personas["viewer"])
    assert authenticate_token(raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked is not None


def test_two_tokens_differ(personas: Personas) -> None:
    _, first = create_token(actor=ACTOR, user=personas["viewer"])
    _, second = create_token(actor=ACTOR, user=personas["viewer"])
    assert first != second
