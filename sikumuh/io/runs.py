"""Recording an import run: the one place that turns an importer's report into an `ImportRun`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from django.utils import timezone

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport
from sikumuh.io.models import ImportRun

#: Problems kept per kind in a run's report (the counts cover all of them).
KEPT_PROBLEMS = 5000


def record_run(
    report: ImportReport,
    *,
    file_sha256: str,
    region_code: str,
    started: dt.datetime,
    actor: Actor,
) -> ImportRun:
    """Record the run of `report` (its kind, file, status, counts, problems and ``extra``) and
    set ``report.run_id``."""
    run = ImportRun.objects.create(
        kind=report.kind,
        file_name=report.file_name[:300],
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
            **report.extra,
        },
    )
    report.run_id = run.pk
    return run


def file_sha256(source: object) -> str:
    """A file's SHA-256 for its run's record; "" for a stream (its reader reads it once) or a
    file that cannot be read."""
    if not isinstance(source, str | os.PathLike):
        return ""
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return ""


def add_to_run(report: ImportReport, values: dict[str, Any]) -> None:
    """Add what was learnt after the run was recorded (a follow-up step's counts, problems
    renamed for the file's readers) to the run's report."""
    assert report.run_id is not None  # record_run set it
    run = ImportRun.objects.get(pk=report.run_id)
    run.report = {**run.report, **values}
    run.save(update_fields=["report"])
