"""Behind the TLS proxy (SIKUMUH_BEHIND_PROXY=1): the forwarded scheme and client are trusted,
and only then; each request is logged as one JSON line."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.test import Client, RequestFactory, override_settings

from sikumuh.web.request_log import client_address
from tests.conftest import REPO, Personas
from tests.logs import captured

PROXY = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "BEHIND_PROXY": True}
HTTPS_ONLY = {"SECURE_SSL_REDIRECT": True}


def settings_with(expression: str, **env: str) -> str:
    """A setting as a fresh process reads it from this environment."""
    script = f"from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("proxy_env", "expected"),
    [("1", "('HTTP_X_FORWARDED_PROTO', 'https') True"), ("", "None False")],
)
def test_the_proxy_switch_sets_the_forwarded_scheme_header(proxy_env: str, expected: str) -> None:
    expression = "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None), settings.BEHIND_PROXY"
    assert settings_with(expression, SIKUMUH_BEHIND_PROXY=proxy_env) == expected


def test_the_trusted_origins_come_from_the_environment() -> None:
    origins = "https://sikumuh.example.go.id, https://sikumuh.example.id:8443"
    assert settings_with("settings.CSRF_TRUSTED_ORIGINS", CSRF_TRUSTED_ORIGINS=origins) == (
        "['https://sikumuh.example.go.id', 'https://sikumuh.example.id:8443']"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("behind_proxy", "forwarded_proto", "status"),
    [
        (True, "https", 200),  # the proxy spoke TLS: no redirect, no loop
        (True, "", 301),  # plain HTTP through the proxy: redirected
        (False, "https", 301),  # no proxy: a client's header is not believed
    ],
)
def test_the_https_redirect_follows_the_proxy_s_scheme_only_behind_the_proxy(
    behind_proxy: bool, forwarded_proto: str, status: int
) -> None:
    settings = {**HTTPS_ONLY, **(PROXY if behind_proxy else {})}
    headers = {"HTTP_X_FORWARDED_PROTO": forwarded_proto} if forwarded_proto else {}
    with override_settings(**settings):
        assert Client().get("/masuk/", **headers).status_code == status


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded_for", "client"),
    [
        (True, "203.0.113.7", "203.0.113.7"),
        (True, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the first one the client wrote
        (True, "", "10.0.0.2"),
        (False, "203.0.113.7", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_one_the_proxy_saw(
    behind_proxy: bool, forwarded_for: str, client: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    with override_settings(BEHIND_PROXY=behind_proxy):
        assert client_address(request) == client


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What the request logger writes, through the formatter of the settings."""
    with captured("sikumuh.request") as stream:
        yield stream


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_the_user_and_the_time_taken(
    personas: Personas, request_log: io.StringIO
) -> None:
    personas.client("viewer").get("/tidak-ada/")
    Client().get("/masuk/", REMOTE_ADDR="192.0.2.9")
    first, second = (json.loads(line) for line in request_log.getvalue().splitlines())
    assert first["message"] == "request"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/tidak-ada/", 404)
    assert first["user_id"] == personas["viewer"].pk
    assert first["duration_ms"] >= 0
    assert (second["path"], second["status"], second["user_id"]) == ("/masuk/", 200, None)
    assert second["client"] == "192.0.2.9"
    when = dt.datetime.fromisoformat(first["time"])  # ISO 8601 with its offset (UTC)
    assert when.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - when) < dt.timedelta(minutes=5)
