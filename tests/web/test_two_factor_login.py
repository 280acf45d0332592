"""Two-factor sign-in on the pages: enrolment on the account page, the code as the second step
of the login (limited like the password), recovery codes, and SIKUMUH_REQUIRE_2FA."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from sikumuh.accounts import two_factor
from sikumuh.accounts.models import TotpDevice
from sikumuh.audit.actions import Actor
from sikumuh.web.views.accounts.own import SECRET
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db
SECRET_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user: Any) -> list[str]:
    """An authenticator for `user`, confirmed with the previous step's code."""
    code = pyotp.TOTP(SECRET_KEY).at(time.time() - 30)
    codes = two_factor.enable(actor=Actor.of(user), user=user, secret=SECRET_KEY, code=code)
    assert codes
    return codes


def password_step(client: Client, username: str, path: str = "/masuk/", **extra: str) -> Any:
    return client.post(path, {"username": username, "password": PASSWORD, **extra})


def is_logged_in(client: Client) -> bool:
    return client.get("/akun/").status_code == 200


# --- Enrolment -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "reviewer", "facilitator", "viewer", "outsider"])
def test_every_persona_enrols_with_a_qr_code_and_a_code(personas: Personas, persona: str) -> None:
    client = personas.client(persona)
    page = client.get("/akun/2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    secret = client.session[SECRET]
    assert "<svg" in html
    assert secret in html
    confirmed = client.post("/akun/2fa/", {"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200
    codes = confirmed.context["recovery_codes"]
    assert len(codes) == two_factor.RECOVERY_CODES
    assert all(code in confirmed.content.decode() for code in codes)
    assert TotpDevice.objects.get(user=personas[persona]).confirmed
    # Shown once: the page now only says that two-factor sign-in is on.
    again = client.get("/akun/2fa/")
    assert not any(code in again.content.decode() for code in codes)


def test_the_secret_stays_the_same_until_confirmed(personas: Personas) -> None:
    client = personas.client("viewer")
    client.get("/akun/2fa/")
    first = client.session[SECRET]
    client.get("/akun/2fa/")
    assert client.session[SECRET] == first


def test_a_wrong_enrolment_code_enables_nothing(personas: Personas) -> None:
    client = personas.client("viewer")
    client.get("/akun/2fa/")
    assert client.post("/akun/2fa/", {"code": "12345"}).status_code == 400
    assert not TotpDevice.objects.filter(user=personas["viewer"]).exists()


# --- The code step -------------------------------------------------------------------------------


def test_an_enrolled_user_logs_in_with_password_then_code(personas: Personas) -> None:
    enrol(personas["facilitator"])
    client = Client()
    first = password_step(client, "facilitator", next="/akun/")
    assert first.status_code == 302
    assert first["Location"] == "/masuk/kode/"
    assert not is_logged_in(client)
    assert client.get("/masuk/kode/").status_code == 200
    second = client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert second.status_code == 302
    assert second["Location"] == "/akun/"
    assert is_logged_in(client)


def test_a_user_without_an_authenticator_logs_in_with_the_password_alone(
    personas: Personas,
) -> None:
    client = Client()
    assert password_step(client, "viewer")["Location"] == "/"
    assert is_logged_in(client)


def test_the_code_step_without_a_password_goes_back_to_the_login(personas: Personas) -> None:
    enrol(personas["facilitator"])
    client = Client()
    response = client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert response["Location"] == "/masuk/"
    assert not is_logged_in(client)


def test_the_code_step_expires(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    enrol(personas["facilitator"])
    client = Client()
    password_step(client, "facilitator")
    later = time.time() + 301
    monkeypatch.setattr("sikumuh.web.views.accounts.signin.time.time", lambda: later)
    response = client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert response["Location"] == "/masuk/"


def test_wrong_codes_are_limited_like_passwords(personas: Personas, settings: Any) -> None:
    enrol(personas["facilitator"])
    client = Client()
    password_step(client, "facilitator")
    wrong = [client.post("/masuk/kode/", {"code": "000000"}).status_code for _ in range(5)]
    assert wrong == [400] * settings.LOGIN_FAILURE_LIMIT
    # Over the limit even the right code is not checked.
    right = client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert right.status_code == 429
    assert "menit" in right.content.decode()
    assert not is_logged_in(client)


def test_a_fresh_password_step_does_not_reset_the_code_limit(
    personas: Personas, settings: Any
) -> None:
    enrol(personas["facilitator"])
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        password_step(client, "facilitator")
        client.post("/masuk/kode/", {"code": "000000"})
    password_step(client, "facilitator")
    assert client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()}).status_code == 429


def test_a_recovery_code_logs_in_once(personas: Personas) -> None:
    codes = enrol(personas["facilitator"])
    client = Client()
    password_step(client, "facilitator")
    assert client.post("/masuk/kode/", {"code": codes[0]}).status_code == 302
    other = Client()
    password_step(other, "facilitator")
    assert other.post("/masuk/kode/", {"code": codes[0]}).status_code == 400


def test_the_django_admin_login_asks_for_the_code_too(personas: Personas) -> None:
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", password=PASSWORD)
    enrol(root)
    client = Client()
    response = password_step(client, "root", path="/admin/login/", next="/admin/auth/user/")
    assert response["Location"] == "/masuk/kode/"
    assert client.get("/admin/").status_code == 302  # not logged in
    done = client.post("/masuk/kode/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert done["Location"] == "/admin/auth/user/"
    assert client.get("/admin/").status_code == 200


def test_turning_two_factor_off_needs_a_current_code(personas: Personas) -> None:
    enrol(personas["viewer"])
    client = personas.client("viewer")
    client.post("/akun/2fa/matikan/", {"code": "000000"})
    assert TotpDevice.objects.filter(user=personas["viewer"]).exists()
    client.post("/akun/2fa/matikan/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert not TotpDevice.objects.filter(user=personas["viewer"]).exists()


# --- SIKUMUH_REQUIRE_2FA -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/akun/", "/wilayah/63.01/", "/wilayah/63.01/pengguna/"])
def test_an_administrator_without_two_factor_is_sent_to_enrol(
    personas: Personas, settings: Any, path: str
) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    password_step(client, "admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/"
    assert client.get("/akun/2fa/").status_code == 200


def test_an_administrator_may_use_the_site_once_enrolled(personas: Personas, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = personas.client("admin")
    client.get("/akun/2fa/")
    client.post("/akun/2fa/", {"code": pyotp.TOTP(client.session[SECRET]).now()})
    assert client.get("/wilayah/63.01/pengguna/").status_code == 200


@pytest.mark.parametrize("persona", ["reviewer", "facilitator", "viewer"])
def test_other_roles_are_not_forced_to_enrol(
    personas: Personas, settings: Any, persona: str
) -> None:
    settings.REQUIRE_2FA = True
    assert personas.client(persona).get("/akun/").status_code == 200


def test_where_required_an_administrator_cannot_turn_it_off(
    personas: Personas, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    enrol(personas["admin"])
    client = personas.client("admin")
    response = client.post("/akun/2fa/matikan/", {"code": pyotp.TOTP(SECRET_KEY).now()})
    assert response.status_code == 403
    assert TotpDevice.objects.filter(user=personas["admin"]).exists()
