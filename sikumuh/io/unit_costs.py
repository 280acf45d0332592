"""The planner's unit-cost table (criteria.md §10) from a CSV or XLSX file, and the plan written
as an investment file (status ``rencana``) that the investment import reads.

Unit costs: columns ``kriteria`` (a criterion code of a rule set, e.g. ``2b``), ``satuan`` (the
criterion's own unit: ``unit``, ``KK``, ``m``, ``ha``) and ``biaya_per_satuan`` (rupiah per unit of
volume, > 0; Indonesian numbers such as ``1.500.000`` or ``750.000,50`` are read as such). Every
row is checked and every problem reported (file, row, column, value); one bad row rejects the
table. A criterion left out cannot be acted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import RULE_SETS, Criterion
from sikumuh.core.planning import Plan
from sikumuh.core.rows import Problem
from sikumuh.io.investment_columns import OPTIONAL, REQUIRED
from sikumuh.io.numbers import (
    NumberError,
    NumberFormat,
    cell_text,
    detect_format,
    parse_number,
)
from sikumuh.io.readers import Source, read_sheet

COLUMNS = ("kriteria", "satuan", "biaya_per_satuan")

#: The investment file's columns, as the investment import reads them (issue 10 §1).
INVESTMENT_COLUMNS = (*REQUIRED, *OPTIONAL)


def _criteria() -> dict[str, Criterion]:
    """Every criterion of every rule set by code (2016 adds 4d, 4e, 6c to the 2018 ones)."""
    return {c.code: c for rule_set in RULE_SETS.values() for c in rule_set.criteria}


class UnitCostError(Exception):
    """The table was refused; ``problems`` says why, one per cell."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


def read_unit_costs(source: Source, *, name: str | None = None) -> dict[str, Decimal]:
    """``{criterion: rupiah per unit}`` from the file; :class:`UnitCostError` if any row is bad
    (a ``ReaderError`` when the file is not a table at all)."""
    sheet = read_sheet(source, name=name)
    missing = [c for c in COLUMNS if c not in sheet.header]
    if missing:
        reason = _("column missing; the columns are: %(columns)s") % {"columns": ", ".join(COLUMNS)}
        raise UnitCostError([Problem(sheet.file, "1", c, None, reason) for c in missing])
    records = sheet.records()
    fmt = detect_format([sheet.columns[sheet.header.index("biaya_per_satuan")]])
    criteria = _criteria()
    costs: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for line, record in records:
        found = list(_check_row(sheet.file, str(line), record, fmt, criteria, costs))
        problems.extend(p for p in found if isinstance(p, Problem))
    if problems:
        raise UnitCostError(problems)
    if not costs:
        raise UnitCostError([Problem(sheet.file, "2", None, None, _("the table has no rows"))])
    return costs


def _check_row(
    file: str,
    row: str,
    record: dict[str, Any],
    fmt: Any,
    criteria: dict[str, Criterion],
    costs: dict[str, Decimal],
) -> Iterator[Problem]:
    code = cell_text(record["kriteria"]).lower()
    unit = cell_text(record["satuan"])
    criterion = criteria.get(code)
    if criterion is None:
        yield Problem(file, row, "kriteria", code, _("unknown criterion (e.g. 1a … 7b)"))
        return
    if code in costs:
        yield Problem(file, row, "kriteria", code, _("the criterion is already priced above"))
    if unit.lower() != criterion.unit.lower():
        message = _("the unit of criterion %(code)s is %(unit)s")
        yield Problem(file, row, "satuan", unit, message % {"code": code, "unit": criterion.unit})
    raw = record["biaya_per_satuan"]
    try:
        cost = parse_number(raw, fmt)
    except NumberError:
        yield Problem(file, row, "biaya_per_satuan", cell_text(raw), _("not a number"))
        return
    if cost is None or cost <= 0:
        reason = _("a cost in rupiah above 0 is needed")
        yield Problem(file, row, "biaya_per_satuan", cell_text(raw), reason)
        return
    costs[code] = cost


def plan_investment_rows(plan: Plan, tahun: int) -> Iterable[list[Any]]:
    """The plan's actions as investment rows (status ``rencana``), one per action; the volume
    is the reduction, the cost the action's rupiah.

    The works' year is the one after ``tahun``, the year of the RT figures planned from: the
    works remove what the survey of ``tahun`` found, so the kumuh akhir from base year ``tahun``
    counts them once realised (criteria.md §7: base year < tahun), and a Pokja that has locked
    ``tahun`` after approving its data can still import its plan (a locked year refuses new
    investments)."""
    works_year = tahun + 1
    for planned in plan.rts:
        figures = planned.figures
        for action in planned.graduation.actions:
            criterion = figures.rule_set.criterion(action.code)
            yield [
                figures.kode_desa,
                figures.lokasi,
                figures.rt,
                works_year,
                action.code,
                action.reduction,
                criterion.unit,
                criterion.name,
                "",
                action.cost,
                "rencana",
                _("planned by sikumuh: the criterion's score down to %(score)d")
                % {"score": action.to_score},
            ]


def parse_rupiah(text: str) -> Decimal | None:
    """An amount of rupiah as people type it: ``5000000000``, ``5.000.000.000``, ``800.000``
    or ``750.000,50``; None when it is not a number of 0 or more. The Indonesian reading comes
    first: a dot before three digits groups thousands (Rp 800.000 is never Rp 800); a cell that
    cannot be read so (``750000.5``) is read with a decimal point."""
    text = text.strip()
    value: Decimal | None = None
    for fmt in (NumberFormat(decimal_comma=True), NumberFormat()):
        try:
            value = parse_number(text, fmt)
        except NumberError:
            continue
        break
    if value is None or value < 0:
        return None
    return value
