"""The Django admin keeps the audit log intact and audits the roles it grants and revokes
(issue 7, finding 7); HEAD on the login page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sikumuh.accounts.models import Membership
from sikumuh.audit.models import AuditEntry
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(personas: Personas) -> Client:
    User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(User.objects.get(username="root"))
    return client


def test_a_superuser_reads_audit_entries_but_cannot_change_or_delete_them(root: Client) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    base = "/admin/audit/auditentry/"
    assert root.get(base).status_code == 200
    assert root.get(f"{base}{entry.pk}/change/").status_code == 200  # read-only view
    assert root.get(f"{base}add/").status_code == 403
    assert root.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    root.post(base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    root.post(f"{base}{entry.pk}/change/", {"action": "x", "actor_label": "someone else"})
    entry_after = AuditEntry.objects.get(pk=entry.pk)
    assert (entry_after.actor_label, entry_after.action) == (entry.actor_label, entry.action)


def test_a_role_granted_in_the_admin_is_audited(root: Client, personas: Personas) -> None:
    response = root.post(
        "/admin/accounts/membership/add/",
        {"user": personas["viewer"].pk, "region": "63.01.03", "role": "reviewer"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=personas["viewer"], role="reviewer")
    entry = AuditEntry.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert entry.actor_label == "root"
    assert entry.changes["role"] == [None, "reviewer"]


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_a_role_revoked_in_the_admin_is_audited(root: Client, personas: Personas, how: str) -> None:
    membership = Membership.objects.get(user=personas["viewer"])
    if how == "one":
        response = root.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    else:
        response = root.post(
            "/admin/accounts/membership/",
            {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="membership.revoke", object_id=str(membership.pk))
    assert entry.actor_label == "root"


def test_a_role_is_not_edited_in_place_in_the_admin(root: Client, personas: Personas) -> None:
    membership = Membership.objects.get(user=personas["viewer"])
    root.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"user": personas["viewer"].pk, "region": "63", "role": "admin"},
    )
    membership.refresh_from_db()
    assert (membership.region_id, membership.role) == ("63.01", "viewer")


@pytest.mark.parametrize("persona", [None, "viewer"])
def test_head_on_the_login_page_answers_like_get(personas: Personas, persona: Any) -> None:
    client = Client() if persona is None else personas.client(persona)
    response = client.head("/masuk/")
    assert response.status_code == 200
    assert response.content == b""
