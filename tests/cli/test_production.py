"""Production mode as an operator meets it, in subprocesses on a fresh database of either
engine (SQLite, and a new PostgreSQL database: the README's deployment, issue 9's "done when").

`SIKUMUH_ENV=production` refuses to start without SECRET_KEY and ALLOWED_HOSTS (one clear line,
no traceback); after `sikumuh migrate` and `sikumuh users add … --password-stdin` the deploy
checks are clean, the administrator logs in (the cache table exists) and `sikumuh serve` behind
a TLS proxy answers /healthz over plain HTTP, lets the administrator open the regency's
dashboard with its static files, and answers an unknown page with the Indonesian 404.
"""

from __future__ import annotations

import contextlib
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
from tests.postgres import postgres_database

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
HOST = "sikumuh.example.go.id"
ADMIN = "admin-tala"
PASSWORD = "rahasia-panjang-2026"


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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database: an SQLite file (the embedded default) or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'sikumuh.sqlite3'}"
        return
    with postgres_database("sikumuh_production_test") as url:
        yield url


@pytest.fixture(scope="module")
def prepared(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A production site as the README's deployment section sets it up: `sikumuh migrate`,
    then the regency's administrator from `sikumuh users add … --password-stdin`."""
    env = production_env(tmp_path_factory.mktemp("production"), DATABASE_URL=database_url)
    migrated = run([str(BIN / "sikumuh"), "migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    add = [str(BIN / "sikumuh"), "users", "add", ADMIN, "--role", "admin", "--region", "63.01"]
    created = subprocess.run(
        [*add, "--email", "admin@example.go.id", "--password-stdin"],
        env=env, cwd=REPO, input=PASSWORD + "\n", capture_output=True, text=True, timeout=300,
    )  # fmt: skip
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
answer = client.post("/masuk/", {{"username": {ADMIN!r}, "password": {PASSWORD!r}}})
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


def fetch(
    url: str,
    data: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    """One request as the proxy forwards it; `cookies` is sent and updated from the answer by
    hand (the session cookie is Secure: a cookie jar keeps it from a plain-http URL)."""
    headers = {"Host": HOST, **headers}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            answer = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        answer = error.code, error.headers, error.read()
    status, message, content = answer
    if cookies is not None:
        for header in message.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    return status, dict(message), content


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def linked_assets(page: bytes) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode())


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
    assets = linked_assets(body)
    assert any("favicon" in asset for asset in assets), assets
    assert any(asset.endswith(".css") for asset in assets), assets
    for asset in assets:
        status, headers, _ = fetch(served + asset, **{"X-Forwarded-Proto": "https"})
        assert status == 200, asset
        assert "immutable" in headers.get("Cache-Control", ""), asset  # hashed names
    status, headers, _ = fetch(served + "/favicon.ico", **{"X-Forwarded-Proto": "https"})
    assert status == 302  # the browser's own request, to the icon's hashed name
    assert re.fullmatch(r"/static/web/favicon\.[0-9a-f]{12}\.ico", headers["Location"])


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


def test_the_administrator_logs_in_and_opens_the_regency_with_its_static_files(
    served: str,
) -> None:
    https = {"X-Forwarded-Proto": "https"}
    cookies: dict[str, str] = {}
    status, _, form = fetch(served + "/masuk/", cookies=cookies, **https)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.decode())
    assert token, form[:2000]
    login = {"username": ADMIN, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    status, headers, _ = fetch(
        served + "/masuk/", data=login, cookies=cookies,
        Origin=f"https://{HOST}", Referer=f"https://{HOST}/masuk/", **https,
    )  # fmt: skip
    assert status == 302, headers
    assert "sessionid" in cookies

    status, _, page = fetch(served + "/wilayah/63.01/", cookies=cookies, **https)

    assert status == 200
    assert "Tanah Laut" in page.decode()
    assets = linked_assets(page)
    assert any(asset.endswith(".css") for asset in assets), assets
    assert any(asset.endswith(".js") for asset in assets), assets
    for asset in assets:
        status, _, _ = fetch(served + asset, **https)
        assert status == 200, asset
