"""One worker: the database backend's own worker loop (``db_worker``'s), each job in a child
process of its own whose address space is limited, so that a job fails alone.

The limit (``SIKUMUH_JOB_MEMORY_MB``, ``RLIMIT_AS``) is the job's, never the web server's nor the
worker's: a bad file makes an allocation fail inside its job (``MemoryError``: the job is marked
failed with a readable message), and should a job's process die outright (a crash in a native
library, the kernel's OOM killer), the worker marks that job failed and takes the next one — no
job is left "running" for ever. SIGTERM and SIGINT stop the worker gracefully: the running job
is finished first (a second signal stops the worker at once). Between two jobs, once an hour
(and when it starts), a worker deletes the finished jobs older than
``settings.JOB_RETENTION_DAYS`` (``sikumuh.jobs.retention``).

A forked child cannot share an in-memory SQLite database (the tests' default), so there — and
where ``os.fork`` does not exist — jobs run in the worker's own process, under the same limit.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

QUEUES = ["default"]
logger = logging.getLogger("sikumuh.jobs")
#: Seconds between two prunings of old jobs by one worker.
PRUNE_EVERY = 3600.0


@contextmanager
def memory_limit(megabytes: int | None) -> Iterator[None]:
    """Limit this process's address space to ``megabytes`` (None or 0: no limit) while inside;
    only the soft limit changes, so it is restored on the way out."""
    if not megabytes:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def can_fork() -> bool:
    return hasattr(os, "fork") and not any(
        c.vendor == "sqlite" and c.is_in_memory_db()  # type: ignore[attr-defined]
        for c in connections.all()
    )


class JobWorker(Worker):
    """``db_worker``'s loop; each job under the memory limit, in a child process if ``fork``;
    old finished jobs pruned every ``prune_every`` seconds (None: never)."""

    def __init__(
        self, *, memory_mb: int, fork: bool, prune_every: float | None, **options: Any
    ) -> None:
        self._running = True
        self._stopping = False
        self._next_prune = 0.0 if prune_every is not None else float("inf")
        self.prune_every = prune_every
        super().__init__(**options)
        self.memory_mb = memory_mb
        self.fork = fork

    # db_worker's loop has no hook between two jobs; it asks `self.running` there (at the top of
    # each turn and after each job), and nowhere else but in its signal handler. So that is
    # where an hourly pruning runs — never from the handler, never during a job.
    @property
    def running(self) -> bool:
        if (
            self._running
            and not self._stopping
            and not self.running_task
            and time.monotonic() >= self._next_prune
        ):
            self._prune()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def shutdown(self, signum: int, frame: Any) -> None:
        self._stopping = True
        super().shutdown(signum, frame)

    def _prune(self) -> None:
        from sikumuh.jobs.retention import prune_jobs

        assert self.prune_every is not None
        self._next_prune = time.monotonic() + self.prune_every
        self.running_task = True  # a SIGTERM now waits for the pruning, as for a job
        try:
            prune_jobs(days=settings.JOB_RETENTION_DAYS)
        except Exception:  # a failed pruning must not stop the jobs; it is tried again later
            logger.exception("pruning old jobs failed")
        finally:
            self.running_task = False

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        if not self.fork:
            with memory_limit(self.memory_mb):
                super().run_task(db_task_result)
            return
        self.running_task = True  # a first SIGTERM now waits for the job to end
        try:
            status = self._run_in_child(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            from sikumuh.jobs.tasks import fail_lost

            fail_lost(db_task_result, status)

    def _run_in_child(self, db_task_result: DBTaskResult[..., Any]) -> int:
        connections.close_all()  # the child opens its own connections: none is shared
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child, which leaves by os._exit only
            code = 1
            try:
                # The worker (the parent) decides when to stop; the child ends its job.
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                with memory_limit(self.memory_mb):
                    Worker.run_task(self, db_task_result)  # records success or failure
                connections.close_all()
                code = 0
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        return status


def make_worker(
    *,
    batch: bool = False,
    interval: float = 1.0,
    max_tasks: int | None = None,
    memory_mb: int | None = None,
    fork: bool | None = None,
    prune_every: float | None = PRUNE_EVERY,
) -> JobWorker:
    return JobWorker(
        memory_mb=settings.JOB_MEMORY_MB if memory_mb is None else memory_mb,
        fork=can_fork() if fork is None else fork,
        prune_every=prune_every,
        queue_names=QUEUES,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


def run_worker(
    *,
    batch: bool = False,
    interval: float = 1.0,
    memory_mb: int | None = None,
    fork: bool | None = None,
    handle_signals: bool = True,
    ready: Callable[[], None] | None = None,
    prune_every: float | None = PRUNE_EVERY,
) -> None:
    """Run jobs until stopped (``batch``: until none is waiting); ``ready()`` is called once
    the signals are handled, before the first job."""
    worker = make_worker(
        batch=batch, interval=interval, memory_mb=memory_mb, fork=fork, prune_every=prune_every
    )
    if handle_signals:
        worker.configure_signals()
    if ready is not None:
        ready()
    try:
        worker.run()
    finally:
        if handle_signals:
            worker.reset_signals()


def run_pending(*, memory_mb: int | None = 0, fork: bool | None = None) -> None:
    """Run every job waiting now, then return (tests, one-off runs); no pruning."""
    run_worker(
        batch=True,
        interval=0,
        memory_mb=memory_mb,
        fork=fork,
        handle_signals=False,
        prune_every=None,
    )
