"""One demo account per role, scoped to Tanah Laut or one of its desa; never in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from sikumuh.accounts.demo import DemoAccount, DemoAccountsRefused, ensure_demo_accounts
from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry

ACTOR = Actor.system("test")


@pytest.fixture
def tanah_laut(load_regions_under: Any) -> None:
    load_regions_under("63.01")


def test_each_role_gets_an_account_that_logs_in_with_the_printed_password(
    tanah_laut: None,
) -> None:
    accounts = ensure_demo_accounts(actor=ACTOR)
    assert [(a.username, a.role, a.region) for a in accounts] == [
        ("demo-admin", "admin", "63.01"),
        ("demo-pokja", "reviewer", "63.01"),
        ("demo-fasilitator", "editor", "63.01.03.1001"),
        ("demo-pemantau", "viewer", "63.01"),
    ]
    users = get_user_model().objects
    for account in accounts:
        user = users.get(username=account.username)
        assert account.password is not None
        assert user.check_password(account.password)
        assert not user.is_superuser
    assert AuditEntry.objects.filter(action="user.create").count() == 4
    assert AuditEntry.objects.filter(action="membership.grant").count() == 4


@pytest.mark.parametrize(
    ("username", "code", "view", "edit", "review", "admin"),
    [
        ("demo-admin", "63.01", True, True, True, True),
        ("demo-pokja", "63.01.05", True, False, True, False),
        ("demo-fasilitator", "63.01.03.1001", True, True, False, False),
        ("demo-fasilitator", "63.01", False, False, False, False),
        ("demo-pemantau", "63.01.03.1001", True, False, False, False),
        ("demo-admin", "63", False, False, False, False),
    ],
)
def test_the_accounts_hold_their_role_where_the_demo_says(
    tanah_laut: None,
    username: str,
    code: str,
    view: bool,
    edit: bool,
    review: bool,
    admin: bool,
) -> None:
    ensure_demo_accounts(actor=ACTOR)
    scope = Scope.for_user(get_user_model().objects.get(username=username))
    assert (scope.can_view(code), scope.can_edit(code), scope.can_review(code)) == (
        view,
        edit,
        review,
    )
    assert scope.can_admin(code) == admin


def test_running_twice_changes_nothing(tanah_laut: None) -> None:
    first = ensure_demo_accounts(actor=ACTOR)
    entries = AuditEntry.objects.count()
    assert ensure_demo_accounts(actor=ACTOR) == first
    assert AuditEntry.objects.count() == entries


def test_a_changed_password_is_left_alone_and_not_printed(tanah_laut: None) -> None:
    ensure_demo_accounts(actor=ACTOR)
    user = get_user_model().objects.get(username="demo-pokja")
    user.set_password("rahasia-baru-123")
    user.save()
    accounts = {a.username: a for a in ensure_demo_accounts(actor=ACTOR)}
    assert accounts["demo-pokja"] == DemoAccount("demo-pokja", None, "reviewer", "63.01")
    user.refresh_from_db()
    assert user.check_password("rahasia-baru-123")


def test_production_gets_no_demo_accounts(tanah_laut: None, settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoAccountsRefused, match="production"):
        ensure_demo_accounts(actor=ACTOR)
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_sikumuh_demo_prints_one_login_line_per_role(tanah_laut: None) -> None:
    from sikumuh.cli.demo import _ensure_role_accounts

    lines = _ensure_role_accounts()
    assert lines == [
        "admin @ 63.01: user demo-admin, password demo-admin-2021",
        "reviewer @ 63.01: user demo-pokja, password demo-pokja-2021",
        "editor @ 63.01.03.1001: user demo-fasilitator, password demo-fasilitator-2021",
        "viewer @ 63.01: user demo-pemantau, password demo-pemantau-2021",
    ]
