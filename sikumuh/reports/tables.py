"""The tables of a report: printed in the PDF and written one per sheet in the XLSX.

A report builds its tables once, from its data; the PDF formats each cell by its column's kind
("47,53 Ha") and the workbook keeps the numbers as numbers, with the unit in the heading, so a
reader can compute with them. The workbook goes through the one table renderer of the project
(:func:`sikumuh.io.tables.write_xlsx`), which neutralises formula injection in every text cell.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django_stubs_ext import StrOrPromise

from sikumuh.io.tables import write_xlsx

#: Column kinds: how a cell is printed (``reports.filters.format_cell``) and its unit.
KINDS = ("text", "ha", "pct", "int", "dec2", "dec4", "rupiah", "date")
_UNITS = {"ha": "Ha", "pct": "%", "rupiah": "Rp"}
#: Excel refuses these in a sheet name, and names longer than 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?]")
_SHEET_SLASHES = re.compile(r"[/\\]")
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class Column:
    label: StrOrPromise
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "date")

    @property
    def heading(self) -> str:
        """The workbook heading: the label with its unit, "Luas kumuh 2019 (Ha)"."""
        unit = _UNITS.get(self.kind)
        return f"{self.label} ({unit})" if unit else str(self.label)


@dataclass
class Table:
    """One table: ``sheet`` names its worksheet, ``title`` heads it in the PDF."""

    key: str
    sheet: StrOrPromise
    title: StrOrPromise
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[Any] | None = None  # a total row, printed in bold
    note: StrOrPromise = ""

    def __post_init__(self) -> None:
        for row in [*self.rows, *([self.footer] if self.footer else [])]:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.key}: a row has {len(row)} cells, not {len(self)}")

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def cells(self) -> list[list[tuple[Any, Column]]]:
        """Rows as (value, column) pairs: what the PDF template iterates over."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]

    @property
    def footer_cells(self) -> list[tuple[Any, Column]]:
        return list(zip(self.footer, self.columns, strict=True)) if self.footer else []


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (Excel: at most 31 characters, no ``[]:*?/\\``)."""
    base = _SHEET_SLASHES.sub("-", _SHEET_FORBIDDEN.sub("", name)).strip()[:SHEET_NAME_MAX]
    base = base or "Tabel"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "as_tuple") or hasattr(value, "year"):
        return value  # Decimal: a number; date: written as ISO text by the renderer
    return str(value)  # lazy translations and other labels


def workbook(tables: Sequence[Table], *, banner: str | None = None) -> bytes:
    """An XLSX workbook with one sheet per table (the total row last); a ``banner`` (the DRAF
    notice) is the first line of every sheet, above the headings."""
    taken: set[str] = set()
    sheets = []
    widths = []
    for table in tables:
        rows = [[_xlsx_value(v) for v in row] for row in table.rows]
        if table.footer:
            rows.append([_xlsx_value(v) for v in table.footer])
        headings = [c.heading for c in table.columns]
        if banner:
            rows.insert(0, headings)
            headings = [banner, *[""] * (len(headings) - 1)]
        sheets.append((sheet_name(str(table.sheet), taken), headings, rows))
        widths.append([_width(h, [r[j] for r in rows]) for j, h in enumerate(headings)])
    out = io.BytesIO()
    write_xlsx(out, sheets, widths=widths)
    return out.getvalue()


def _width(heading: str, values: list[Any]) -> float:
    longest = max([len(heading), *(len(str(v)) for v in values if v is not None)])
    return float(min(max(longest + 2, 8), 60))
