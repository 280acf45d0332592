"""The one renderer for tabular output (CSV and XLSX). Exporters only yield rows into it.

Formula injection
    A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and
    carriage return can hide one), so a location named ``=HYPERLINK(...)`` in a survey file would
    run on the machine of whoever opens our export. Every *string* cell starting with one of
    these gets a leading apostrophe, in CSV and XLSX alike (OWASP "CSV injection"; pretix's
    ``ListExporter`` with defusedcsv does the same). Numbers stay numbers: ``-5`` given as an
    int, float or Decimal is written as a number; only the *string* ``"-5"`` is quoted.

CSV
    ``,`` between cells, ``\n`` after each row, UTF-8; a cell holding ``,``, ``"``, a newline or
    a carriage return is quoted (``"`` doubled). One function, :func:`csv_field`, renders every
    cell, for rows (:func:`write_table`) and for columns (:func:`write_columns`, the fast path
    for 200,000-row results) alike, so both give the same bytes.
XLSX
    XlsxWriter in ``constant_memory`` mode (rows are flushed as written, so 200,000 rows use
    little memory), strings always written as strings (never parsed as formulas or URLs).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, TextIO

import numpy as np
from numpy.typing import NDArray

FORMATS = ("csv", "xlsx")
#: What makes a spreadsheet treat a cell as a formula (or hide one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Target = str | os.PathLike[str] | IO[bytes]


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: a string starting with a formula trigger gets a
    leading apostrophe; every other value (numbers included, negative ones too) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


_QUOTE_IF = (",", '"', "\n", "\r")


def csv_field(value: Any) -> str:
    """One CSV cell: None empty, strings neutralised and quoted when needed, numbers by ``str``
    (a Decimal keeps its places: ``77.50``)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    text = "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if any(c in text for c in _QUOTE_IF):
        return '"' + text.replace('"', '""') + '"'
    return str(text)


def _csv_line(row: Sequence[Any]) -> str:
    line = ",".join(map(csv_field, row))
    return line or ('""' if len(row) == 1 else "")  # a lone empty cell is not an empty line


def write_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: TextIO | Target,
    fmt: str = "csv",
) -> int:
    """Write ``header`` and ``rows`` as CSV (to a text stream) or XLSX (to a path or binary
    stream); returns the number of data rows written."""
    if fmt == "csv":
        return write_csv(header, rows, out)  # type: ignore[arg-type]  # a text stream for CSV
    if fmt == "xlsx":
        return write_xlsx(out, [("data", header, rows)])[0]  # type: ignore[arg-type]
    raise ValueError(f"unknown table format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    """CSV rows (see the module docstring); returns the number of data rows."""
    out.write(_csv_line(header) + "\n")
    count = 0
    for row in rows:
        out.write(_csv_line(row) + "\n")
        count += 1
    return count


@dataclass(frozen=True)
class Fixed:
    """A column of integers shown with ``places`` decimals (7756 with 2 places is 77.56): a
    number, written as the Decimal ``Decimal(7756).scaleb(-2)`` would be."""

    values: NDArray[np.integer[Any]]
    places: int = 0

    def decimals(self) -> list[Decimal]:
        return [Decimal(v).scaleb(-self.places) for v in self.values.tolist()]


Column = Fixed | Sequence[Any] | NDArray[Any]
_CHUNK = 50_000


def write_columns(
    header: Sequence[str], columns: Sequence[Column], out: TextIO | Target, fmt: str = "csv"
) -> int:
    """Write a table given as columns: the same output as :func:`write_table` on its rows,
    faster. Each distinct number is formatted once, and text columns are checked whole."""
    if fmt != "csv" or len(columns) < 2:
        values = [c.decimals() if isinstance(c, Fixed) else c for c in columns]
        return write_table(header, zip(*values, strict=True), out, fmt)
    texts = _render_all(_join_digit_runs(columns))
    n = len(texts[0])
    stream: TextIO = out  # type: ignore[assignment]  # CSV goes to a text stream
    stream.write(_csv_line(header) + "\n")
    for start in range(0, n, _CHUNK):
        block = zip(*(t[start : start + _CHUNK] for t in texts), strict=True)
        stream.write("\n".join(map(",".join, block)) + "\n")
    return n


class _Rendered(list[str]):
    """Cells already in their final CSV text (several cells with their commas)."""


def _join_digit_runs(columns: Sequence[Column]) -> list[Column]:
    """Adjacent integer columns holding single digits only (scores 0–5) joined, with their
    commas, into one text column: NumPy writes those bytes, and each output row has fewer
    cells to join in Python."""
    out: list[Column] = []
    run: list[NDArray[np.integer[Any]]] = []

    def flush() -> None:
        if len(run) < 2:
            out.extend(run)
        else:
            chars = np.full((len(run[0]), 2 * len(run) - 1), ord(","), dtype=np.uint8)
            for k, digits in enumerate(run):
                chars[:, 2 * k] = digits + ord("0")
            out.append(_Rendered(chars.view(f"S{chars.shape[1]}").ravel().astype(str).tolist()))
        run.clear()

    for column in columns:
        single = (
            isinstance(column, np.ndarray)
            and column.dtype.kind in "iu"
            and column.size > 0
            and int(column.min()) >= 0
            and int(column.max()) <= 9
        )
        if single:
            run.append(column)  # type: ignore[arg-type]  # an integer array, checked above
        else:
            flush()
            out.append(column)
    flush()
    return out


def _render_all(columns: Sequence[Column]) -> list[list[str]]:
    """Every column's cells as CSV text. Integer columns with the same places are rendered
    together: each distinct value is formatted once for all of them."""
    texts: list[list[str]] = [[] for _ in columns]
    numeric: dict[int, list[tuple[int, NDArray[np.integer[Any]]]]] = {}
    for k, column in enumerate(columns):
        if isinstance(column, _Rendered):
            texts[k] = column
        elif isinstance(column, Fixed):
            numeric.setdefault(column.places, []).append((k, column.values))
        elif isinstance(column, np.ndarray) and column.dtype.kind in "iu":
            numeric.setdefault(0, []).append((k, column))
        else:
            cells = column.tolist() if isinstance(column, np.ndarray) else list(column)
            texts[k] = _render_text(cells)
    for places, group in numeric.items():
        rendered = _render_integers(np.concatenate([v for _, v in group]), places)
        start = 0
        for k, values in group:
            texts[k] = rendered[start : start + len(values)]
            start += len(values)
    return texts


def _render_text(cells: list[Any]) -> list[str]:
    """A column's cells as CSV text, each exactly as :func:`csv_field` renders it."""
    if set(map(type, cells)) == {str}:
        joined = "\x00" + "\x00".join(cells)
        if not any(c in joined for c in _QUOTE_IF) and not any(
            "\x00" + t in joined for t in FORMULA_TRIGGERS
        ):
            return cells  # nothing to neutralise or quote: the common case, checked in C
    return list(map(csv_field, cells))


def _render_integers(values: NDArray[np.integer[Any]], places: int) -> list[str]:
    """Integers (scaled by 10^-places) as text, as ``str(Decimal(v).scaleb(-places))`` writes
    them, formatting each distinct value once."""
    values = np.asarray(values, dtype=np.int64)
    if values.size == 0:
        return []
    low, high = int(values.min()), int(values.max())
    if high - low < 10_000_000:
        present = np.zeros(high - low + 1, dtype=bool)
        present[values - low] = True
        distinct = np.flatnonzero(present)
        position = np.zeros(high - low + 1, dtype=np.int64)
        position[distinct] = np.arange(distinct.size)
        index = position[values - low]
        distinct += low
    else:
        distinct, index = np.unique(values, return_inverse=True)
    numbers = distinct.tolist()
    if places:
        table = np.array([str(Decimal(v).scaleb(-places)) for v in numbers], dtype=object)
    else:
        table = np.array(list(map(str, numbers)), dtype=object)
    result: list[str] = table[index].tolist()
    return result


SheetSpec = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def write_xlsx(
    out: Target,
    sheets: Sequence[SheetSpec],
    *,
    widths: Sequence[Sequence[float]] | None = None,
) -> list[int]:
    """An XLSX workbook with one worksheet per ``(name, header, rows)``; returns row counts.

    ``widths`` optionally sets each sheet's column widths (characters).
    """
    import xlsxwriter

    target = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    counts: list[int] = []
    try:
        for k, (name, header, rows) in enumerate(sheets):
            sheet = book.add_worksheet(name)
            for j, width in enumerate(widths[k] if widths else ()):
                sheet.set_column(j, j, width)
            for j, title in enumerate(header):
                sheet.write_string(0, j, neutralise(title), bold)
            sheet.freeze_panes(1, 0)
            count = 0
            for count, row in enumerate(rows, start=1):
                for j, value in enumerate(row):
                    _write_cell(sheet, count, j, value)
            counts.append(count)
    finally:
        book.close()
    return counts


def _write_cell(sheet: Any, i: int, j: int, value: Any) -> None:
    if value is None or value == "":
        return  # constant_memory: an unwritten cell is an empty cell
    if isinstance(value, str):
        sheet.write_string(i, j, neutralise(value))
    elif isinstance(value, bool):
        sheet.write_boolean(i, j, value)
    elif isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if math.isfinite(number):
            sheet.write_number(i, j, number)
        else:
            sheet.write_string(i, j, str(value))
    else:  # dates too: as text, the same as the CSV, unambiguous in every spreadsheet
        sheet.write_string(i, j, neutralise(str(value)))
