from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache() -> None:
    cache.clear()


def test_the_login_page_is_in_bahasa_indonesia_by_default_even_for_an_english_browser() -> None:
    response = Client().get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()
    assert response.headers["Content-Language"] == "id"


def test_english_is_an_explicit_choice() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert "Log in" in client.get("/masuk/").content.decode()


def test_pages_carry_a_content_security_policy_without_outside_scripts() -> None:
    policy = Client().get("/masuk/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_a_good_password_logs_in(personas: Personas) -> None:
    response = Client().post("/masuk/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_is_refused_in_plain_indonesian(personas: Personas) -> None:
    response = Client().post("/masuk/", {"username": "viewer", "password": "salah"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in text
    assert "nama pengguna nama pengguna" not in text  # Django's own catalogue says it twice


def test_login_is_refused_after_too_many_failures_even_with_the_right_password(
    personas: Personas,
) -> None:
    client = Client()
    for _ in range(5):
        assert (
            client.post("/masuk/", {"username": "viewer", "password": "wrong"}).status_code == 200
        )
    response = client.post("/masuk/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_anonymous_visitor_is_sent_to_the_login_page() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/")


def test_logout_needs_a_post(personas: Personas) -> None:
    client = personas.client("viewer")
    assert client.get("/keluar/").status_code == 405
    assert client.post("/keluar/").status_code == 302
