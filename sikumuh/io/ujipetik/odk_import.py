"""Import the CSV export of checklist submissions from ODK Central or KoboToolbox.

The two exports' columns are read by :mod:`sikumuh.io.odk_csv`; with "labels" chosen instead
of XML names, headers and answers are the form's labels: both are read.

The habit of the project's importers (pretix `modelimport`): every row is resolved and checked
first, each problem naming row, column and value; then, if nothing is wrong (or `skip_invalid`),
everything is saved in one transaction and the run is recorded. Matching is by the sample item's
key ("UP<uji petik>-<position>", the XLSForm's choice name). Idempotent: a submission already
stored with the same answers changes nothing. When an item has several submissions the latest
(submission time, then row) wins and the others are reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.chunks import chunks
from sikumuh.core.rows import ImportReport, Problem
from sikumuh.inspections.actions.checklists import (
    CHECKLIST_FIELDS,
    add_follow_up,
    record_finding,
    save_checklist,
)
from sikumuh.inspections.form import QUESTIONS
from sikumuh.inspections.models import Checklist, ChecklistSource, Finding, SampleItem, UjiPetik
from sikumuh.io import guard, odk_csv
from sikumuh.io.models import ImportRun
from sikumuh.io.odk_csv import read_csv
from sikumuh.io.runs import record_run
from sikumuh.io.ujipetik.answers import (
    Bad,
    column_name,
    parse_answer,
    parse_decimal,
    parse_submitted_at,
)

KIND = "uji-petik-submissions"
ITEM_KEY = re.compile(r"^UP(\d+)-(\d+)$")
_INSTANCE_COLUMNS = odk_csv.INSTANCE_COLUMNS
_TIME_COLUMNS = odk_csv.TIME_COLUMNS

__all__ = ["column_name", "import_submissions", "read_csv"]


@dataclass
class _Row:
    number: str
    item: SampleItem
    submission_id: str
    submitted_at: dt.datetime | None
    values: dict[str, Any]
    finding: dict[str, Any]


# --- Import ------------------------------------------------------------------------------------


def import_submissions(
    data: bytes,
    *,
    actor: Actor,
    file_name: str,
    uji_petik: UjiPetik | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Validate every row of the export, then store the checklists at once (see module doc)."""
    started = timezone.now()
    report = ImportReport(kind=KIND, file_name=file_name, counts={"findings_created": 0})
    report.extra["source"] = ""
    try:
        header, raw_rows = read_csv(data, file_name)
    except guard.FileRefused as exc:
        # One problem for the whole file, recorded like any other rejected run.
        report.errors.append(Problem(file_name, "1", None, None, exc.translated()))
        _record_run(report, actor=actor, started=started, data=data, uji_petik=uji_petik)
        return report
    columns = [column_name(h) for h in header]
    index = odk_csv.first_index(columns)
    report.extra["source"] = (
        ChecklistSource.KOBO if odk_csv.is_kobo(header) else ChecklistSource.ODK
    )
    missing = [] if "item" in index else ["item"]
    if not any(c in index for c in _INSTANCE_COLUMNS):
        missing.append("meta-instanceID (or KEY, _uuid)")
    if missing:
        report.errors.append(
            Problem(
                file_name,
                "1",
                ", ".join(missing),
                None,
                _(
                    "the file lacks the column(s) %(columns)s: it is not an export of the uji "
                    "petik checklist form"
                )
                % {"columns": ", ".join(missing)},
            )
        )
        report.rows_total = len(raw_rows)
        report.rejected_rows = [str(n) for n in range(2, len(raw_rows) + 2)]
        _record_run(report, actor=actor, started=started, data=data, uji_petik=uji_petik)
        return report

    items = _items_for(raw_rows, index["item"])
    good: list[_Row] = []
    for number, cells in enumerate(raw_rows, start=2):
        row = _resolve(str(number), cells, index, items, report, uji_petik)
        if row is not None:
            good.append(row)
    good = _without_foreign_ids(good, report)
    report.rejected_rows = sorted({p.row for p in report.errors}, key=int)
    report.rows_total = len(raw_rows)
    kept = _latest_only(good, report)
    if report.errors and not skip_invalid:
        report.status = ImportRun.Status.REJECTED
    else:
        with transaction.atomic():
            _commit(kept, report, actor=actor)
        if report.created == report.updated == report.counts["findings_created"] == 0:
            report.status = ImportRun.Status.UNCHANGED
        else:
            report.status = (
                ImportRun.Status.PARTIAL if report.errors else ImportRun.Status.COMMITTED
            )
    _record_run(report, actor=actor, started=started, data=data, uji_petik=uji_petik)
    return report


def _items_for(rows: list[list[str]], column: int) -> dict[tuple[int, int], SampleItem]:
    """The sample items the file names, in one query."""
    keys = set()
    for cells in rows:
        match = ITEM_KEY.match(cells[column].strip()) if column < len(cells) else None
        if match:
            keys.add((int(match[1]), int(match[2])))
    if not keys:
        return {}
    found = SampleItem.objects.filter(
        uji_petik_id__in={k[0] for k in keys}, position__in={k[1] for k in keys}
    ).select_related("uji_petik")
    return {(i.uji_petik_id, i.position): i for i in found}


_cell = odk_csv.cell


def _resolve(
    number: str,
    cells: list[str],
    index: Mapping[str, int],
    items: Mapping[tuple[int, int], SampleItem],
    report: ImportReport,
    uji_petik: UjiPetik | None,
) -> _Row | None:
    file_name = report.file_name
    problems: list[Problem] = []

    def bad(column: str, value: str, reason: str) -> None:
        problems.append(Problem(file_name, number, column, value, reason))

    key = _cell(cells, index, "item")
    match = ITEM_KEY.match(key)
    item = items.get((int(match[1]), int(match[2]))) if match else None
    if item is None:
        bad("item", key, _("no sampled item has this key (expected UP<uji petik>-<position>)"))
    elif uji_petik is not None and item.uji_petik_id != uji_petik.pk:
        reason = _("the item belongs to uji petik %(other)s, not %(this)s")
        bad("item", key, reason % {"other": item.uji_petik_id, "this": uji_petik.pk})
    instance = odk_csv.instance_id(cells, index)
    if not instance:
        bad("meta-instanceID", "", _("the submission has no instance id"))
    submitted_at = None
    for column in _TIME_COLUMNS:
        text = _cell(cells, index, column)
        if text:
            try:
                submitted_at = parse_submitted_at(text)
            except Bad as exc:
                bad(column, text, str(exc))
            break
    values: dict[str, Any] = {}
    finding: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.kind in {"", "item", "geopoint"}:
            continue
        text = _cell(cells, index, q.name)
        list_name = q.type.split()[1] if q.type.startswith("select_one ") else ""
        try:
            value = parse_answer(q.kind, list_name, text) if text else None
        except Bad as exc:
            bad(q.name, text, str(exc))
            continue
        if q.name in CHECKLIST_FIELDS:
            values[q.name] = value
        else:
            finding[q.name] = value
    latitude, longitude = _geopoint(cells, index, bad)
    values["latitude"], values["longitude"] = latitude, longitude
    if problems or item is None:
        report.errors.extend(problems)
        return None
    return _Row(number, item, instance, submitted_at, values, finding)


def _geopoint(
    cells: list[str], index: Mapping[str, int], bad: Any
) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude (WGS 84) from the split columns, or Kobo's "lat lon alt acc"."""
    lat_text = _cell(cells, index, "location__latitude")
    lon_text = _cell(cells, index, "location__longitude")
    column = "location-Latitude"
    if not (lat_text or lon_text):
        parts = _cell(cells, index, "location").split()
        if not parts:
            return None, None
        column = "location"
        lat_text, lon_text = [*parts, ""][:2]
    try:
        lat, lon = parse_decimal(lat_text), parse_decimal(lon_text)
    except Bad:
        bad(column, f"{lat_text} {lon_text}".strip(), _("not a GPS point"))
        return None, None
    # A geopoint is latitude first (ODK/XForms), unlike GeoJSON's lon/lat order.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        bad(column, f"{lat_text} {lon_text}", _("latitude or longitude out of range"))
        return None, None
    return lat, lon


def _without_foreign_ids(rows: list[_Row], report: ImportReport) -> list[_Row]:
    """A submission id already stored for another item is an error (one query)."""
    owners = {
        submission: item
        for chunk in chunks(r.submission_id for r in rows)
        for submission, item in Checklist.objects.filter(submission_id__in=chunk).values_list(
            "submission_id", "sample_item_id"
        )
    }
    kept = []
    for row in rows:
        owner = owners.get(row.submission_id)
        if owner is not None and owner != row.item.pk:
            report.errors.append(
                Problem(
                    report.file_name,
                    row.number,
                    "meta-instanceID",
                    row.submission_id,
                    _("this submission is already stored for another sampled item"),
                )
            )
        else:
            kept.append(row)
    return kept


def _latest_only(rows: list[_Row], report: ImportReport) -> list[_Row]:
    """One row per item: the latest submission. Repeats of one submission are dropped too."""
    by_submission: dict[str, _Row] = {}
    unique: list[_Row] = []
    for row in rows:
        first = by_submission.get(row.submission_id)
        if first is not None:
            report.warnings.append(
                Problem(
                    report.file_name,
                    row.number,
                    "meta-instanceID",
                    row.submission_id,
                    _("the same submission as row %(row)s: ignored") % {"row": first.number},
                    "warning",
                )
            )
            continue
        by_submission[row.submission_id] = row
        unique.append(row)
    latest: dict[int, _Row] = {}
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)

    def order(row: _Row) -> tuple[dt.datetime, int]:
        return (row.submitted_at or floor, int(row.number))

    for row in unique:
        held = latest.get(row.item.pk)
        if held is None:
            latest[row.item.pk] = row
            continue
        winner, loser = (row, held) if order(row) > order(held) else (held, row)
        latest[row.item.pk] = winner
        report.warnings.append(
            Problem(
                report.file_name,
                loser.number,
                "item",
                loser.item.key,
                _("a later submission for the same item is in row %(row)s: this one is not stored")
                % {"row": winner.number},
                "warning",
            )
        )
    return sorted(latest.values(), key=lambda r: int(r.number))


def _commit(rows: list[_Row], report: ImportReport, *, actor: Actor) -> None:
    stored = {
        c.sample_item_id: c
        for chunk in chunks(r.item.pk for r in rows)
        for c in Checklist.objects.filter(sample_item_id__in=chunk)
    }
    existing_findings = {
        submission
        for chunk in chunks(r.submission_id for r in rows)
        for submission in Finding.objects.filter(submission_id__in=chunk).values_list(
            "submission_id", flat=True
        )
    }
    for row in rows:
        current = stored.get(row.item.pk)
        if (
            current is not None
            and current.submission_id != row.submission_id
            and row.submitted_at is not None
            and current.submitted_at > row.submitted_at
        ):
            report.warnings.append(
                Problem(
                    report.file_name,
                    row.number,
                    "item",
                    row.item.key,
                    _("the stored checklist is more recent than this submission: kept"),
                    "warning",
                )
            )
            report.unchanged += 1
            continue
        _checklist, changed = save_checklist(
            actor=actor,
            item=row.item,
            values=row.values,
            source=report.extra["source"],
            submission_id=row.submission_id,
            submitted_at=row.submitted_at,
        )
        if current is None:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
        severity = row.finding.get("finding_severity")
        description = row.finding.get("finding_description") or ""
        if severity and severity != "tidak_ada" and row.submission_id not in existing_findings:
            finding = record_finding(
                actor=actor,
                uji_petik=row.item.uji_petik,
                sample_item=row.item,
                severity=severity,
                description=description or "(tanpa uraian)",
                photo_ref=row.finding.get("finding_photo") or "",
                submission_id=row.submission_id,
            )
            report.counts["findings_created"] += 1
            action = row.finding.get("recommendation") or ""
            responsible = row.finding.get("responsible") or ""
            if action and responsible:
                add_follow_up(
                    actor=actor,
                    finding=finding,
                    action=action,
                    responsible=responsible,
                    deadline=row.finding.get("deadline"),
                )


def _record_run(
    report: ImportReport,
    *,
    actor: Actor,
    started: dt.datetime,
    data: bytes,
    uji_petik: UjiPetik | None,
) -> None:
    record_run(
        report,
        file_sha256=hashlib.sha256(data).hexdigest(),
        region_code=uji_petik.kabupaten_id if uji_petik else "",
        started=started,
        actor=actor,
    )
