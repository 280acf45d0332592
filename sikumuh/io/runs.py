"""Recording an import run: the one place that turns an importer's report into an `ImportRun`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.utils import timezone

from sikumuh.audit.actions import Actor
from sikumuh.io.models import ImportRun
from sikumuh.io.rows import Problem

#: Problems kept per kind in a run's report (the counts cover all of them).
KEPT_PROBLEMS = 5000


class RunReport(Protocol):
    status: str
    rows_total: int
    created: int
    updated: int
    unchanged: int
    rejected_rows: list[str]
    errors: list[Problem]
    warnings: list[Problem]


def record_run(
    report: RunReport,
    *,
    kind: str,
    file_name: str,
    file_sha256: str,
    region_code: str,
    started: dt.datetime,
    actor: Actor,
    extra: dict[str, Any] | None = None,
) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        file_name=file_name[:300],
        file_sha256=file_sha256,
        region_code=region_code,
        status=report.status,
        started_at=started,
        finished_at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label[:150],
        rows_total=report.rows_total,
        rows_created=report.created,
        rows_updated=report.updated,
        rows_unchanged=report.unchanged,
        rows_rejected=len(report.rejected_rows),
        report={
            "errors": [p.as_dict() for p in report.errors[:KEPT_PROBLEMS]],
            "warnings": [p.as_dict() for p in report.warnings[:KEPT_PROBLEMS]],
            **(extra or {}),
        },
    )
