"""Audited writes of investments (activities that reduce a criterion's volume, criteria.md §7).

`import_investments` follows the importers' habit (pretix `modelimport`): resolve and validate
every row first, errors naming file, row, column and value; then save once, in one short
transaction, with bulk audit entries. Re-importing the same rows changes nothing and writes no
audit entry: a row is the same investment when its (location, RT, criterion, year, activity,
source reference) match, and only its volume, unit, funding source, cost, status or note may
then change. Rows of an investment file carry no source reference; for them the funding source
is part of the identity too, since one activity may be paid from two sources.

A row that would create or change an investment of a locked kabupaten-year is refused with the
lock's wording (`surveys.review.lock_text`); a row equal to what is stored passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor, build_entry, diff, record_many
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.versioning import move_versions_on
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, RULE_SETS, get_rule_set
from sikumuh.core.rows import (
    COMMITTED,
    PARTIAL,
    REJECTED,
    UNCHANGED,
    ImportReport,
    InvestmentRow,
    Problem,
)
from sikumuh.investments.models import FundingSource, Investment
from sikumuh.slums.models import Location, RtUnit

#: Fields an import may change on an investment it already holds.
MUTABLE_FIELDS = ("volume", "unit", "funding_source", "cost", "status", "note")
_VOLUME_QUANTUM = Decimal("0.000001")  # Investment.volume: 6 decimal places
_COST_QUANTUM = Decimal("0.01")  # Investment.cost: 2 decimal places (Rupiah and sen)
#: Every criterion of every rule set (2016's three extra ones too).
ALL_CODES = tuple(sorted({c for r in RULE_SETS.values() for c in r.codes}))


Key = tuple[int, int | None, str, int, str, str, str]


def investment_key(
    location_id: int,
    rt_id: int | None,
    criterion: str,
    tahun: int,
    activity: str,
    source_ref: str,
    funding_source: str,
) -> Key:
    """The identity of an investment for re-imports (see the module docstring)."""
    funding = "" if source_ref else funding_source
    return (location_id, rt_id, criterion, tahun, activity, source_ref, funding)


@dataclass
class _Resolved:
    row: InvestmentRow
    location: Location
    rt: RtUnit | None


#: The column each check blames: the field names, or the file's own (`columns=`).
FIELD_COLUMNS = {
    name: name
    for name in (
        *("kode_desa", "lokasi", "rt", "criterion", "tahun", "activity", "volume", "unit"),
        *("cost", "funding_source", "source_ref"),
    )
}


def _problem(
    row: InvestmentRow, column: str, value: Any, reason: str, severity: str = "error"
) -> Problem:
    return Problem(
        row.file, row.row, column, None if value is None else str(value), reason, severity
    )


def _field_problems(
    row: InvestmentRow, col: dict[str, str], codes: tuple[str, ...], rule_set: str
) -> list[Problem]:
    """The checks of one row's own fields (no database); ``rule_set`` is the rule set as
    people name it (`RuleSet.short_title`)."""
    out: list[Problem] = []
    if row.criterion not in codes:
        reason = _(
            "criterion %(code)s is not one of the %(n)d criteria of %(rules)s; an investment "
            "must reduce a criterion that is scored"
        ) % {"code": row.criterion, "n": len(codes), "rules": rule_set}
        out.append(_problem(row, col["criterion"], row.criterion, reason))
    if row.volume < 0:
        out.append(_problem(row, col["volume"], row.volume, _("volume is negative")))
    if not 1900 <= row.tahun <= 2100:
        out.append(_problem(row, col["tahun"], row.tahun, _("not a plausible year")))
    if not row.activity.strip() or len(row.activity) > 200:
        reason = _("empty or longer than 200 characters")
        out.append(_problem(row, col["activity"], row.activity, reason))
    if len(row.unit) > 20:
        out.append(_problem(row, col["unit"], row.unit, _("longer than 20 characters")))
    if row.funding_source and row.funding_source not in FundingSource.values:
        reason = _("unknown source of funds")
        out.append(_problem(row, col["funding_source"], row.funding_source, reason))
    if row.cost is not None and row.cost < 0:
        out.append(_problem(row, col["cost"], row.cost, _("cost is negative")))
    return out


def _place(
    row: InvestmentRow,
    location: Location | None,
    rts: dict[tuple[int, str], RtUnit],
    col: dict[str, str],
) -> tuple[RtUnit | None, list[Problem]]:
    """The row's RT (None for the location as a whole), or the problem of its location or RT."""
    if location is None:
        reason = _(
            "location %(lokasi)s of %(kabupaten)s is not in the database (import its RT "
            "data first; rejected RT data leave no location)"
        ) % {"lokasi": row.lokasi, "kabupaten": row.kabupaten_code}
        return None, [_problem(row, col["lokasi"], row.lokasi, reason)]
    if row.rt is None:
        return None, []
    rt = rts.get((location.pk, row.rt))
    if rt is None:
        reason = _(
            "RT %(rt)s of location %(lokasi)s is not in the database (import its RT "
            "data first; rejected RT data leave no RT)"
        ) % {"rt": row.rt, "lokasi": row.lokasi}
        return None, [_problem(row, col["rt"], row.rt, reason)]
    return rt, []


def validate_investments(
    rows: list[InvestmentRow],
    *,
    rule_set_id: str = DEFAULT_RULE_SET_ID,
    columns: dict[str, str] | None = None,
    strict: bool = False,
) -> tuple[list[_Resolved], list[Problem], list[Problem]]:
    """Every check that needs no write: criterion, volume, year, fields, location and RT.

    ``strict`` adds the checks of an investment file against the RT's own data
    (`sikumuh.investments.checks`): a volume above zero, the desa, the rule set and unit of the
    RT's data, and a volume far above the RT's. ``columns`` names the file's columns."""
    col = FIELD_COLUMNS | (columns or {})
    rules = get_rule_set(rule_set_id)
    locations = {
        (loc.kabupaten_id, loc.code): loc
        for loc in Location.objects.filter(
            kabupaten_id__in={r.kabupaten_code for r in rows}, code__in={r.lokasi for r in rows}
        )
    }
    rts = {
        (rt.location_id, rt.rt): rt
        for rt in RtUnit.objects.filter(location__in=list(locations.values()))
    }
    seen: dict[str, str] = {}
    valid: list[_Resolved] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for row in rows:
        # Strict: the criterion is checked against the rule set of the RT's own data
        # (`checks.rule_set_of`); here only that some rule set knows it.
        known = ALL_CODES if strict and row.criterion in ALL_CODES else rules.codes
        row_errors = _field_problems(row, col, known, rules.short_title)
        if row.volume == 0 and not strict:
            reason = _("volume 0: the investment reduces nothing")
            warnings.append(_problem(row, col["volume"], row.volume, reason, "warning"))
        if row.source_ref:
            first = seen.setdefault(row.source_ref, row.row)
            if first != row.row:
                reason = _("duplicate of row %(row)s") % {"row": first}
                row_errors.append(_problem(row, col["source_ref"], row.source_ref, reason))
        location = locations.get((row.kabupaten_code, row.lokasi))
        rt, place_errors = _place(row, location, rts, col)
        row_errors.extend(place_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            assert location is not None
            valid.append(_Resolved(row, location, rt))
    if strict:
        from sikumuh.investments.checks import check_against_data

        more_errors, more_warnings = check_against_data(valid, col)
        bad = {p.row for p in more_errors}
        valid = [v for v in valid if v.row.row not in bad]
        errors.extend(more_errors)
        warnings.extend(more_warnings)
    return valid, errors, warnings


def import_investments(
    rows: list[InvestmentRow],
    *,
    actor: Actor,
    parse_problems: Iterable[Problem] = (),
    unusable: Iterable[InvestmentRow] = (),
    skip_invalid: bool = False,
    rule_set_id: str = DEFAULT_RULE_SET_ID,
    context: dict[str, Any] | None = None,
    columns: dict[str, str] | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Validate all rows, then store them at once (or, with errors and no `skip_invalid`, not
    at all). `parse_problems` are the reader's; their errors count as rejected rows.
    ``unusable`` are the rows the reader found a problem in: checked too, so that every
    problem of a row is listed at once (see :func:`_more_problems`), never stored.
    ``dry_run`` counts what storing the valid rows would create, change or leave alone (even
    when the file as it is would be refused: what "store the valid rows" would do) and writes
    nothing."""
    parse_problems = list(parse_problems)
    report = ImportReport()
    col = FIELD_COLUMNS | (columns or {})
    unusable = list(unusable)
    valid, errors, warnings = validate_investments(
        [*rows, *unusable], rule_set_id=rule_set_id, columns=columns, strict=strict
    )
    if unusable:
        valid, errors, warnings = _more_problems(
            valid, errors, warnings, parse_problems, {r.row for r in unusable}, col
        )
    plan = _plan(valid)
    plan, locked = _refuse_locked(plan, col["tahun"])
    # Listed in the order of the rows (the checks against the RT's data run after every row's
    # cells), as the RT import lists them; a stable sort keeps each row's problems in order.
    found = [p for p in parse_problems if p.severity == "error"] + errors + locked
    report.errors = sorted(found, key=lambda p: _row_key(p.row))
    report.warnings = sorted(
        [p for p in parse_problems if p.severity != "error"] + warnings,
        key=lambda p: _row_key(p.row),
    )
    report.rejected_rows = sorted({p.row for p in report.errors}, key=_row_key)
    report.rows_total = len(plan) + len(report.rejected_rows)
    # Skipping the invalid rows when no row is left stores nothing: a rejection, not
    # "unchanged" (the RT import's rule).
    report.created = sum(1 for p in plan if p.found is None)
    report.updated = sum(1 for p in plan if p.found is not None and p.changes)
    report.unchanged = len(plan) - report.created - report.updated
    if report.errors and (not skip_invalid or not plan):
        report.status = REJECTED
        if not dry_run:  # a refused run stored nothing
            report.created = report.updated = report.unchanged = 0
        return report
    if not dry_run:
        with transaction.atomic():
            _commit(plan, actor=actor, context=context or {})
    if report.created == report.updated == 0:
        report.status = UNCHANGED
    else:
        report.status = PARTIAL if report.errors else COMMITTED
    return report


def _more_problems(
    valid: list[_Resolved],
    errors: list[Problem],
    warnings: list[Problem],
    parse_problems: list[Problem],
    unusable: set[str],
    col: dict[str, str],
) -> tuple[list[_Resolved], list[Problem], list[Problem]]:
    """The checks' findings on the rows the reader found a problem in, without what the
    reader said already: a cell it could not read stands as empty or zero, so the checks of
    that cell (and, for a desa that is not the region's, of the location and RT in it) would
    only say it again. Those rows are never valid."""
    blamed = {(p.row, p.column) for p in parse_problems}
    place = {col["lokasi"], col["rt"]}

    def new(p: Problem) -> bool:
        if p.row not in unusable:
            return True
        if (p.row, p.column) in blamed:
            return False
        return not (p.column in place and (p.row, col["kode_desa"]) in blamed)

    kept = [v for v in valid if v.row.row not in unusable]
    return kept, [p for p in errors if new(p)], [p for p in warnings if new(p)]


def _row_key(row: str) -> tuple[int, int, str]:
    """Rows as numbers ("9" before "10"); a problem of no row (the file) after them."""
    return (0, int(row), "") if row.isdigit() else (1, 0, row)


def _values(row: InvestmentRow) -> dict[str, Any]:
    """The mutable fields, at the model's precision, so that a re-import compares equal."""
    return {
        "volume": row.volume.quantize(_VOLUME_QUANTUM),
        "unit": row.unit,
        "funding_source": row.funding_source,
        "cost": None if row.cost is None else row.cost.quantize(_COST_QUANTUM),
        "status": row.status,
        "note": row.note,
    }


@dataclass
class _Planned:
    resolved: _Resolved
    found: Investment | None  # the stored investment it matches, if any
    changes: dict[str, list[Any]]


def _plan(valid: list[_Resolved]) -> list[_Planned]:
    """What each valid row would do: create, change the investment it matches, or nothing."""
    existing = {
        investment_key(
            i.location_id,
            i.rt_id,
            i.criterion,
            i.tahun,
            i.activity,
            i.source_ref,
            i.funding_source,
        ): i
        for i in Investment.objects.filter(
            location__in={v.location.pk for v in valid},
            source_ref__in={v.row.source_ref for v in valid},
        )
    }
    plan: list[_Planned] = []
    for v in valid:
        r = v.row
        key = investment_key(
            v.location.pk,
            v.rt.pk if v.rt else None,
            r.criterion,
            r.tahun,
            r.activity,
            r.source_ref,
            r.funding_source,
        )
        found = existing.get(key)
        values = _values(r)
        changes = (
            diff({}, values)
            if found is None
            else diff({name: getattr(found, name) for name in MUTABLE_FIELDS}, values)
        )
        plan.append(_Planned(v, found, changes))
    return plan


def _refuse_locked(plan: list[_Planned], column: str) -> tuple[list[_Planned], list[Problem]]:
    """Rows that would create or change an investment of a locked kabupaten-year are refused,
    each naming the lock; unchanged rows pass. One query."""
    from sikumuh.surveys.review import lock_text, locks_among

    locks = locks_among({(p.resolved.location.kabupaten_id, p.resolved.row.tahun) for p in plan})
    if not locks:
        return plan, []
    kept: list[_Planned] = []
    problems: list[Problem] = []
    for p in plan:
        lock = locks.get((p.resolved.location.kabupaten_id, p.resolved.row.tahun))
        if lock is not None and (p.found is None or p.changes):
            row = p.resolved.row
            problems.append(_problem(row, column, row.tahun, lock_text(lock)))
            continue
        kept.append(p)
    return kept, problems


def _region(location: Location) -> str:
    return location.desa_id or location.kabupaten_id


def _commit(plan: list[_Planned], *, actor: Actor, context: dict[str, Any]) -> None:
    now = timezone.now()
    to_create: list[Investment] = []
    to_update: list[Investment] = []
    audit: list[AuditEntry] = []
    for p in plan:
        v, found = p.resolved, p.found
        values = _values(v.row)
        if found is None:
            to_create.append(
                Investment(
                    location=v.location,
                    rt=v.rt,
                    criterion=v.row.criterion,
                    tahun=v.row.tahun,
                    activity=v.row.activity,
                    source_ref=v.row.source_ref,
                    **values,
                )
            )
            continue
        if not p.changes:
            continue
        for name, value in values.items():
            setattr(found, name, value)
        to_update.append(found)
        audit.append(
            build_entry(
                actor=actor,
                action="investment.update",
                obj=found,
                changes=p.changes,
                region_code=_region(v.location),
                context=context,
                at=now,
            )
        )
    Investment.objects.bulk_create(to_create, batch_size=1000)
    for inv in to_create:
        audit.append(
            build_entry(
                actor=actor,
                action="investment.create",
                obj=inv,
                changes=diff({}, created_values(inv)),
                region_code=_region(inv.location),
                context={**context, "source_ref": inv.source_ref},
                at=now,
            )
        )
    if to_update:
        Investment.objects.bulk_update(to_update, list(MUTABLE_FIELDS), batch_size=1000)
        # A form opened before this import is refused rather than overwriting it.
        move_versions_on(Investment.objects.filter(pk__in=[i.pk for i in to_update]))
    record_many(audit)


def created_values(inv: Investment) -> dict[str, Any]:
    """What an audit entry of a new investment records."""
    return {
        "location": inv.location_id,
        "rt": inv.rt_id,
        "criterion": inv.criterion,
        "tahun": inv.tahun,
        "activity": inv.activity,
        **{name: getattr(inv, name) for name in MUTABLE_FIELDS},
    }
