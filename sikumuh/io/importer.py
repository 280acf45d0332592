"""The one commit path of every RT-data importer (template, motorkawanku, demo).

Validate every row first (region, duplicates, scoring errors); then, if nothing is wrong (or
`skip_invalid` was asked for), save once in one short transaction with bulk audit entries.
Re-importing the same rows changes nothing and writes no audit entry. Each run is recorded as an
`ImportRun` with its status and report. Habit from pretix's `modelimport`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sikumuh.audit.actions import Actor, diff
from sikumuh.core.chunks import chunks
from sikumuh.core.criteria import HEADER_FIELDS, UnknownRuleSet, get_rule_set
from sikumuh.core.rows import ImportReport, ObservationRow, Problem
from sikumuh.core.scoring import UnitResult
from sikumuh.io.import_commit import commit as _commit
from sikumuh.io.import_commit import row_values as _row_values
from sikumuh.io.import_lock import ImportCollision, locked_kabupaten
from sikumuh.io.models import ImportRun
from sikumuh.io.runs import record_run
from sikumuh.regions.models import Level, Region, code_at_level
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation
from sikumuh.surveys.review import lock_text, locks_among, returns_to_review
from sikumuh.surveys.scoring import score_values

Progress = Callable[[int, int], None]


def _result_problems(
    row: ObservationRow, result: UnitResult
) -> tuple[list[Problem], list[Problem]]:
    def column(issue_criterion: str | None, issue_field: str | None) -> str | None:
        # The engine names the input ("volume", "percent" or a header field); the file's
        # column for a criterion is v_<code> or p_<code>.
        if issue_field == "volume" and issue_criterion:
            return f"v_{issue_criterion}"
        if issue_field == "percent" and issue_criterion:
            return f"p_{issue_criterion}"
        if issue_field:
            return issue_field
        if issue_criterion is None:
            return None
        prefix = "p" if row.percents.get(issue_criterion) is not None else "v"
        return f"{prefix}_{issue_criterion}"

    def problem(issue: Any, severity: str) -> Problem:
        return Problem(
            file=row.file,
            row=row.row,
            column=column(issue.criterion, issue.field),
            value=issue.value,
            reason=issue.message,
            severity=severity,
        )

    return (
        [problem(i, "error") for i in result.errors],
        [problem(i, "warning") for i in result.warnings],
    )


@dataclass
class _Valid:
    row: ObservationRow
    result: UnitResult


def validate_rows(
    rows: list[ObservationRow],
    *,
    region_code: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[_Valid], list[Problem], list[Problem]]:
    """Every check that needs no write: region codes, duplicates, scoring errors."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    desa_codes = {r.kode_desa for r in rows}
    known_desa = {
        code
        for chunk in chunks(desa_codes)
        for code in Region.objects.filter(code__in=chunk, level=Level.DESA).values_list(
            "code", flat=True
        )
    }
    seen: dict[tuple[str, str, str, int], str] = {}
    valid: list[_Valid] = []
    for index, row in enumerate(rows, start=1):
        if progress and index % 500 == 0:
            progress(index, len(rows))
        row_errors: list[Problem] = []
        if row.kode_desa not in known_desa:
            row_errors.append(
                Problem(
                    row.file, row.row, "kode_desa", row.kode_desa, "unknown desa/kelurahan code"
                )
            )
        elif region_code and not (
            row.kode_desa == region_code or row.kode_desa.startswith(region_code + ".")
        ):
            row_errors.append(
                Problem(
                    row.file, row.row, "kode_desa", row.kode_desa, f"outside region {region_code}"
                )
            )
        first = seen.setdefault(row.key, row.row)
        if first != row.row:
            row_errors.append(
                Problem(
                    row.file,
                    row.row,
                    "rt",
                    row.rt,
                    f"duplicate of row {first} (same kode_desa, lokasi, rt, tahun)",
                )
            )
        try:
            get_rule_set(row.rule_set)
        except UnknownRuleSet:
            row_errors.append(Problem(row.file, row.row, "rules", row.rule_set, "unknown rule set"))
            errors.extend(row_errors)
            continue
        result = score_values(
            header=row.header, volumes=row.volumes, percents=row.percents, rule_set_id=row.rule_set
        )
        result_errors, result_warnings = _result_problems(row, result)
        row_errors.extend(result_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            warnings.extend(result_warnings)
            valid.append(_Valid(row, result))
    valid, locked = _refuse_locked_changes(valid)
    errors.extend(locked)
    return valid, errors, warnings


def _refuse_locked_changes(valid: list[_Valid]) -> tuple[list[_Valid], list[Problem]]:
    """Rows that would create or change an observation of a locked kabupaten-year are
    rejected, each naming the lock (`surveys.review`); rows equal to what is stored pass, so
    re-importing a file that also holds a locked year still works. Two queries at most."""

    def kabupaten(v: _Valid) -> str:
        return code_at_level(v.row.kode_desa, Level.KABUPATEN) or ""

    locks = locks_among({(kabupaten(v), v.row.tahun) for v in valid})
    if not locks:
        return valid, []
    stored = {
        (o.rt.location.kabupaten_id, o.rt.location.code, o.rt.rt, o.tahun): o
        for o in Observation.objects.filter(
            rt__location__kabupaten_id__in={k for k, _ in locks},
            tahun__in={t for _, t in locks},
        ).select_related("rt__location")
    }
    kept: list[_Valid] = []
    problems: list[Problem] = []
    for v in valid:
        lock = locks.get((kabupaten(v), v.row.tahun))
        if lock is not None:
            obs = stored.get((lock.kabupaten_id, v.row.lokasi, v.row.rt, v.row.tahun))
            values = _row_values(v.row)
            if obs is None or diff({n: getattr(obs, n) for n in values}, values):
                problems.append(
                    Problem(v.row.file, v.row.row, "tahun", str(v.row.tahun), lock_text(lock))
                )
                continue
        kept.append(v)
    return kept, problems


def import_rows(
    rows: list[ObservationRow],
    *,
    actor: Actor,
    kind: str,
    source: str,
    file_name: str,
    parse_problems: Iterable[Problem] = (),
    skip_invalid: bool = False,
    region_code: str | None = None,
    file_sha256: str = "",
    extra: dict[str, Any] | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
    draft: bool = False,
    present: Callable[[Problem], Problem] | None = None,
    unusable: Iterable[ObservationRow] = (),
) -> ImportReport:
    """Validate all rows, then commit once (or not at all). Returns the report.

    ``draft`` lands every new or changed observation as a draft for review whoever imports
    (phone submissions: the Pokja reviews what the field sent). ``present`` rewrites each
    problem for the file's readers (an export's own column names, the reason translated).

    ``dry_run`` validates and counts what a commit would create, change or leave alone, and
    writes nothing, not even an ``ImportRun`` (the web import wizard's review step).
    """
    started = timezone.now()
    parse_problems = list(parse_problems)
    report = ImportReport(
        kind=kind,
        file_name=file_name,
        counts={"new_locations": 0, "new_rts": 0},
        extra=dict(extra or {}),
    )
    valid, errors, warnings = validate_rows(rows, region_code=region_code, progress=progress)
    errors = [p for p in parse_problems if p.severity == "error"] + errors
    more = _unusable_problems(list(unusable), errors, region_code)
    if more:
        errors = sorted([*errors, *more], key=lambda p: _row_sort_key(p.row))
    warnings = [p for p in parse_problems if p.severity == "warning"] + warnings
    if present is not None:
        errors, warnings = [present(p) for p in errors], [present(p) for p in warnings]
    report.errors, report.warnings = errors, warnings
    rejected_rows = sorted({p.row for p in errors}, key=_row_sort_key)
    report.rejected_rows = rejected_rows
    report.rows_total = len(valid) + len(rejected_rows)

    # Skipping the invalid rows when every row is invalid stores nothing: that is a rejection,
    # not "unchanged" (a real export whose every row lacked its year passed as unchanged).
    rejected = bool(errors) and (not skip_invalid or not valid)
    if dry_run:
        _preview(valid, report, actor=actor)
        if rejected:
            report.status = ImportRun.Status.REJECTED
        elif report.created == report.updated == 0 and not report.counts["new_locations"]:
            report.status = ImportRun.Status.UNCHANGED
        else:
            report.status = ImportRun.Status.PARTIAL if errors else ImportRun.Status.COMMITTED
        return report
    if rejected:
        report.status = ImportRun.Status.REJECTED
    else:
        kabupaten = (code_at_level(v.row.kode_desa, Level.KABUPATEN) or "" for v in valid)
        collided = False
        try:
            with locked_kabupaten(kabupaten):
                _commit(valid, report, actor=actor, source=source, kind=kind, draft=draft)
        except ImportCollision as exc:
            collided = True
            errors = report.errors = [*errors, exc.problem(file_name)]
            report.created = report.updated = report.unchanged = 0
            report.counts.update(new_locations=0, new_rts=0)
        if collided:
            report.status = ImportRun.Status.REJECTED
        elif report.created == report.updated == 0 and not report.counts["new_locations"]:
            report.status = ImportRun.Status.UNCHANGED
        elif errors:
            report.status = ImportRun.Status.PARTIAL
        else:
            report.status = ImportRun.Status.COMMITTED
    # The report's errors and warnings include the parse problems.
    record_run(
        report,
        file_sha256=file_sha256,
        region_code=region_code or "",
        started=started,
        actor=actor,
    )
    return report


def _unusable_problems(
    unusable: list[ObservationRow], errors: list[Problem], region_code: str | None
) -> list[Problem]:
    """The problems of rows already refused when read (``unusable``: their wrong cells left
    empty), beyond those the reader found: one upload shows every problem of a row. A problem
    on a column the reader already flagged in that row (an empty cell of ours) is left out."""
    if not unusable:
        return []
    flagged = {(p.row, p.column) for p in errors}
    _valid, found, _warnings = validate_rows(unusable, region_code=region_code)
    return [p for p in found if (p.row, p.column) not in flagged]


def _preview(valid: list[_Valid], report: ImportReport, *, actor: Actor) -> None:
    """What `_commit` would do with these rows, counted with reads only (the same lookups:
    locations by (kabupaten, code), RTs by (location, rt), observations by (RT, year)).

    ``report.extra["changed_rows"]`` lists, for each row that would update an observation,
    the fields that would change (at most 1,000 rows, for the review page);
    ``report.extra["returns_to_review"]`` counts the rows whose change would take approved data
    back to review (`surveys.review.returns_to_review`), so the wizard warns before storing.
    """
    kab_codes = {code_at_level(v.row.kode_desa, Level.KABUPATEN) for v in valid}
    locations = {
        (kab, code): pk
        for pk, kab, code in Location.objects.filter(kabupaten_id__in=kab_codes).values_list(
            "pk", "kabupaten_id", "code"
        )
    }
    rts = {
        (loc, rt): pk
        for chunk in chunks(locations.values())
        for pk, loc, rt in RtUnit.objects.filter(location_id__in=chunk).values_list(
            "pk", "location_id", "rt"
        )
    }
    existing = {
        (o.rt_id, o.tahun): o
        for chunk in chunks(rts.values())
        for o in Observation.objects.filter(rt_id__in=chunk).only(
            "rt_id", "tahun", *HEADER_FIELDS, "volumes", "percents", "rule_set", "status"
        )
    }
    new_locations: set[tuple[str | None, str]] = set()
    new_rts: set[tuple[object, str]] = set()
    changed_rows: list[dict[str, Any]] = []
    reopened = 0
    for v in valid:
        loc_key = (code_at_level(v.row.kode_desa, Level.KABUPATEN), v.row.lokasi)
        location = locations.get(loc_key)  # type: ignore[arg-type]  # kab is set for a desa
        if location is None:
            new_locations.add(loc_key)
        rt = None if location is None else rts.get((location, v.row.rt))
        if rt is None:
            new_rts.add((location if location is not None else loc_key, v.row.rt))
        obs = None if rt is None else existing.get((rt, v.row.tahun))
        if obs is None:
            report.created += 1
            continue
        values = _row_values(v.row)
        changes = diff({name: getattr(obs, name) for name in values}, values)
        if changes:
            report.updated += 1
            reopened += returns_to_review(actor, v.row.kode_desa, obs.status)
            if len(changed_rows) < 1000:
                changed_rows.append({"row": v.row.row, "fields": sorted(changes)})
        else:
            report.unchanged += 1
    report.counts.update(new_locations=len(new_locations), new_rts=len(new_rts))
    report.extra["changed_rows"] = changed_rows
    report.extra["returns_to_review"] = reopened


def _row_sort_key(row: str) -> tuple[int, str]:
    return (int(row), "") if row.isdigit() else (1 << 62, row)
