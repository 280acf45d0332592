"""Production mode as an operator meets it, in subprocesses on a fresh SQLite database.

`SIKUMUH_ENV=production` refuses to start without SECRET_KEY and ALLOWED_HOSTS (one clear line,
no traceback); after `sikumuh migrate` the deploy checks are clean, a user logs in (the cache
table exists) and `sikumuh serve` behind a TLS proxy answers /healthz over plain HTTP, serves
its static files and answers an unknown page with the Indonesian 404.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
HOST = "sikumuh.example.go.id"


def production_env(var: Path, **changes: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SIKUMUH_", "DJANGO_")) and key not in {"DATABASE_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SIKUMUH_ENV="production",
        SIKUMUH_VAR_DIR=str(var),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SIKUMUH_BEHIND_PROXY="1",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
    )
    env.update(changes)
    return {key: value for key, value in env.items() if value}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A production site after `sikumuh migrate`, with one user: its environment."""
    env = production_env(tmp_path_factory.mktemp("production"))
    migrated = run([str(BIN / "sikumuh"), "migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    make_user = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "get_user_model().objects.create_user('operator', password='rahasia-panjang-2026')"
    )
    created = run([sys.executable, "-c", make_user], env)
    assert created.returncode == 0, created.stderr
    return env


@pytest.mark.parametrize(
    ("missing", "named"),
    [("SECRET_KEY", "SECRET_KEY"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS")],
)
@pytest.mark.parametrize("command", ["sikumuh", "manage.py"])
def test_production_refuses_to_start_without_a_required_setting(
    tmp_path: Path, missing: str, named: str, command: str
) -> None:
    env = production_env(tmp_path, **{missing: ""})
    argv = (
        [str(BIN / "sikumuh"), "serve"]
        if command == "sikumuh"
        else [sys.executable, "manage.py", "check"]
    )
    result = run(argv, env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert f"environment variable {named} is required in production" in message


def test_migrate_prepares_the_deploy_checks_without_a_warning(prepared: dict[str, str]) -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], prepared
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_user_logs_in_in_production_mode(prepared: dict[str, str]) -> None:
    """The login limiter counts in the database cache: its table must exist (it did not)."""
    script = f"""
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST={HOST!r}, HTTP_X_FORWARDED_PROTO="https")
page = client.get("/masuk/")
assert page.status_code == 200, page.status_code
answer = client.post("/masuk/", {{"username": "operator", "password": "rahasia-panjang-2026"}})
print(answer.status_code, answer.headers.get("Location"))
"""
    result = run([sys.executable, "-c", script], prepared)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["302", "/"], result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve") / "serve.log"


@pytest.fixture(scope="module")
def served(prepared: dict[str, str], server_log: Path) -> Iterator[str]:
    """`sikumuh serve` (two workers) on a free loopback port; its output goes to server_log."""
    port = free_port()
    log = server_log
    command = [str(BIN / "sikumuh"), "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as sink, log.with_suffix(".err").open("wb") as errors:
        process = subprocess.Popen(command, env=prepared, cwd=REPO, stdout=sink, stderr=errors)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                with contextlib.suppress(OSError), urllib.request.urlopen(base + "/healthz"):
                    break
                time.sleep(0.2)
            assert process.poll() is None, log.with_suffix(".err").read_text()
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_healthz_answers_the_probe_over_plain_http(served: str) -> None:
    status, _, body = fetch(served + "/healthz")
    assert status == 200
    assert json.loads(body) == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "jobs_backlog": 0,
    }


def test_plain_http_pages_are_redirected_to_https_and_the_proxy_s_https_is_trusted(
    served: str,
) -> None:
    status, headers, _ = fetch(served + "/masuk/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/masuk/"
    status, headers, _ = fetch(served + "/masuk/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Strict-Transport-Security" in headers


def test_an_unknown_page_is_the_indonesian_404_without_debug_information(served: str) -> None:
    status, _, body = fetch(served + "/tidak-ada/", **{"X-Forwarded-Proto": "https"})
    text = body.decode()
    assert status == 404
    assert "Halaman tidak ditemukan" in text
    assert "Traceback" not in text
    assert "DEBUG" not in text
    assert str(REPO) not in text


def test_the_static_files_and_the_favicon_are_served(served: str) -> None:
    _, _, body = fetch(served + "/masuk/", **{"X-Forwarded-Proto": "https"})
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', body.decode())
    assert any("favicon" in asset for asset in assets), assets
    assert any(asset.endswith(".css") for asset in assets), assets
    for asset in assets:
        status, headers, _ = fetch(served + asset, **{"X-Forwarded-Proto": "https"})
        assert status == 200, asset
        assert "immutable" in headers.get("Cache-Control", ""), asset  # hashed names


def test_each_request_is_logged_as_one_json_line_with_the_forwarded_client(
    served: str, server_log: Path
) -> None:
    path = f"/healthz?probe={secrets.token_hex(4)}"
    fetch(served + path, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    lines = [json.loads(line) for line in server_log.read_text().splitlines()]
    assert all(isinstance(line, dict) for line in lines)
    (entry,) = [
        line
        for line in lines
        if line.get("logger") == "sikumuh.request"
        and line["path"] == "/healthz"
        and line["client"] == "203.0.113.7"
    ]
    assert entry["method"] == "GET"
    assert entry["status"] == 200
    assert entry["user_id"] is None
    assert entry["duration_ms"] >= 0
