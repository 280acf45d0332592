"""The worker: a job that wants more memory than allowed fails alone with a readable message
and the worker takes the next job; `sikumuh worker` runs the backend's worker, refuses a database
that is not migrated, and stops gracefully on SIGTERM."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.cli import main
from sikumuh.cli.worker import start_worker_process, stop_worker_process
from sikumuh.jobs.actions import start_job
from sikumuh.jobs.models import Job
from sikumuh.jobs.worker import memory_limit, run_pending
from tests.conftest import REPO, Personas


def address_space_mb() -> int:
    """This process's address space now (VmSize), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    pytest.skip("no /proc/self/status here")


def start(personas: Personas, kind: str, **params: object) -> Job:
    return start_job(
        actor=Actor.of(personas["admin"]), kind=kind, region_code="63.01", params=params,
        language="id",
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_job_over_the_memory_limit_fails_cleanly_and_the_worker_goes_on(
    personas: Personas,
) -> None:
    greedy = start(personas, "test_greedy", mb=2048)
    after = start(personas, "test_counting", steps=2)
    before = resource.getrlimit(resource.RLIMIT_AS)
    # Room for the worker's own work, not for the 2 GB the bad job asks for.
    run_pending(memory_mb=address_space_mb() + 300)
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # the limit was the worker's only
    greedy.refresh_from_db()
    after.refresh_from_db()
    assert greedy.status == Job.Status.FAILED
    assert greedy.error.startswith("Tugas membutuhkan memori melebihi batas untuk satu tugas")
    assert after.status == Job.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_the_same_job_succeeds_without_the_limit(personas: Personas) -> None:
    job = start(personas, "test_greedy", mb=64)
    run_pending(memory_mb=0)
    job.refresh_from_db()
    assert (job.status, job.result) == (Job.Status.SUCCEEDED, {"bytes": 64 * 1024 * 1024})


@pytest.mark.parametrize("megabytes", [None, 0])
def test_no_limit_leaves_the_address_space_alone(megabytes: int | None) -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_limit(megabytes):
        assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_a_limit_applies_inside_and_is_lifted_after() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_limit(address_space_mb() + 500):
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        assert soft != resource.RLIM_INFINITY
        with pytest.raises(MemoryError):
            bytearray(4 * 1024 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before


@pytest.mark.django_db(transaction=True)
def test_sikumuh_worker_batch_runs_the_waiting_jobs_and_stops(personas: Personas) -> None:
    job = start(personas, "test_counting", steps=2)
    out, err = io.StringIO(), io.StringIO()
    assert main(["worker", "--batch", "--memory-mb", "0"], out=out, err=err) == 0
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert out.getvalue() == ""  # stdout is the job log's (JSON lines)
    assert err.getvalue().splitlines() == [
        "worker started (no memory limit); SIGTERM or Ctrl+C stops it after the running job",
        "worker stopped: no job waiting",
    ]


# --- A worker process -------------------------------------------------------------------------


def sikumuh(var: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SIKUMUH_VAR_DIR": str(var), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)  # a file SQLite of its own
    return subprocess.Popen(
        [sys.executable, "-m", "sikumuh.cli", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_the_worker_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    process = sikumuh(tmp_path, "worker", "--batch")
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip() == (
        "sikumuh: kesalahan: the database is not up to date: run `sikumuh migrate` first"
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var folder with a migrated SQLite file, for worker processes of their own."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "SIKUMUH_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    return var


@pytest.mark.slow
def test_the_demo_s_worker_process_stops_gracefully_on_sigterm(
    migrated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKUMUH_VAR_DIR", str(migrated))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # a file SQLite of its own
    monkeypatch.delenv("SIKUMUH_JOB_MEMORY_MB", raising=False)
    monkeypatch.chdir(REPO)
    with start_worker_process(stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stderr.readline().startswith(b"worker started (2048 MB per job)")
        assert stop_worker_process(process) == 0  # SIGTERM, then a clean exit
        assert b"shutting down gracefully" in process.stderr.read()


# Three jobs for a worker with a job process each: one whose process is killed, one that wants
# 4 GB under a limit, one that is fine (on a file SQLite, which a child process can share).
WORKER_SCRIPT = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from tests.jobs.conftest import register_test_kinds
from tests.jobs.test_worker import address_space_mb
from sikumuh.audit.actions import Actor
from sikumuh.jobs.actions import start_job
from sikumuh.jobs.models import Job
from sikumuh.jobs.worker import run_pending
register_test_kinds()
for kind, params in [("test_dying", {}), ("test_greedy", {"mb": 4096}), ("test_counting", {})]:
    start_job(actor=Actor.system("test"), kind=kind, region_code="63.01", params=params,
              language="id")
run_pending(memory_mb=address_space_mb() + 300, fork=True)
for job in Job.objects.order_by("pk"):
    print(job.kind, job.status, job.error[:30], sep="|")
"""


@pytest.mark.slow
def test_each_job_runs_in_a_process_of_its_own_and_a_dead_one_fails_alone(
    migrated: Path,
) -> None:
    env = {**os.environ, "SIKUMUH_VAR_DIR": str(migrated), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # One JSON line per job on stdout, written by whichever process saw its end.
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    assert all(entry["duration_ms"] >= 0 for entry in logged)  # the dead one's too
    assert [(entry["kind"], entry["status"]) for entry in logged] == [
        ("test_dying", "failed"),
        ("test_greedy", "failed"),
        ("test_counting", "succeeded"),
    ]
    assert [line for line in lines if not line.startswith("{")] == [
        "test_dying|failed|Proses tugas berakhir tanpa di",
        "test_greedy|failed|Tugas membutuhkan memori meleb",
        "test_counting|succeeded|",
    ]
    assert "its process ended (signal 9)" in result.stderr  # for the operators
