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
Encoded = tuple[NDArray[np.uint8], NDArray[np.int64]]  # all cells' UTF-8 bytes, each cell's length


def write_columns(
    header: Sequence[str], columns: Sequence[Column], out: TextIO | Target, fmt: str = "csv"
) -> int:
    """Write a table given as columns: the same output as :func:`write_table` on its rows,
    much faster. Each distinct number is formatted once, text columns are checked whole, and
    the rows are assembled as bytes with NumPy (no Python string per row)."""
    if fmt != "csv" or len(columns) < 2:
        values = [c.decimals() if isinstance(c, Fixed) else c for c in columns]
        return write_table(header, zip(*values, strict=True), out, fmt)
    stream: TextIO = out  # type: ignore[assignment]  # CSV goes to a text stream
    stream.write(_csv_line(header) + "\n")
    encoded = [_encode(column) for column in columns]
    stream.write(_assemble(encoded).decode("utf-8"))
    return len(encoded[0][1])


def _encode(column: Column) -> Encoded:
    """A column's cells, each exactly as :func:`csv_field` renders it, as UTF-8 bytes."""
    if isinstance(column, Fixed):
        return _encode_integers(column.values, column.places)
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        return _encode_integers(column, 0)
    cells = column.tolist() if isinstance(column, np.ndarray) else list(column)
    texts = _render_text(cells)
    joined = "".join(texts)
    if joined.isascii():
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        return np.frombuffer(joined.encode("ascii"), dtype=np.uint8), lengths
    parts = [t.encode("utf-8") for t in texts]
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    return np.frombuffer(b"".join(parts), dtype=np.uint8), lengths


def _render_text(cells: list[Any]) -> list[str]:
    """A column's cells as CSV text, each exactly as :func:`csv_field` renders it."""
    if set(map(type, cells)) == {str}:
        joined = "\x00" + "\x00".join(cells)
        if not any(c in joined for c in _QUOTE_IF) and not any(
            "\x00" + t in joined for t in FORMULA_TRIGGERS
        ):
            return cells  # nothing to neutralise or quote: the common case, checked in C
    return list(map(csv_field, cells))


def _encode_integers(values: NDArray[np.integer[Any]], places: int) -> Encoded:
    """Integers scaled by 10^-places as text, digit by digit with NumPy, exactly as
    ``str(Decimal(v).scaleb(-places))`` writes them (``-5`` with 2 places is ``-0.05``)."""
    values = np.asarray(values, dtype=np.int64)
    magnitude = np.abs(values)
    digits = np.maximum(_digit_count(magnitude), places + 1)  # "0.05": a 0 before the point
    sign = (values < 0).astype(np.int64)
    lengths = sign + digits + (1 if places else 0)
    width = int(lengths.max(initial=1))
    # Right-aligned characters: digits from the right, the point after `places` of them.
    chars = np.zeros((values.size, width), dtype=np.uint8)
    rest = magnitude.copy()
    column = width - 1
    for k in range(int(digits.max(initial=1))):
        if places and k == places:
            chars[:, column] = ord(".")
            column -= 1
        chars[:, column] = np.where(k < digits, ord("0") + rest % 10, 0)
        rest //= 10
        column -= 1
    rows = np.flatnonzero(sign)
    chars[rows, width - lengths[rows]] = ord("-")
    keep = np.arange(width)[None, :] >= (width - lengths)[:, None]
    return chars[keep], lengths


def _digit_count(magnitude: NDArray[np.int64]) -> NDArray[np.int64]:
    """Decimal digits of non-negative integers (0 has one)."""
    count = np.ones(magnitude.shape, dtype=np.int64)
    for power in _POWERS:
        count += magnitude >= power
    return count


_POWERS = [10**k for k in range(1, 19)]


def _assemble(columns: Sequence[Encoded]) -> bytes:
    """CSV rows from encoded columns: the cells of a row joined by ``,``, each row ended by
    ``\\n``, every byte placed by index arithmetic."""
    lengths = np.stack([length for _, length in columns])
    row_ends = np.cumsum(lengths.sum(axis=0) + len(columns))
    out = np.empty(int(row_ends[-1]) if row_ends.size else 0, dtype=np.uint8)
    position = row_ends - (lengths.sum(axis=0) + len(columns))  # where each row's next cell goes
    for j, (data, length) in enumerate(columns):
        if data.size:
            first = np.cumsum(length) - length  # where each cell starts in `data`
            out[np.repeat(position - first, length) + np.arange(data.size)] = data
        position += length
        out[position] = ord("\n") if j == len(columns) - 1 else ord(",")
        position += 1
    return out.tobytes()


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
