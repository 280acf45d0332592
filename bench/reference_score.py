"""The per-row reference of ``sikumuh score``: read a row, parse each cell, score it, write it.

Deliberately plain, one row at a time, with the scalar definitions only: rows from the csv
module (:func:`sikumuh.io.readers.read_sheet`), cells through
:func:`sikumuh.io.numbers.parse_number`, units through :func:`sikumuh.core.scoring.score_unit`,
rows through the shared table renderer (:func:`sikumuh.io.tables.write_table`). The product's
vectorised path (:func:`sikumuh.cli.score.score_file`) must give the same CSV, byte for byte, and
the same errors; ``bench/score_bench.py`` and ``tests/cli/test_score.py`` check that. Not product
code.

The file-level decisions (which columns exist, the file's number format, its rule set) are the
product's own functions: they are no per-row work, and sharing them keeps the comparison about
the rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from sikumuh.core.criteria import (
    DEFAULT_RULE_SET_ID,
    HEADER_FIELDS,
    RULE_SETS,
    RuleSet,
    UnknownRuleSet,
    get_rule_set,
)
from sikumuh.core.rows import Problem
from sikumuh.core.scoring import UnitInput, score_unit
from sikumuh.io.numbers import NumberError, NumberFormat, cell_text, parse_number
from sikumuh.io.readers import read_sheet
from sikumuh.io.tables import write_table
from sikumuh.io.template import resolve_header
from sikumuh.io.template_columns import (
    ALL_CODES,
    COUNT_FIELDS,
    LEGACY_RULE_SET,
    parse_year,
    resolve_rule_set_id,
)


def score_file_reference(
    path: str | os.PathLike[str], out: TextIO, *, rules: str | None = None
) -> list[Problem]:
    """Score a template file row by row and write CSV to ``out``; return the errors."""
    sheet = read_sheet(path)
    layout = resolve_header(sheet)
    errors = [p for p in layout.problems if p.severity == "error"]
    names = {name: sheet.header[j] for name, j in layout.index.items()}
    records = [] if layout.fatal else sheet.records()
    numeric = [*HEADER_FIELDS, *(f"{p}_{c}" for c in ALL_CODES for p in "vp")]
    fmt = sheet.number_format([layout.index[n] for n in numeric if n in layout.index])
    override = None if rules is None else resolve_rule_set_id(rules)
    used = set()
    for _, record in records:
        try:
            used.add(override or resolve_rule_set_id(cell_text(record.get(names.get("rules")))))
        except UnknownRuleSet:
            continue
    if len(used) > 1:
        raise ValueError("the file mixes rule sets")
    rule_set = get_rule_set(used.pop() if used else override or DEFAULT_RULE_SET_ID)
    codes = rule_set.codes
    header = ["row", "kode_desa", "lokasi", "rt", "tahun"]
    header += [f"p_{c}" for c in codes] + [f"s_{c}" for c in codes]
    header += ["total", "class", "warnings"]

    def rows() -> Iterator[list[Any]]:
        for line, record in records:
            row = _Row(sheet.file, line, record, names, fmt, override, rule_set).score(errors)
            if row is not None:
                yield row

    write_table(header, rows(), out, "csv")
    return errors


@dataclass
class _Row:
    """One template row on its way through the scalar checks and :func:`score_unit`."""

    file: str
    line: int
    record: dict[str, Any]
    names: dict[str, str]
    fmt: NumberFormat
    override: str | None
    rule_set: RuleSet
    found: list[Problem] = field(default_factory=list)

    def cell(self, column: str) -> Any:
        return self.record.get(self.names[column], "") if column in self.names else ""

    def problem(self, column: str, value: str, reason: str) -> None:
        self.found.append(Problem(self.file, str(self.line), column, value, reason))

    def number(self, column: str) -> Decimal | None:
        if column not in self.names:
            return None
        try:
            return parse_number(self.cell(column), self.fmt)
        except NumberError as exc:
            self.problem(column, exc.text, exc.reason)
            return None

    def score(self, errors: list[Problem]) -> list[Any] | None:
        """The output row, or None after adding the row's errors to ``errors``."""
        ident = {c: cell_text(self.cell(c)) for c in ("kode_desa", "lokasi", "rt")}
        for column, text in ident.items():
            if not text:
                self.problem(column, "", "empty; required")
        tahun = 0
        try:
            tahun = parse_year(cell_text(self.cell("tahun")))
        except ValueError as exc:
            self.problem("tahun", cell_text(self.cell("tahun")), str(exc))
        try:
            row_rules = self.override or resolve_rule_set_id(cell_text(self.cell("rules")))
        except UnknownRuleSet:
            row_rules = ""
            known = ", ".join(sorted(RULE_SETS))
            self.problem(
                "rules", cell_text(self.cell("rules")), f"unknown rule set; known: {known}"
            )
        header: dict[str, Decimal | None] = {}
        for name in HEADER_FIELDS:
            value = header[name] = self.number(name)
            if name in COUNT_FIELDS and value is not None and not _whole(value):
                text = cell_text(self.cell(name))
                self.problem(name, text, "a count must be a whole number, 0 or more")
        codes = self.rule_set.codes
        volumes: dict[str, Decimal | None] = {}
        percents: dict[str, Decimal | None] = {}
        for code in ALL_CODES:
            v, p = self.number(f"v_{code}"), self.number(f"p_{code}")
            if v is not None and p is not None:
                text = cell_text(self.cell(f"p_{code}"))
                reason = f"v_{code} is given too; give the volume or the percentage, not both"
                self.problem(f"p_{code}", text, reason)
            given = v is not None or p is not None
            if given and row_rules and code not in get_rule_set(row_rules).codes:
                column = f"v_{code}" if v is not None else f"p_{code}"
                reason = (
                    f"criterion {code} is not in rule set {row_rules}; leave it empty or use "
                    f"rules {LEGACY_RULE_SET.id}"
                )
                self.problem(column, cell_text(self.cell(column)), reason)
            if code in codes and v is not None:
                volumes[code] = v
            if code in codes and p is not None:
                percents[code] = p
        if self.found:
            errors.extend(self.found)
            return None
        unit = UnitInput(header=header, volumes=volumes, percents=percents)
        result = score_unit(unit, self.rule_set)
        if result.errors:
            for issue in result.errors:
                column = issue.field
                if column in ("volume", "percent"):
                    column = f"{column[0]}_{issue.criterion}"
                errors.append(
                    Problem(self.file, str(self.line), column, issue.value, issue.message)
                )
            return None
        assert result.klass is not None
        return [
            self.line,
            ident["kode_desa"],
            ident["lokasi"],
            ident["rt"],
            tahun,
            *(result.percent[c] for c in codes),
            *(result.score[c] for c in codes),
            result.total,
            result.klass.value,
            ";".join(f"{w.criterion}:{w.code}" for w in result.warnings),
        ]


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value() and value >= 0
