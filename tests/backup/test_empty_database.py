"""What a restore counts as an empty database: nothing but what `sikumuh migrate` writes itself
(content types, permissions, the packaged regions and the audit entry of their loading)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from sikumuh.audit.models import AuditEntry
from sikumuh.io.backup.restore import _non_empty_tables

pytestmark = pytest.mark.django_db


def loaded_regions_entry() -> AuditEntry:
    return AuditEntry.objects.create(
        actor_label="cli:root", action="regions.load", object_type="regions.region",
        object_id="11", object_repr="11 Aceh",
    )  # fmt: skip


def test_a_freshly_migrated_database_with_its_regions_is_empty(
    load_regions_under: Callable[..., int],
) -> None:
    load_regions_under("63.01")
    loaded_regions_entry()

    assert _non_empty_tables() == []


@pytest.mark.parametrize(
    ("case", "write", "table"),
    [
        ("an account", lambda: User.objects.create_user("pengguna"), "auth_user"),
        (
            "another audit entry",
            lambda: AuditEntry.objects.create(
                actor_label="x", action="sk.create", object_type="slums.skdecree", object_id="1"
            ),
            "audit_auditentry",
        ),
    ],
)
def test_any_other_row_makes_the_database_not_empty(
    case: str, write: Callable[[], object], table: str
) -> None:
    loaded_regions_entry()
    write()

    assert _non_empty_tables() == [table]
