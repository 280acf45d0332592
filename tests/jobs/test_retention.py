"""Old finished jobs are pruned: by `sikumuh jobs prune [--days N]` now, and by every worker
once an hour between jobs (and as it starts). Queued and running jobs, recent ones and the audit
log stay."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sikumuh.audit.models import AuditEntry
from sikumuh.cli import main
from sikumuh.jobs import worker as job_worker
from sikumuh.jobs.models import Job
from sikumuh.jobs.retention import prune_jobs
from sikumuh.jobs.worker import make_worker, run_pending
from tests.conftest import Personas
from tests.jobs.test_worker import start

pytestmark = pytest.mark.django_db(transaction=True)


def finished(personas: Personas, days_ago: float, *, status: str = Job.Status.SUCCEEDED) -> Job:
    """A job run by the worker, with a result file, finished `days_ago` days ago (its task row
    too)."""
    job = start(personas, "test_counting", steps=1)
    run_pending(memory_mb=0)
    job.refresh_from_db()
    job.result_file.save("hasil.pdf", ContentFile(b"%PDF- not really"), save=False)
    when = timezone.now() - timedelta(days=days_ago)
    job.status, job.finished_at = status, when
    job.save()
    DBTaskResult.objects.filter(id=job.task_id).update(finished_at=when)
    return job


def waiting(personas: Personas, days_ago: float, status: str) -> Job:
    job = start(personas, "test_counting", steps=1)
    Job.objects.filter(pk=job.pk).update(
        status=status, created_at=timezone.now() - timedelta(days=days_ago)
    )
    return job


def file_of(job: Job) -> Path:
    return Path(job.result_file.path)


def test_pruning_deletes_old_finished_jobs_their_files_and_task_rows_only(
    personas: Personas,
) -> None:
    old = finished(personas, 31)
    old_failure = finished(personas, 40, status=Job.Status.FAILED)
    recent = finished(personas, 29)
    queued = waiting(personas, 90, Job.Status.QUEUED)
    running = waiting(personas, 90, Job.Status.RUNNING)
    old_file = file_of(old)
    assert old_file.exists()

    pruned = prune_jobs(days=30)

    assert (pruned.jobs, pruned.files, pruned.task_results) == (2, 2, 2)
    left = set(Job.objects.values_list("pk", flat=True))
    assert left == {recent.pk, queued.pk, running.pk}
    assert not old_file.exists()
    assert not old_file.parent.exists()  # jobs/<pk>/ goes with its file
    assert file_of(recent).exists()
    assert DBTaskResult.objects.filter(id=recent.task_id).exists()
    assert not DBTaskResult.objects.filter(id__in=[old.task_id, old_failure.task_id]).exists()
    # What was done stays in the audit log.
    assert AuditEntry.objects.filter(action="job.start", object_id=str(old.pk)).exists()
    assert prune_jobs(days=30).jobs == 0


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_jobs_prune_uses_the_retention_setting_or_days(personas: Personas, settings: Any) -> None:
    finished(personas, 10)
    settings.JOB_RETENTION_DAYS = 30
    nothing = "0 pekerjaan selesai yang lebih lama dari 30 hari dihapus"
    assert call("jobs", "prune") == (0, nothing + " (0 berkas hasil, 0 baris antrean)\n", "")
    code, out, _ = call("jobs", "prune", "--days", "7")
    assert code == 0
    assert out.startswith("1 pekerjaan selesai yang lebih lama dari 7 hari dihapus")
    assert not Job.objects.exists()


@pytest.mark.parametrize("days", ["0", "-3"])
def test_jobs_prune_refuses_less_than_a_day(personas: Personas, days: str) -> None:
    finished(personas, 10)
    code, _, err = call("jobs", "prune", "--days", days)
    assert code == 2
    assert err == (
        f"sikumuh: kesalahan: --days {days}: pekerjaan disimpan sekurang-kurangnya satu hari\n"
    )
    assert Job.objects.count() == 1


def test_a_worker_prunes_as_it_starts(personas: Personas, settings: Any) -> None:
    settings.JOB_RETENTION_DAYS = 30
    old = finished(personas, 31)
    assert call("worker", "--batch", "--memory-mb", "0")[0] == 0
    assert not Job.objects.filter(pk=old.pk).exists()


def test_a_worker_prunes_once_an_hour_between_jobs_never_during_one(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(job_worker.time, "monotonic", lambda: clock[0])
    calls: list[int] = []
    monkeypatch.setattr("sikumuh.jobs.retention.prune_jobs", lambda days: calls.append(days))
    worker = make_worker(memory_mb=0, fork=False)

    assert worker.running  # the loop's first question: pruned as it starts
    assert worker.running
    clock[0] += 3599
    assert worker.running
    assert len(calls) == 1
    clock[0] += 2
    worker.running_task = True  # a job is running: not now
    assert worker.running
    assert len(calls) == 1
    worker.running_task = False
    assert worker.running
    assert calls == [30, 30]
    assert not worker.running_task

    clock[0] += 7200
    worker.running = False  # stopping: no pruning on the way out
    assert not worker.running
    assert len(calls) == 2


def test_a_failed_pruning_is_logged_and_the_worker_goes_on(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(days: int) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr("sikumuh.jobs.retention.prune_jobs", broken)
    job = start(personas, "test_counting", steps=1)
    make_worker(batch=True, interval=0, memory_mb=0, fork=False).run()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert "pruning old jobs failed" in caplog.text
