"""`sikumuh worker [--batch]`: run background jobs (reports, rebuilds, imports) as they come.

One worker runs one job at a time; start as many as the machine allows, on as many machines as
share the PostgreSQL database (each takes a job the others have not). SIGTERM stops it after the
job it is running. `sikumuh demo` starts one beside the server (:func:`start_worker_process`).
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("worker", help="run background jobs (reports, rebuilds, imports)")
    parser.add_argument("--batch", action="store_true", help="run the jobs waiting now, then stop")
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=None,
        help="memory a job may use, in MB (default: $SIKUMUH_JOB_MEMORY_MB or 2048; 0: no limit)",
    )
    parser.set_defaults(run=run)


def _check_migrated() -> None:
    """A worker never migrates (several may start at once): it needs a ready database."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise base.CommandError(f"cannot open the database: {exc}") from exc
    if pending:
        raise base.CommandError("the database is not up to date: run `sikumuh migrate` first")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)
    from django.conf import settings

    from sikumuh.jobs.worker import run_worker

    _check_migrated()
    jobs_log = logging.getLogger("sikumuh.jobs")
    if jobs_log.level == logging.NOTSET:
        jobs_log.setLevel(logging.INFO)  # one line per job, whatever the general log level
    memory = settings.JOB_MEMORY_MB if args.memory_mb is None else args.memory_mb
    limit = f"{memory} MB per job" if memory else "no memory limit"

    # stdout is the job log (one JSON line per job, as the server's is its request log): the
    # worker's own words go to stderr.
    def ready() -> None:
        print(
            f"worker started ({limit}); SIGTERM or Ctrl+C stops it after the running job", file=err
        )
        err.flush()

    run_worker(batch=args.batch, memory_mb=memory, ready=ready)
    print("worker stopped: no job waiting", file=err)
    return 0


def start_worker_process(**popen: Any) -> subprocess.Popen[bytes]:
    """One `sikumuh worker` in a child process, with this process's environment (the demo);
    ``popen``: more arguments for :class:`subprocess.Popen` (its output, for the tests)."""
    return subprocess.Popen([sys.executable, "-m", "sikumuh.cli", "worker"], **popen)


def stop_worker_process(process: subprocess.Popen[bytes], timeout: float = 30) -> int:
    """SIGTERM, then wait for the running job to end (killed after ``timeout`` seconds)."""
    process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
