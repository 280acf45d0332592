"""`sikumuh users`: add (a user or another role), list, deactivate, token; audited as the CLI."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from sikumuh.accounts.models import ApiToken, Membership
from sikumuh.accounts.tokens import authenticate_token
from sikumuh.audit.models import AuditEntry
from sikumuh.cli import main

pytestmark = pytest.mark.django_db
PASSWORD = "kumuh-tuntas-2030"


def call(
    *argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def regions(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01", "33.75")


def test_add_creates_a_user_with_a_password_from_stdin(
    regions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = call(
        "users", "add", "dinas", "--role", "admin", "--region", "63.01",
        "--email", "dinas@example.org", "--password-stdin",
        stdin=PASSWORD + "\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, out
    assert "dinas created" in out
    user = User.objects.get(username="dinas")
    assert user.check_password(PASSWORD)
    assert user.email == "dinas@example.org"
    assert Membership.objects.filter(user=user, region_id="63.01", role="admin").exists()
    labels = set(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list("actor_label", flat=True)
    )
    assert labels
    assert all(label.startswith("cli") for label in labels)


def test_add_gives_an_existing_user_another_role(regions: None) -> None:
    call("users", "add", "dinas", "--role", "admin", "--region", "63.01")
    code, out, _ = call("users", "add", "dinas", "--role", "viewer", "--region", "33.75")
    assert code == 0
    assert "dinas updated" in out
    roles = set(Membership.objects.filter(user__username="dinas").values_list("role", "region_id"))
    assert roles == {("admin", "63.01"), ("viewer", "33.75")}


def test_add_without_a_password_leaves_the_account_unusable_until_one_is_set(regions: None) -> None:
    code, out, _ = call("users", "add", "pokja", "--role", "reviewer", "--region", "63.01")
    assert code == 0
    assert "no password yet" in out
    assert not User.objects.get(username="pokja").has_usable_password()


def test_the_national_code_gives_a_national_role(regions: None) -> None:
    assert call("users", "add", "pusat", "--role", "viewer", "--region", "ID")[0] == 0
    assert Membership.objects.get(user__username="pusat").region is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "admin", "--region", "99.99"], "unknown region code '99.99'"),
        (["--role", "admin", "--region", "63.01.99"], "unknown region code"),
    ],
)
def test_add_refuses_an_unknown_region(regions: None, argv: list[str], message: str) -> None:
    code, _, err = call("users", "add", "dinas", *argv)
    assert code == 2
    assert message in err
    assert not User.objects.filter(username="dinas").exists()


@pytest.mark.parametrize(
    ("stdin", "message"), [("\n", "no password"), ("123\n", "password refused")]
)
def test_add_refuses_a_missing_or_weak_password(
    regions: None, monkeypatch: pytest.MonkeyPatch, stdin: str, message: str
) -> None:
    from django.test import override_settings

    validators = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
    with override_settings(AUTH_PASSWORD_VALIDATORS=validators):
        code, _, err = call(
            "users", "add", "dinas", "--role", "admin", "--region", "63.01", "--password-stdin",
            stdin=stdin, monkeypatch=monkeypatch,
        )  # fmt: skip
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not User.objects.filter(username="dinas").exists()


def test_list_as_json_gives_users_roles_and_state(regions: None) -> None:
    call(
        "users", "add", "dinas", "--role", "admin", "--region", "63.01", "--email", "d@example.org"
    )
    call("users", "add", "pokja", "--role", "reviewer", "--region", "63.01")
    call("users", "deactivate", "pokja")
    code, out, _ = call("users", "list", "--format", "json")
    assert code == 0
    dinas = {"username": "dinas", "email": "d@example.org", "active": True}
    pokja = {"username": "pokja", "email": "", "active": False}
    assert json.loads(out) == [
        {**dinas, "two_factor": False, "roles": ["admin@63.01"]},
        {**pokja, "two_factor": False, "roles": ["reviewer@63.01"]},
    ]
    text = call("users", "list")[1]
    assert "pokja (deactivated)" in text


def test_deactivate_keeps_the_user_and_revokes_their_tokens(regions: None) -> None:
    call("users", "add", "dinas", "--role", "admin", "--region", "63.01")
    raw = call("users", "token", "dinas")[1].strip()
    code, _, _ = call("users", "deactivate", "dinas")
    assert code == 0
    user = User.objects.get(username="dinas")
    assert not user.is_active
    assert authenticate_token(raw) is None
    assert AuditEntry.objects.filter(action="user.deactivate", object_id=str(user.pk)).exists()


def test_token_prints_a_new_token_stored_only_hashed(regions: None) -> None:
    call("users", "add", "dinas", "--role", "admin", "--region", "63.01")
    code, out, err = call("users", "token", "dinas")
    raw = out.strip()
    assert code == 0
    assert "\n" not in raw
    assert "not shown again" in err
    assert authenticate_token(raw) == User.objects.get(username="dinas")
    token = ApiToken.objects.get()
    assert raw not in (token.hash, token.prefix)
    assert call("users", "token", "dinas", "--revoke", token.prefix)[0] == 0
    assert authenticate_token(raw) is None


@pytest.mark.parametrize("action", ["deactivate", "token"])
def test_an_unknown_user_is_one_clear_line(regions: None, action: str) -> None:
    code, _, err = call("users", action, "siapa")
    assert code == 2
    assert err == "sikumuh: error: unknown user 'siapa'\n"
