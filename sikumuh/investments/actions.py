"""Audited writes of investments (activities that reduce a criterion's volume, criteria.md §7).

`import_investments` follows the importers' habit (pretix `modelimport`): resolve and validate
every row first, errors naming file, row, column and value; then save once, in one short
transaction, with bulk audit entries. Re-importing the same rows changes nothing and writes no
audit entry: a row is the same investment when its (location, RT, criterion, year, activity,
source reference) match, and only its volume, unit, funding source or cost may then change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, build_entry, diff, record_many
from sikumuh.audit.models import AuditEntry
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, get_rule_set
from sikumuh.investments.models import FundingSource, Investment
from sikumuh.io.rows import Problem
from sikumuh.slums.models import Location, RtUnit

# Run statuses, the same words as `sikumuh.io.models.ImportRun.Status`.
COMMITTED, REJECTED, PARTIAL, UNCHANGED = "committed", "rejected", "partial", "unchanged"

#: Fields an import may change on an investment it already holds.
MUTABLE_FIELDS = ("volume", "unit", "funding_source", "cost")
_VOLUME_QUANTUM = Decimal("0.000001")  # Investment.volume: 6 decimal places
_COST_QUANTUM = Decimal("0.01")  # Investment.cost: 2 decimal places (Rupiah and sen)


@dataclass
class InvestmentRow:
    """One investment as read from a file, not yet resolved against the database.

    `lokasi` is the location's code inside `kabupaten_code`; `rt` the RT label as the import of
    RT data stored it, or None for an investment in the location as a whole. `volume` is in the
    criterion's own unit (m of road, KK connected, ha drained, units of building).
    """

    file: str
    row: str
    kabupaten_code: str
    lokasi: str
    rt: str | None
    criterion: str
    tahun: int
    activity: str
    volume: Decimal
    unit: str = ""
    funding_source: str = ""
    cost: Decimal | None = None
    source_ref: str = ""


@dataclass
class InvestmentReport:
    status: str = REJECTED
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected_rows),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


@dataclass
class _Resolved:
    row: InvestmentRow
    location: Location
    rt: RtUnit | None


def _problem(
    row: InvestmentRow, column: str, value: Any, reason: str, severity: str = "error"
) -> Problem:
    return Problem(
        row.file, row.row, column, None if value is None else str(value), reason, severity
    )


def validate_investments(
    rows: list[InvestmentRow], *, rule_set_id: str = DEFAULT_RULE_SET_ID
) -> tuple[list[_Resolved], list[Problem], list[Problem]]:
    """Every check that needs no write: criterion, volume, year, fields, location and RT."""
    rules = get_rule_set(rule_set_id)
    funding = set(FundingSource.values)
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
        row_errors: list[Problem] = []
        if row.criterion not in rules.codes:
            row_errors.append(
                _problem(
                    row,
                    "criterion",
                    row.criterion,
                    f"criterion {row.criterion} is not one of the {len(rules.codes)} criteria of "
                    f"{rules.id}; an investment must reduce a criterion that is scored",
                )
            )
        if row.volume < 0:
            row_errors.append(_problem(row, "volume", row.volume, "volume is negative"))
        elif row.volume == 0:
            warnings.append(
                _problem(
                    row, "volume", row.volume, "volume 0: the investment reduces nothing", "warning"
                )
            )
        if not 1900 <= row.tahun <= 2100:
            row_errors.append(_problem(row, "tahun", row.tahun, "not a plausible year"))
        if not row.activity.strip() or len(row.activity) > 200:
            row_errors.append(_problem(row, "activity", row.activity, "empty or over 200 chars"))
        if len(row.unit) > 20:
            row_errors.append(_problem(row, "unit", row.unit, "over 20 characters"))
        if row.funding_source and row.funding_source not in funding:
            row_errors.append(_problem(row, "funding_source", row.funding_source, "unknown"))
        if row.cost is not None and row.cost < 0:
            row_errors.append(_problem(row, "cost", row.cost, "cost is negative"))
        if row.source_ref:
            first = seen.setdefault(row.source_ref, row.row)
            if first != row.row:
                row_errors.append(
                    _problem(row, "source_ref", row.source_ref, f"duplicate of row {first}")
                )
        location = locations.get((row.kabupaten_code, row.lokasi))
        rt: RtUnit | None = None
        if location is None:
            row_errors.append(
                _problem(
                    row,
                    "lokasi",
                    row.lokasi,
                    f"location {row.lokasi} of {row.kabupaten_code} is not in the database "
                    "(import its RT data first; rejected RT data leave no location)",
                )
            )
        elif row.rt is not None:
            rt = rts.get((location.pk, row.rt))
            if rt is None:
                row_errors.append(
                    _problem(
                        row,
                        "rt",
                        row.rt,
                        f"RT {row.rt} of location {row.lokasi} is not in the database "
                        "(import its RT data first; rejected RT data leave no RT)",
                    )
                )
        if row_errors:
            errors.extend(row_errors)
        else:
            assert location is not None
            valid.append(_Resolved(row, location, rt))
    return valid, errors, warnings


def import_investments(
    rows: list[InvestmentRow],
    *,
    actor: Actor,
    parse_problems: Iterable[Problem] = (),
    skip_invalid: bool = False,
    rule_set_id: str = DEFAULT_RULE_SET_ID,
    context: dict[str, Any] | None = None,
) -> InvestmentReport:
    """Validate all rows, then store them at once (or, with errors and no `skip_invalid`, not
    at all). `parse_problems` are the reader's; their errors count as rejected rows."""
    parse_problems = list(parse_problems)
    report = InvestmentReport()
    valid, errors, warnings = validate_investments(rows, rule_set_id=rule_set_id)
    report.errors = [p for p in parse_problems if p.severity == "error"] + errors
    report.warnings = [p for p in parse_problems if p.severity != "error"] + warnings
    report.rejected_rows = sorted(
        {p.row for p in report.errors}, key=lambda r: (0, int(r), "") if r.isdigit() else (1, 0, r)
    )
    report.rows_total = len(valid) + len(report.rejected_rows)
    if report.errors and not skip_invalid:
        report.status = REJECTED
        return report
    with transaction.atomic():
        _commit(valid, report, actor=actor, context=context or {})
    if report.created == report.updated == 0:
        report.status = UNCHANGED
    else:
        report.status = PARTIAL if report.errors else COMMITTED
    return report


def _values(row: InvestmentRow) -> dict[str, Any]:
    """The mutable fields, at the model's precision, so that a re-import compares equal."""
    return {
        "volume": row.volume.quantize(_VOLUME_QUANTUM),
        "unit": row.unit,
        "funding_source": row.funding_source,
        "cost": None if row.cost is None else row.cost.quantize(_COST_QUANTUM),
    }


def _commit(
    valid: list[_Resolved], report: InvestmentReport, *, actor: Actor, context: dict[str, Any]
) -> None:
    now = timezone.now()
    existing = {
        (i.location_id, i.rt_id, i.criterion, i.tahun, i.activity, i.source_ref): i
        for i in Investment.objects.filter(
            location__in={v.location.pk for v in valid},
            source_ref__in={v.row.source_ref for v in valid},
        )
    }
    to_create: list[Investment] = []
    to_update: list[Investment] = []
    audit: list[AuditEntry] = []
    for v in valid:
        key = (
            v.location.pk,
            v.rt.pk if v.rt else None,
            v.row.criterion,
            v.row.tahun,
            v.row.activity,
            v.row.source_ref,
        )
        values = _values(v.row)
        region = v.location.desa_id or v.location.kabupaten_id
        found = existing.get(key)
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
        changes = diff({name: getattr(found, name) for name in MUTABLE_FIELDS}, values)
        if not changes:
            report.unchanged += 1
            continue
        for name, value in values.items():
            setattr(found, name, value)
        to_update.append(found)
        audit.append(
            build_entry(
                actor=actor,
                action="investment.update",
                obj=found,
                changes=changes,
                region_code=region,
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
                changes=diff(
                    {},
                    {
                        "location": inv.location_id,
                        "rt": inv.rt_id,
                        "criterion": inv.criterion,
                        "tahun": inv.tahun,
                        "activity": inv.activity,
                        **_values_of(inv),
                    },
                ),
                region_code=inv.location.desa_id or inv.location.kabupaten_id,
                context={**context, "source_ref": inv.source_ref},
                at=now,
            )
        )
    if to_update:
        Investment.objects.bulk_update(to_update, list(MUTABLE_FIELDS), batch_size=1000)
    report.created, report.updated = len(to_create), len(to_update)
    record_many(audit)


def _values_of(inv: Investment) -> dict[str, Any]:
    return {name: getattr(inv, name) for name in MUTABLE_FIELDS}
