"""Error pages: branded, in Bahasa Indonesia, never a traceback, a message or a server path.

DEBUG is off in every mode (the demo too), so these are the pages everyone sees.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]

SECRET = "/srv/secret/path"


def assert_branded(content: bytes, title: str) -> None:
    text = content.decode()
    assert f"<title>{title} · sikumuh</title>" in text
    assert "Kembali ke halaman awal" in text
    assert "favicon" in text
    for leak in ("Traceback", SECRET, "RuntimeError", "DEBUG", str(settings.BASE_DIR)):
        assert leak not in text, leak


def test_debug_is_off_unless_asked_for() -> None:
    assert settings.DEBUG is False


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/gagal/400/", 400, "Permintaan tidak valid"),
        ("/gagal/403/", 403, "Akses ditolak"),
        ("/tidak-ada/", 404, "Halaman tidak ditemukan"),
        ("/gagal/500/", 500, "Terjadi kesalahan pada server"),
    ],
)
def test_each_error_has_its_indonesian_page(url: str, status: int, title: str) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    assert_branded(response.content, title)


def test_the_error_page_of_a_signed_in_user_is_the_same(personas: Personas) -> None:
    client = personas.client("viewer")
    response = client.get("/wilayah/99.99/")
    assert response.status_code == 404
    assert_branded(response.content, "Halaman tidak ditemukan")


def test_a_form_without_its_csrf_token_gets_the_indonesian_expired_form_page() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/masuk/", {"username": "viewer", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert_branded(response.content, "Formulir sudah kedaluwarsa")
    assert "CSRF" not in response.content.decode()


def test_a_viewer_refused_a_write_sees_the_indonesian_403(personas: Personas) -> None:
    response = personas.client("viewer").post("/wilayah/63.01/sk/baru/")
    assert response.status_code == 403
    assert_branded(response.content, "Akses ditolak")


def test_every_page_links_the_favicon_from_the_static_files(personas: Personas) -> None:
    text = Client().get("/masuk/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in text
    assert '<link rel="icon" href="/static/web/favicon.ico" sizes="32x32">' in text
    for name in ("favicon.svg", "favicon.ico"):
        response = Client().get(f"/static/web/{name}")
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content)  # type: ignore[attr-defined]  # WhiteNoise's file
        response.close()


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_opening_a_button_s_address_gets_the_indonesian_405_with_its_allow_header(
    personas: Personas, role: str
) -> None:
    response = personas.client(role).get("/keluar/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert_branded(response.content, "Alamat ini tidak dapat dibuka langsung")


def test_the_api_s_405_is_left_as_the_api_answers_it() -> None:
    response = Client().delete("/api/v1/regions/63.01/slum-area")
    assert response.status_code == 405
    assert b"Alamat ini" not in response.content


def test_the_browsers_own_favicon_request_finds_the_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    icon = Client().get(response["Location"])
    assert icon.status_code == 200
    icon.close()
