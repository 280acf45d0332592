"""Checking the stored figures of a motorkawanku export against the scoring engine.

The export stores, beside each volume, the fraction `<c>p`, the score `<c>n`, the total
`totalNilai` and the class `tingkatKekumuhan` it computed. We import only volumes and headers,
so these stored figures are our test of whether a record means what it says: the README of the
Pekalongan data found 50 RTs (kawasan 17 and 25, rtrw ids 221–236 and 338–371) whose columns are
shifted in all five years (scores such as 0.25 or 20, totals that are not the sum of their
scores), and 382 RTs whose 30,560 cells the engine reproduces exactly. A record is **consistent**
when every stored cell is reproduced and its total and class agree; any mismatch makes it
invalid, with one error per mismatch naming the record, the column, the value and the reason.

Tolerance for percentages: the stored fraction is the unrounded float ``volume / denominator``;
ours is that share rounded half-up to 2 dp (Permen PUPR 14/2018 scores the 2-dp percentage). So
``|stored × 100 − ours|`` is at most 0.005 when both describe the same volume, exactly 0.005 on a
half-way value (the Pekalongan data reach it): a stored percentage is reproduced when the
difference is ≤ 0.005 (+10⁻⁹ for the float's last bit). Anything larger is another volume or
another denominator.

Kawasan rows (`kumuhKawasan.json`) are compared with the kawasan computed from its consistent
RTs (sum of volumes and denominators, criteria.md §5). The product always shows the computed
figures; the comparison only reports where the export's own kawasan rows disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import RuleSet, SlumClass, get_rule_set
from sikumuh.core.decimals import to_decimal6
from sikumuh.core.rows import Problem
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit
from sikumuh.io.motorkawanku.reader import (
    KUMUH_RT,
    RULE_SET_ID,
    MotorkawankuData,
    StoredRecord,
    exact,
)

PERCENT_TOLERANCE = Decimal("0.005")
_FLOAT_SLACK = Decimal("0.000000001")
_HUNDRED = Decimal(100)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def percent_reproduced(stored_fraction: Decimal, ours: Decimal) -> bool:
    """Whether a stored fraction (0.6 = 60 %) is our 2-dp percentage before rounding."""
    return abs(stored_fraction * _HUNDRED - ours) <= PERCENT_TOLERANCE + _FLOAT_SLACK


@dataclass
class RecordCheck:
    """One kumuhRT record: the engine's result and every stored figure it does not reproduce."""

    record: StoredRecord
    result: UnitResult
    problems: list[Problem]
    cells_reproduced: int

    @property
    def consistent(self) -> bool:
        return not self.problems


def check_record(
    data: MotorkawankuData, record: StoredRecord, rules: RuleSet
) -> RecordCheck | None:
    """Score the record's volumes and compare every stored cell; None when its RT is unknown
    (the reader already reported it)."""
    rt = data.rts.get(record.rt_id) if record.rt_id is not None else None
    if rt is None:
        return None
    result = score_unit(UnitInput.from_values(header=rt.header, volumes=record.volumes), rules)
    who = data.describe_rt(record)
    valid_scores = sorted({0, *(score for _, score in rules.score_bands)})
    valid_text = ", ".join(str(s) for s in valid_scores)
    problems: list[Problem] = []

    def problem(column: str, raw: Any, reason: str) -> None:
        problems.append(Problem(record.file, str(record.id), column, str(raw), f"{who}: {reason}"))

    reproduced = 0
    stored_scores: list[Decimal] = []
    for code in rules.codes:
        ours_p, ours_s = result.percent[code], result.score[code]
        raw_p, raw_s = record.stored_percent[code], record.stored_score[code]
        stored_p, stored_s = exact(raw_p), exact(raw_s)
        cell_ok = ours_p is not None and ours_s is not None
        if stored_s is None:
            problem(f"{code}n", raw_s, "stored score is missing or not a number")
            cell_ok = False
        else:
            stored_scores.append(stored_s)
            if stored_s not in valid_scores:
                problem(f"{code}n", raw_s, f"stored score {raw_s} is not one of {valid_text}")
                cell_ok = False
            elif ours_s is not None and stored_s != ours_s:
                problem(
                    f"{code}n",
                    raw_s,
                    f"stored score {raw_s} but the volume gives {ours_s} ({ours_p} %)",
                )
                cell_ok = False
        if stored_p is None:
            problem(f"{code}p", raw_p, "stored percentage is missing or not a number")
            cell_ok = False
        elif ours_p is not None and not percent_reproduced(stored_p, ours_p):
            problem(
                f"{code}p",
                raw_p,
                f"stored percentage {stored_p * _HUNDRED:f} % but the volume gives {ours_p} %",
            )
            cell_ok = False
        reproduced += cell_ok
    total = exact(record.stored_total)
    if total is None:
        problem("totalNilai", record.stored_total, "stored total is missing or not a number")
    elif len(stored_scores) == len(rules.codes) and total != sum(stored_scores, Decimal(0)):
        problem(
            "totalNilai",
            record.stored_total,
            f"stored total {record.stored_total} ≠ sum of stored scores "
            f"{_text(sum(stored_scores, Decimal(0)))}",
        )
    try:
        klass: SlumClass | None = SlumClass.from_short_code(str(record.stored_class or ""))
    except ValueError:
        klass = None
        problem("tingkatKekumuhan", record.stored_class, "not a class code (KB, KS, KR, TK)")
    if klass is not None and total is not None and total == total.to_integral_value():
        expected = rules.class_for_total(int(total))
        if klass != expected:
            problem(
                "tingkatKekumuhan",
                record.stored_class,
                f"stored class {klass.short_code} but the stored total {record.stored_total} "
                f"gives {expected.short_code}",
            )
    return RecordCheck(record, result, problems, reproduced)


def _engine_reason(result: UnitResult) -> str:
    """ "negative volume in 4a": why the engine refuses a record, in one grouping key."""
    parts = sorted(
        {
            f"{i.code.replace('_', ' ')} in {i.criterion}"
            if i.criterion
            else i.code.replace("_", " ")
            for i in result.errors
        }
    )
    return "; ".join(parts)


@dataclass
class IntegrityReport:
    checks: list[RecordCheck]
    rule_set_id: str = RULE_SET_ID

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checks for p in c.problems]

    @property
    def invalid_rows(self) -> set[str]:
        """Row ids (kumuhRT record ids) whose stored figures the engine does not reproduce."""
        return {str(c.record.id) for c in self.checks if not c.consistent}

    @property
    def invalid_rt_ids(self) -> set[int]:
        return {c.record.rt_id for c in self.checks if not c.consistent and c.record.rt_id}

    @property
    def consistent(self) -> list[RecordCheck]:
        return [c for c in self.checks if c.consistent]

    @property
    def cells_reproduced_consistent(self) -> int:
        return sum(c.cells_reproduced for c in self.consistent)

    @property
    def engine_rejections(self) -> dict[str, list[RecordCheck]]:
        """Consistent records the engine still refuses (in Pekalongan: 6 negative 4a volumes,
        RTs 1, 3, 6 in 2019 and 2020), grouped by reason. `import_rows` rejects them."""
        out: dict[str, list[RecordCheck]] = defaultdict(list)
        for check in self.consistent:
            if check.result.errors:
                out[_engine_reason(check.result)].append(check)
        return dict(out)

    @property
    def warnings_by_code(self) -> Counter[str]:
        """Engine warnings of the records that will be stored (40 percentages above 100 %)."""
        return Counter(
            w.code for c in self.consistent if not c.result.errors for w in c.result.warnings
        )

    def as_dict(self, data: MotorkawankuData) -> dict[str, Any]:
        codes = len(get_rule_set(self.rule_set_id).codes)
        invalid = [c for c in self.checks if not c.consistent]
        return {
            "records_checked": len(self.checks),
            "consistent_records": len(self.checks) - len(invalid),
            "invalid_records": len(invalid),
            "invalid_rt_ids": sorted(self.invalid_rt_ids),
            "invalid_by_year": dict(sorted(Counter(c.record.tahun for c in invalid).items())),
            "cells_checked": len(self.checks) * codes,
            "cells_reproduced_consistent": self.cells_reproduced_consistent,
            "cells_in_consistent_records": (len(self.checks) - len(invalid)) * codes,
            "cells_reproduced_invalid": sum(c.cells_reproduced for c in invalid),
            "percent_tolerance": str(PERCENT_TOLERANCE),
            "engine_rejections": {
                reason: [
                    {
                        "row": str(c.record.id),
                        "rt": data.describe_rt(c.record),
                        "volumes": {i.criterion: i.value for i in c.result.errors},
                    }
                    for c in checks
                ]
                for reason, checks in sorted(self.engine_rejections.items())
            },
            "warnings_by_code": dict(sorted(self.warnings_by_code.items())),
        }


def check_integrity(data: MotorkawankuData) -> IntegrityReport:
    """Check every kumuhRT record whose RT is known (see the module docstring)."""
    rules = get_rule_set(RULE_SET_ID)
    checks = [check_record(data, r, rules) for r in data.rt_records if r.file == KUMUH_RT]
    return IntegrityReport([c for c in checks if c is not None], rules.id)


@dataclass
class KawasanComparison:
    """Where the export's kawasan rows differ from the kawasan computed from its RTs."""

    cells_compared: int = 0
    kawasan_years_compared: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)
    total_differences: list[dict[str, Any]] = field(default_factory=list)
    header_differences: list[dict[str, Any]] = field(default_factory=list)
    not_compared: list[dict[str, Any]] = field(default_factory=list)

    @property
    def per_year(self) -> dict[int, int]:
        return dict(sorted(Counter(int(d["tahun"]) for d in self.differences).items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kawasan_years_compared": self.kawasan_years_compared,
            "cells_compared": self.cells_compared,
            "cells_differing": len(self.differences),
            "cells_differing_per_year": {str(y): n for y, n in self.per_year.items()},
            "cells": self.differences,
            "totals_differing": self.total_differences,
            "headers_differing": self.header_differences,
            "not_compared": self.not_compared,
        }


def compare_kawasan(data: MotorkawankuData, integrity: IntegrityReport) -> KawasanComparison:
    """Compute each kawasan-year from its consistent RT records and compare the stored row.

    A kawasan-year with an invalid RT record is not compared (its sum would carry the corrupt
    volumes): in Pekalongan these are kawasan 17 and 25 in every year. Consistent records the
    engine refuses (negative 4a volumes) are summed as stored, since the comparison is about
    the export's own arithmetic.
    """
    rules = get_rule_set(RULE_SET_ID)
    out = KawasanComparison()
    groups: dict[tuple[int, int], list[RecordCheck]] = defaultdict(list)
    for check in integrity.checks:
        groups[(check.record.kawasan_id, check.record.tahun)].append(check)
    stored = {(r.kawasan_id, r.tahun): r for r in data.kawasan_records}

    for kid in sorted({k for k, _ in groups}):
        rts = [rt for rt in data.rts.values() if rt.kawasan_id == kid]
        kawasan = data.kawasan.get(kid)
        if not rts or kawasan is None:
            continue
        total = aggregate_inputs(UnitInput(header=rt.header, volumes={}) for rt in rts)
        for name, value in kawasan.header.items():
            ours = total.header.get(name)
            if value is not None and ours is not None and value != ours:
                out.header_differences.append(
                    {
                        "kawasan": kid,
                        "name": kawasan.name,
                        "field": name,
                        "stored": _text(value),
                        "sum_of_rts": _text(ours),
                    }
                )

    for key in sorted(set(groups) | set(stored)):
        kid, tahun = key
        name = data.kawasan[kid].name if kid in data.kawasan else "?"
        checks, row = groups.get(key, []), stored.get(key)
        invalid = sum(1 for c in checks if not c.consistent)
        reason = (
            "no stored kawasan row"
            if row is None
            else "no RT records"
            if not checks
            else f"{invalid} of {len(checks)} RT records fail the integrity check"
            if invalid
            else ""
        )
        if reason:
            out.not_compared.append(
                {"kawasan": kid, "name": name, "tahun": tahun, "reason": reason}
            )
            continue
        assert row is not None
        unit = aggregate_inputs(
            UnitInput.from_values(header=data.rts[c.record.rt_id].header, volumes=c.record.volumes)
            for c in checks
            if c.record.rt_id is not None
        )
        result = score_unit(unit, rules)
        out.kawasan_years_compared += 1
        for code in rules.codes:
            out.cells_compared += 1
            ours_v, ours_p, ours_s = (
                unit.volumes.get(code),
                result.percent[code],
                result.score[code],
            )
            stored_v = _decimal6(row.volumes.get(code))
            stored_p, stored_s = exact(row.stored_percent[code]), exact(row.stored_score[code])
            same = (
                stored_v is not None
                and ours_v is not None
                and stored_v == to_decimal6(ours_v)
                and stored_p is not None
                and ours_p is not None
                and percent_reproduced(stored_p, ours_p)
                and stored_s is not None
                and stored_s == ours_s
            )
            if not same:
                out.differences.append(
                    {
                        "kawasan": kid,
                        "name": name,
                        "tahun": tahun,
                        "criterion": code,
                        "stored": {
                            "volume": _text(stored_v),
                            "percent": _pct(stored_p),
                            "score": _text(stored_s),
                        },
                        "computed": {
                            "volume": _text(ours_v),
                            "percent": _text(ours_p),
                            "score": ours_s,
                        },
                    }
                )
        stored_total = exact(row.stored_total)
        if stored_total is None or result.total is None or stored_total != result.total:
            out.total_differences.append(
                {
                    "kawasan": kid,
                    "name": name,
                    "tahun": tahun,
                    "stored": _text(stored_total),
                    "computed": result.total,
                    "note": _engine_reason(result) if result.errors else "",
                }
            )
    return out


def _decimal6(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_decimal6(value)


def _pct(fraction: Decimal | None) -> str | None:
    return (
        None if fraction is None else format((fraction * _HUNDRED).quantize(Decimal("0.0001")), "f")
    )
