"""Kinds of job made for the tests: one that counts, one that breaks, one that fails once, one
that refuses with its own message and one that wants a lot of memory."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sikumuh.jobs.kinds.base import KINDS, JobFailed, Outcome, Reporter, kind_of, register
from sikumuh.jobs.models import Job

MAIN_PID = os.getpid()


def counting(job: Job, progress: Reporter) -> Outcome:
    total = int(job.params.get("steps", 3))
    for step in range(total):
        progress(step, total, f"langkah {step + 1}")
        # What the job page reads while the task runs, kept in a file: the task may run in a
        # child process of the worker.
        seen = Job.objects.values_list("status", "done", "total", "status_text").get(pk=job.pk)
        if "seen" in job.params:
            with open(job.params["seen"], "a", encoding="utf-8") as log:
                log.write(json.dumps(seen) + "\n")
    return {"steps": total}


def broken(job: Job, progress: Reporter) -> Outcome:
    raise ValueError("KeyError in /srv/sikumuh/secret.py line 12")


def flaky(job: Job, progress: Reporter) -> Outcome:
    if job.attempts == 1:
        raise RuntimeError("the first attempt breaks")
    return {"attempt": job.attempts}


def refusing(job: Job, progress: Reporter) -> Outcome:
    raise JobFailed("Berkas tidak dapat dibaca.")


def dying(job: Job, progress: Reporter) -> Outcome:
    """Its process dies at once, as in a crash of a native library or the OOM killer; only in
    a child process of the worker (never the tests' own)."""
    if os.getpid() == MAIN_PID:
        raise RuntimeError("a dying job must run in a child process")
    os.kill(os.getpid(), signal.SIGKILL)
    return {}


def greedy(job: Job, progress: Reporter) -> Outcome:
    block = bytearray(int(job.params["mb"]) * 1024 * 1024)
    return {"bytes": len(block)}


TEST_KINDS = {
    "test_counting": counting,
    "test_broken": broken,
    "test_flaky": flaky,
    "test_refusing": refusing,
    "test_greedy": greedy,
    "test_dying": dying,
}


def register_test_kinds() -> None:
    kind_of("report")  # the real kinds first, so that ours are not overwritten by them
    for name, run in TEST_KINDS.items():
        register(name, name)(run)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def test_kinds(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    register_test_kinds()
    yield
    for name in TEST_KINDS:
        KINDS.pop(name, None)
