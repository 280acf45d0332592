"""`/healthz`: the probe's answer, without login, from the database itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from sikumuh.web.views import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is a process that has not yet seen its migrations applied."""
    monkeypatch.setattr(health, "_migrated", False)


def test_a_healthy_server_answers_200_with_json_to_an_anonymous_probe() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "jobs_backlog": 0,
    }
    assert "no-store" in response.headers["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_pending_migrations_make_the_server_unhealthy() -> None:
    MigrationRecorder(connection).migration_qs.filter(app="surveys").delete()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["migrations"] == "pending"
    assert response.json()["database"] == "ok"


def test_once_migrated_the_graph_is_not_read_again(
    django_assert_max_num_queries: object,
) -> None:
    Client().get("/healthz")
    # SELECT 1 and the jobs backlog.
    with django_assert_max_num_queries(2):  # type: ignore[operator]  # pytest-django fixture
        assert Client().get("/healthz").status_code == 200


def test_the_backlog_counts_the_jobs_waiting_for_a_worker() -> None:
    from sikumuh.jobs.models import Job

    for status in (Job.Status.QUEUED, Job.Status.QUEUED, Job.Status.RUNNING):
        Job.objects.create(kind="report", region_code="63.01", status=status)
    assert Client().get("/healthz").json()["jobs_backlog"] == 2


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_the_probe_only_reads(method: str) -> None:
    assert getattr(Client(), method.lower())("/healthz").status_code == 405


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
def test_the_probe_is_answered_over_plain_http_when_pages_are_redirected_to_https() -> None:
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/masuk/").status_code == 301
