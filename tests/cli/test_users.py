"""`sikumuh users`: add (a user or another role), list, deactivate, reactivate, token; audited as
the CLI; messages in Bahasa Indonesia (the cli catalogue), argparse's error prefix too."""

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
    assert "pengguna dinas dibuat: admin di 63.01" in out
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
    assert "pengguna dinas diperbarui: viewer di 33.75" in out
    roles = set(Membership.objects.filter(user__username="dinas").values_list("role", "region_id"))
    assert roles == {("admin", "63.01"), ("viewer", "33.75")}


def test_add_without_a_password_leaves_the_account_unusable_until_one_is_set(regions: None) -> None:
    code, out, _ = call("users", "add", "pokja", "--role", "reviewer", "--region", "63.01")
    assert code == 0
    assert "belum ada kata sandi" in out
    assert not User.objects.get(username="pokja").has_usable_password()


def test_the_national_code_gives_a_national_role(regions: None) -> None:
    assert call("users", "add", "pusat", "--role", "viewer", "--region", "ID")[0] == 0
    assert Membership.objects.get(user__username="pusat").region is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "admin", "--region", "99.99"], "kode wilayah tidak dikenal: 99.99"),
        (["--role", "admin", "--region", "63.01.99"], "kode wilayah tidak dikenal"),
    ],
)
def test_add_refuses_an_unknown_region(regions: None, argv: list[str], message: str) -> None:
    code, _, err = call("users", "add", "dinas", *argv)
    assert code == 2
    assert message in err
    assert not User.objects.filter(username="dinas").exists()


@pytest.mark.parametrize(
    ("stdin", "message"), [("\n", "tidak ada kata sandi"), ("123\n", "kata sandi ditolak")]
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


def test_add_refuses_a_short_password_with_the_settings_as_shipped(
    regions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = call(
        "users", "add", "dinas", "--role", "admin", "--region", "63.01", "--password-stdin",
        stdin="rahasia1\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 2
    assert "kata sandi ditolak" in err
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
    assert "pokja (nonaktif)" in text


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
    assert "tidak ditampilkan lagi" in err
    assert authenticate_token(raw) == User.objects.get(username="dinas")
    token = ApiToken.objects.get()
    assert raw not in (token.hash, token.prefix)
    assert call("users", "token", "dinas", "--revoke", token.prefix)[0] == 0
    assert authenticate_token(raw) is None


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "token"])
def test_an_unknown_user_is_one_clear_line(regions: None, action: str) -> None:
    code, _, err = call("users", action, "siapa")
    assert code == 2
    assert err == "sikumuh: kesalahan: pengguna 'siapa' tidak dikenal\n"


def test_reactivate_lets_a_deactivated_user_in_again_with_their_roles_but_not_their_tokens(
    regions: None,
) -> None:
    call("users", "add", "dinas", "--role", "admin", "--region", "63.01")
    raw = call("users", "token", "dinas")[1].strip()
    call("users", "deactivate", "dinas")
    refused = call("users", "token", "dinas")
    assert refused[0] == 2
    assert "sikumuh users reactivate" in refused[2]

    code, out, _ = call("users", "reactivate", "dinas")

    assert code == 0
    assert "pengguna dinas diaktifkan kembali" in out
    user = User.objects.get(username="dinas")
    assert user.is_active
    assert Membership.objects.filter(user=user, region_id="63.01", role="admin").exists()
    assert authenticate_token(raw) is None
    entry = AuditEntry.objects.get(action="user.reactivate", object_id=str(user.pk))
    assert entry.actor_label.startswith("cli")
    assert call("users", "reactivate", "dinas")[1] == "pengguna dinas sudah aktif\n"
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1


def test_argparse_errors_carry_the_same_indonesian_prefix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["users", "add", "dinas"])
    assert exited.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("sikumuh users add: kesalahan: "), last
    assert "--role" in last
