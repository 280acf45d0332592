"""`/healthz`: is this server fit to take requests? For the proxy's or orchestrator's probe.

No login, no session, no template: a few cheap queries. Answers 200 when the database answers
and every migration is applied, 503 otherwise, with JSON saying which part failed. The jobs
backlog (jobs queued and not yet taken by a worker) is there for monitoring.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Once every migration is applied it stays so until the code changes, which restarts the server:
# the migration graph (read from disk, the costly part) is then checked once per process.
_migrated = False


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("healthz: the database does not answer")
        return "error"
    return "ok"


def _migrations() -> str:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if _migrated else "pending"


def _jobs_backlog() -> int:
    """Jobs waiting for a worker (queued, not yet running)."""
    from sikumuh.jobs.selectors import backlog

    return backlog()["queued"]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, Any] = {"database": _database()}
    if report["database"] == "ok":
        report["migrations"] = _migrations()
        report["jobs_backlog"] = _jobs_backlog()
    else:
        report["migrations"] = report["jobs_backlog"] = None
    healthy = report["database"] == "ok" and report["migrations"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503
    )
