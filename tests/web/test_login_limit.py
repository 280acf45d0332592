"""One login limit for every login path: username variants, the admin login, parallel guesses,
the per-address count and the address behind a proxy (issue 7, finding 3)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import forms as auth_forms
from django.test import Client, RequestFactory

from sikumuh.accounts.login_limit import client_address, normalise_username
from tests.concurrency import in_parallel, shared_database  # noqa: F401  # fixture
from tests.conftest import PASSWORD, Personas

LOGIN = "/masuk/"
ADMIN_LOGIN = "/admin/login/"


def post(client: Client, path: str, username: str, password: str = "salah") -> int:
    return client.post(path, {"username": username, "password": password}).status_code


@pytest.fixture
def superuser(personas: Personas) -> Any:
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", password=PASSWORD)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("demo-admin", "demo-admin"),
        (" demo-admin", "demo-admin"),
        ("demo-admin ", "demo-admin"),
        ("\tdemo-admin\n", "demo-admin"),
        ("Demo-Admin", "demo-admin"),
        ("DEMO-ADMIN ", "demo-admin"),
        ("\uff44emo-admin", "demo-admin"),  # full-width d: NFKC, as AuthenticationForm does
        ("\u00a0demo-admin", "demo-admin"),
    ],
)
def test_username_variants_share_one_counter(raw: str, key: str) -> None:
    assert normalise_username(raw) == key


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variants",
    [
        ["viewer", " viewer", "viewer ", "Viewer", " VIEWER "],
        ["viewer\t", "\u00a0viewer", "vIewer", "viewer", "viewer  "],
    ],
)
@pytest.mark.parametrize("path", [LOGIN, ADMIN_LOGIN])
def test_five_failures_through_username_variants_lock_the_real_account(
    personas: Personas, variants: list[str], path: str
) -> None:
    client = Client()
    for variant in variants:
        assert post(client, path, variant) == 200
    assert post(Client(REMOTE_ADDR="10.9.9.9"), LOGIN, "viewer", PASSWORD) == 429


@pytest.mark.django_db
def test_the_admin_login_is_limited_like_ours(superuser: Any) -> None:
    client = Client()
    for _ in range(5):
        assert post(client, ADMIN_LOGIN, "root") == 200
    response = client.post(ADMIN_LOGIN, {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit." in response.content.decode()


@pytest.mark.django_db
def test_failures_on_our_login_count_on_the_admin_login_too(superuser: Any) -> None:
    for _ in range(5):
        post(Client(), LOGIN, "root")
    assert post(Client(REMOTE_ADDR="10.1.1.1"), ADMIN_LOGIN, "root", PASSWORD) == 429


@pytest.mark.django_db
def test_the_admin_login_still_lets_a_superuser_in(superuser: Any) -> None:
    client = Client()
    response = client.post(ADMIN_LOGIN, {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_logging_into_ones_own_account_does_not_reset_the_address_count(
    personas: Personas,
) -> None:
    attacker = Client()
    targets = ["admin", "reviewer", "facilitator", "outsider"]
    for target in targets:
        assert post(attacker, LOGIN, target) == 200
    # The attacker's own account: the success neither counts nor wipes the failures above.
    assert post(attacker, LOGIN, "viewer", PASSWORD) == 302
    attacker.post("/keluar/")
    assert post(attacker, LOGIN, "admin") == 200  # the fifth failure from this address
    assert post(attacker, LOGIN, "reviewer", PASSWORD) == 429


@pytest.mark.django_db
def test_a_success_clears_that_usernames_failures(personas: Personas) -> None:
    for _ in range(4):
        post(Client(REMOTE_ADDR="10.0.0.1"), LOGIN, "viewer")
    assert post(Client(REMOTE_ADDR="10.0.0.2"), LOGIN, "viewer", PASSWORD) == 302
    for _ in range(4):
        assert post(Client(REMOTE_ADDR="10.0.0.3"), LOGIN, "viewer") == 200
    assert post(Client(REMOTE_ADDR="10.0.0.4"), LOGIN, "viewer", PASSWORD) == 302


@pytest.mark.django_db
def test_the_cool_down_ends(personas: Personas, settings: Any) -> None:
    settings.LOGIN_COOLDOWN_SECONDS = 0
    for _ in range(6):
        post(Client(), LOGIN, "viewer")
    assert post(Client(), LOGIN, "viewer", PASSWORD) == 302


@pytest.mark.parametrize(
    ("behind_proxy", "remote", "forwarded", "address"),
    [
        (False, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # header ignored without proxy
        (True, "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        (True, "127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the proxy's own entry
        (True, "127.0.0.1", "", "127.0.0.1"),
        (True, "127.0.0.1", "not-an-address", "unknown"),
        (False, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),
    ],
)
def test_the_client_address_comes_from_the_proxy_only_when_configured(
    settings: Any, behind_proxy: bool, remote: str, forwarded: str, address: str
) -> None:
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


@pytest.mark.django_db
def test_behind_a_proxy_each_client_address_has_its_own_budget(
    personas: Personas, settings: Any
) -> None:
    settings.BEHIND_PROXY = True
    for name in ["admin", "reviewer", "facilitator", "outsider", "admin"]:
        post(Client(HTTP_X_FORWARDED_FOR="198.51.100.7"), LOGIN, name)
    assert post(Client(HTTP_X_FORWARDED_FOR="198.51.100.7"), LOGIN, "viewer", PASSWORD) == 429
    assert post(Client(HTTP_X_FORWARDED_FOR="198.51.100.8"), LOGIN, "viewer", PASSWORD) == 302


def counting_authenticate(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count the password checks (AuthenticationForm and the admin's form call this)."""
    lock, calls = threading.Lock(), [0]
    real = auth_forms.authenticate

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", counted)
    return lambda: calls[0]


@pytest.mark.parametrize("path", [LOGIN, ADMIN_LOGIN])
def test_thirty_parallel_guesses_after_four_failures_get_one_password_check(
    personas: Personas,
    shared_database: Callable[[], None],  # noqa: F811  # the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    for _ in range(4):
        post(Client(), path, "admin")
    shared_database()
    checks = counting_authenticate(monkeypatch)

    answers = in_parallel(30, lambda i: post(Client(), path, "admin", f"tebakan-{i}"))

    assert [a for a in answers if not isinstance(a, int)] == []
    assert sorted(answers) == [200] + [429] * 29
    assert checks() == 1
