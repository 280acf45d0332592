"""`sikumuh serve`: the gunicorn configuration it builds, and what it refuses."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from sikumuh.cli import base, main, serve


@pytest.mark.parametrize(
    ("host", "port", "bind"),
    [("127.0.0.1", 8000, "127.0.0.1:8000"), ("0.0.0.0", 80, "0.0.0.0:80"), ("::1", 9, "[::1]:9")],
)
def test_serve_binds_the_given_address_and_port(host: str, port: int, bind: str) -> None:
    options = serve.gunicorn_options(host=host, port=port, workers=3, behind_proxy=False)
    assert options["bind"] == bind
    assert options["workers"] == 3


@pytest.mark.parametrize(("behind_proxy", "trusted"), [(True, "*"), (False, "")])
def test_forwarded_headers_are_trusted_only_behind_the_proxy(
    behind_proxy: bool, trusted: str
) -> None:
    options = serve.gunicorn_options(host="h", port=1, workers=1, behind_proxy=behind_proxy)
    assert options["forwarded_allow_ips"] == trusted


def test_gunicorn_logs_json_lines_and_leaves_the_request_log_to_the_application() -> None:
    options = serve.gunicorn_options(host="h", port=1, workers=1, behind_proxy=False)
    assert options["accesslog"] is None
    loggers = options["logconfig_dict"]["loggers"]
    assert loggers["gunicorn.error"]["handlers"] == ["console"]
    formatter = options["logconfig_dict"]["formatters"]["json"]
    assert formatter["()"] == "pythonjsonlogger.json.JsonFormatter"
    assert loggers["sikumuh.request"]["level"] == "INFO"


def test_gunicorn_accepts_every_option_the_command_sets() -> None:
    from gunicorn.config import Config

    config = Config()
    for key, value in serve.gunicorn_options(
        host="127.0.0.1", port=8000, workers=2, behind_proxy=True
    ).items():
        config.set(key, value)
    assert config.worker_class_str == "gthread"
    assert config.preload_app
    assert config.control_socket_disable


@pytest.mark.parametrize(("cores", "workers"), [(None, 2), (1, 2), (2, 2), (8, 8)])
def test_the_default_is_one_worker_per_core_and_at_least_two(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, workers: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert serve.default_workers() == workers


@pytest.fixture
def not_started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Production mode, Django ready; the servers that would have started."""
    monkeypatch.setattr(base, "_ready", True)
    started: list[dict[str, object]] = []
    monkeypatch.setattr(serve, "start_server", lambda **kwargs: started.append(kwargs))
    return started


@pytest.mark.django_db
@override_settings(PRODUCTION=True)
def test_serve_refuses_a_database_with_pending_migrations(
    not_started: list[dict[str, object]],
) -> None:
    MigrationRecorder(connection).migration_qs.filter(app="slums").delete()
    err = io.StringIO()
    assert main(["serve"], out=io.StringIO(), err=err) == 2
    assert err.getvalue().strip() == (
        "sikumuh: kesalahan: the database is not up to date: run `sikumuh migrate` first"
    )
    assert not not_started


@pytest.mark.django_db
def test_serve_in_production_refuses_to_start_without_the_collected_static_files(
    not_started: list[dict[str, object]], tmp_path: Path
) -> None:
    err = io.StringIO()
    with override_settings(PRODUCTION=True, STATIC_ROOT=tmp_path):
        assert main(["serve"], out=io.StringIO(), err=err) == 2
    assert f"no static files in {tmp_path}: run `sikumuh migrate` first" in err.getvalue()
    assert not not_started


@pytest.mark.django_db
def test_serve_starts_gunicorn_with_the_given_options_once_ready(
    not_started: list[dict[str, object]], tmp_path: Path
) -> None:
    (tmp_path / "staticfiles.json").write_text("{}")
    err = io.StringIO()
    with override_settings(PRODUCTION=True, STATIC_ROOT=tmp_path):
        assert main(["serve", "--port", "8123", "--workers", "2"], io.StringIO(), err) == 0
    assert not_started == [{"host": "127.0.0.1", "port": 8123, "workers": 2}]
    assert "serving on http://127.0.0.1:8123/" in err.getvalue()


def test_the_warm_up_before_the_fork_compiles_every_template_of_ours() -> None:
    serve.warm_up()  # a template that does not compile raises here, not at a user's request
