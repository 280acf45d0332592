"""One worker: the database backend's own worker loop (``db_worker``'s), in a process whose
address space is limited, so that a job that needs too much memory fails alone.

The limit (``SIKUMUH_JOB_MEMORY_MB``, ``RLIMIT_AS``) is the worker's, never the web server's:
a bad file makes an allocation fail inside its job (``MemoryError``), the job is marked failed
with a readable message, and the worker takes the next one. SIGTERM and SIGINT stop the worker
gracefully: the running job is finished first (a second signal stops it at once).
"""

from __future__ import annotations

import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

QUEUES = ["default"]


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


def make_worker(
    *, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None
) -> Worker:
    return Worker(
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
    max_tasks: int | None = None,
    memory_mb: int | None = None,
    handle_signals: bool = True,
    ready: Callable[[], None] | None = None,
) -> None:
    """Run jobs until stopped (``batch``: until none is waiting) under the memory limit;
    ``ready()`` is called once the signals are handled, before the first job."""
    worker = make_worker(batch=batch, interval=interval, max_tasks=max_tasks)
    if handle_signals:
        worker.configure_signals()
    if ready is not None:
        ready()
    limit = settings.JOB_MEMORY_MB if memory_mb is None else memory_mb
    try:
        with memory_limit(limit):
            worker.run()
    finally:
        if handle_signals:
            worker.reset_signals()


def run_pending(*, memory_mb: int | None = 0) -> None:
    """Run every job waiting now, in this process, then return (tests, one-off runs)."""
    run_worker(batch=True, interval=0, memory_mb=memory_mb, handle_signals=False)
