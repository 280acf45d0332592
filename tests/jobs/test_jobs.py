"""Jobs with the real database backend and its worker, run in this process on the test database
(SQLite, or PostgreSQL with DATABASE_URL): queued with an audit entry, run, progress written from
inside the task, failures readable in Indonesian with the traceback only in the log, retries."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.jobs.actions import NotRetryable, retry_job, start_job
from sikumuh.jobs.kinds.base import Reporter
from sikumuh.jobs.models import Job
from sikumuh.jobs.selectors import backlog
from sikumuh.jobs.worker import run_pending
from tests.conftest import Personas
from tests.logs import captured

# Transactional: the worker runs as in production, in autocommit, each job's writes committed.
pytestmark = pytest.mark.django_db(transaction=True)

KABUPATEN = "63.01"


def start(personas: Personas, kind: str, **params: object) -> Job:
    with translation.override("id"):
        return start_job(
            actor=Actor.of(personas["admin"]), kind=kind, region_code=KABUPATEN, params=params
        )


def test_a_started_job_waits_in_the_database_queue_with_an_audit_entry(
    personas: Personas,
) -> None:
    job = start(personas, "test_counting", steps=2)
    assert job.status == Job.Status.QUEUED
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.task_path == "sikumuh.jobs.tasks.run_job"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert queued.status == "READY"
    entry = AuditEntry.objects.get(action="job.start", object_id=str(job.pk))
    assert entry.actor == personas["admin"]
    assert entry.region_code == KABUPATEN
    assert entry.context == {"kind": "test_counting", "params": {"steps": 2}}
    assert backlog() == {"queued": 1, "running": 0}


def test_one_worker_pass_runs_the_job_and_keeps_its_summary(personas: Personas) -> None:
    job = start(personas, "test_counting", steps=3)
    run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"steps": 3}
    assert (job.done, job.total, job.status_text) == (3, 3, "Selesai.")
    assert job.started_at is not None
    assert job.finished_at is not None
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert backlog() == {"queued": 0, "running": 0}


def test_progress_written_inside_the_task_is_readable_while_it_runs(
    personas: Personas, tmp_path: Path
) -> None:
    seen_file = tmp_path / "seen.jsonl"
    start(personas, "test_counting", steps=3, seen=str(seen_file))
    run_pending()
    seen = [json.loads(line) for line in seen_file.read_text().splitlines()]
    # The first step is always written; the next ones at most twice a second.
    assert seen[0] == ["running", 0, 3, "langkah 1"]
    assert [status for status, *_ in seen] == ["running"] * 3


@pytest.mark.parametrize(
    ("calls", "written"),
    [
        ([(0, 10, "a"), (1, 10, "b"), (2, 10, "c")], [(0, 10, "a")]),  # throttled in between
        ([(0, 10, "a"), (10, 10, "z")], [(0, 10, "a"), (10, 10, "z")]),  # the end always
        ([(0, 0, "reading")], [(0, 0, "reading")]),  # no total yet
    ],
)
def test_the_reporter_writes_the_start_and_the_end_and_throttles_between(
    personas: Personas,
    calls: list[tuple[int, int, str]],
    written: list[tuple[int, int, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = start(personas, "test_counting")
    seen: list[tuple[int, int, str]] = []
    original = Job.objects.filter

    def spy(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        queryset = original(*args, **kwargs)
        real_update = queryset.update

        def update(**fields: object) -> int:
            seen.append((fields["done"], fields["total"], fields["status_text"]))  # type: ignore[arg-type]
            return real_update(**fields)

        queryset.update = update  # type: ignore[method-assign]
        return queryset

    monkeypatch.setattr(Job.objects, "filter", spy)
    reporter = Reporter(job, interval=60)
    for done, total, text in calls:
        reporter(done, total, text)
    assert seen == written


def test_an_unexpected_error_fails_the_job_in_indonesian_and_logs_the_traceback(
    personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    job = start(personas, "test_broken")
    with caplog.at_level(logging.ERROR, logger="sikumuh.jobs"):
        run_pending(fork=False)  # in this process, where the log is captured
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == (
        "Tugas terhenti karena kesalahan yang tidak terduga. Coba lagi; bila gagal lagi, "
        f"beri tahu administrator (tugas nomor {job.pk})."
    )
    assert "/srv/" not in job.error
    assert "KeyError" not in job.error
    assert "KeyError in /srv/sikumuh/secret.py" in caplog.text  # the traceback, for operators
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def test_a_job_s_own_message_is_shown_as_it_is(personas: Personas) -> None:
    job = start(personas, "test_refusing")
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Berkas tidak dapat dibaca.")


def test_a_failed_job_is_retried_with_the_same_arguments_and_the_retry_audited(
    personas: Personas,
) -> None:
    job = start(personas, "test_flaky", note="same")
    run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    first_task = job.task_id
    retried = retry_job(actor=Actor.of(personas["admin"]), job=job)
    assert (retried.status, retried.attempts, retried.error) == (Job.Status.QUEUED, 2, "")
    assert retried.task_id != first_task
    assert DBTaskResult.objects.get(id=retried.task_id).args_kwargs["args"] == [job.pk]
    entry = AuditEntry.objects.get(action="job.retry", object_id=str(job.pk))
    assert entry.changes == {"status": ["failed", "queued"], "attempts": [1, 2]}
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.result, job.params) == (
        Job.Status.SUCCEEDED,
        {"attempt": 2},
        {"note": "same"},
    )


@pytest.mark.parametrize("status", [Job.Status.QUEUED, Job.Status.SUCCEEDED])
def test_only_a_failed_job_can_be_retried(personas: Personas, status: str) -> None:
    job = start(personas, "test_counting")
    Job.objects.filter(pk=job.pk).update(status=status)
    with pytest.raises(NotRetryable):
        retry_job(actor=Actor.of(personas["admin"]), job=job)
    assert not AuditEntry.objects.filter(action="job.retry").exists()


def test_a_job_of_an_unknown_kind_is_refused_before_it_is_queued(personas: Personas) -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        start(personas, "no_such_kind")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_summary_rebuild_runs_as_a_job(personas: Personas) -> None:
    from tests.factories import location

    location()
    job = start(personas, "rebuild_summaries")
    run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"location_years": 0}  # a location without RT data has no summary
    assert (job.done, job.total) == (1, 1)
    page = personas.client("admin").get(f"/tugas/{job.pk}/").content.decode()
    assert "<dt>Lokasi-tahun yang ditulis</dt><dd>0</dd>" in page


@pytest.fixture
def job_log() -> Iterator[io.StringIO]:
    """What the job logger writes, through the formatter of the settings."""
    with captured("sikumuh.job") as stream:
        yield stream


def test_each_finished_job_is_one_json_line_on_stdout(
    personas: Personas, job_log: io.StringIO
) -> None:
    config = settings.LOGGING
    assert config["loggers"]["sikumuh.job"]["handlers"] == ["stdout"]
    assert config["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    good = start(personas, "test_counting", steps=2)
    bad = start(personas, "test_broken")
    run_pending(fork=False)  # in this process, where the handler listens (PostgreSQL forks)
    first, second = (json.loads(line) for line in job_log.getvalue().splitlines())
    assert first["message"] == second["message"] == "job"
    assert (first["job"], first["kind"], first["status"]) == (good.pk, "test_counting", "succeeded")
    assert (second["job"], second["kind"], second["status"]) == (bad.pk, "test_broken", "failed")
    assert first["region"] == KABUPATEN
    assert first["user_id"] == personas["admin"].pk
    assert first["attempt"] == 1
    assert first["duration_ms"] >= 0
