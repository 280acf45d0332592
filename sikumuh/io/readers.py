"""Readers: a CSV or spreadsheet file → its header and its rows, each with its line number.

Line numbers are what the user sees in Excel or a text editor: 1-based, the header is line 1, and
fully empty rows are skipped but still counted, so "row 7" in a message is row 7 on screen.

CSV
    UTF-8, with or without the BOM Excel writes ("CSV UTF-8"). The delimiter is sniffed from the
    header line: Indonesian Excel saves CSV with ``;`` (its decimal mark is the comma), others
    with ``,``; tab works too. A record spanning lines (a quoted newline) is numbered by the line
    it starts on.
XLSX (and XLS/ODS)
    Read with python-calamine, which hands every number back as a float. The sheet named
    ``data`` (any case) is read if there is one, else the first sheet.

Columns without a header name are dropped when empty and named ``column_<n>`` (1-based) when they
hold data, so no value disappears without a column to blame.

Two ways in: :func:`read_sheet` / :func:`read_table` give every cell as a Python object (rows as
dicts for small files and per-row code); :func:`open_columns` reads a plain CSV as byte offsets
(:mod:`sikumuh.io.fastcsv`, the fast path of 200,000-row files) and anything else as a
:class:`Sheet`. Both kinds answer ``texts``, ``number_format`` and ``numbers`` with the same
results, so the template reader does not care which it got.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from sikumuh.io.fastcsv import DELIMITERS, ByteColumns, distinct_texts, read_plain_csv
from sikumuh.io.numbers import (
    NumberFormat,
    ParsedColumn,
    cell_text,
    detect_format,
    parse_column,
)

Cell = Any  # str from CSV; str, float, bool, datetime ... from calamine
Source = str | os.PathLike[str] | IO[bytes]

_SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})


class ReaderError(Exception):
    """The file cannot be read as a table; the message names the file and says why."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small objects.

    Every list of cells is a tracked container, so reading 200,000 rows triggers hundreds of
    collections that find nothing (measured: reading took 4× longer). Nothing made here is
    cyclic, so pausing is safe; the collector is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Sheet:
    """A table as columns: ``columns[j][k]`` is the cell of ``header[j]`` on line ``lines[k]``."""

    file: str  # the file's base name, as problems report it
    header: list[str]
    lines: list[int]
    columns: list[Sequence[Cell]]

    def __len__(self) -> int:
        return len(self.lines)

    def texts(self, j: int) -> list[str]:
        """The stripped text of every cell of column ``j`` (whole floats without ``.0``)."""
        cells = self.columns[j]
        if set(map(type, cells)) <= {str}:
            return list(map(str.strip, cells))
        return list(map(cell_text, cells))

    def prefetch(self, columns: Sequence[int]) -> None:
        """Nothing to do: the cells are in memory (:meth:`ByteColumns.prefetch` reads ahead)."""

    def text_column(self, j: int) -> list[str]:
        """:meth:`texts` (the byte-backed variant is :class:`ByteColumns`' own)."""
        return self.texts(j)

    def distinct(self, j: int) -> tuple[list[str], NDArray[np.intp]]:
        """``(texts, index)``: the stripped text of cell ``k`` of column ``j`` is
        ``texts[index[k]]`` (as :meth:`sikumuh.io.fastcsv.ByteColumns.distinct`)."""
        return distinct_texts(self.texts(j))

    def number_format(self, columns: Sequence[int]) -> NumberFormat:
        """The number format of these numeric columns (see ``numbers.detect_format``)."""
        return detect_format(self.columns[j] for j in columns)

    def numbers(self, j: int, fmt: NumberFormat) -> ParsedColumn:
        """Column ``j`` in micro-units: :func:`~sikumuh.io.numbers.parse_column`."""
        return parse_column(self.columns[j], fmt)

    def records(self) -> list[tuple[int, dict[str, Cell]]]:
        """``(line, {column: cell})`` per row; duplicate column names are refused."""
        seen = {name for name in self.header if self.header.count(name) > 1}
        if seen:
            raise ReaderError(f"{self.file}: duplicate column(s): {', '.join(sorted(seen))}")
        rows = zip(*self.columns, strict=True) if self.columns else ([] for _ in self.lines)
        return [
            (line, dict(zip(self.header, row, strict=True)))
            for line, row in zip(self.lines, rows, strict=True)
        ]


def read_table(
    source: Source, *, name: str | None = None
) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    """``(header, [(line, {column: cell})])`` of a CSV or spreadsheet file."""
    sheet = read_sheet(source, name=name)
    return sheet.header, sheet.records()


def open_columns(source: Source, *, name: str | None = None) -> Sheet | ByteColumns:
    """The table in a file as columns, the fast way when it can: a plain CSV is read as byte
    offsets (:mod:`sikumuh.io.fastcsv`), anything else as a :class:`Sheet`. Both answer
    ``texts``, ``number_format`` and ``numbers`` alike."""
    file_name = _file_name(source, name)
    if Path(file_name).suffix.lower() not in _SPREADSHEET_SUFFIXES:
        data = _read_bytes(source, file_name)
        if data[:4] != b"PK\x03\x04":
            table = read_plain_csv(data, file_name)
            if table is not None:
                return table
        return read_sheet(io.BytesIO(data), name=file_name)
    return read_sheet(source, name=name)


def read_sheet(source: Source, *, name: str | None = None) -> Sheet:
    """The table in a file (CSV, XLSX, XLS, ODS), as columns; :class:`ReaderError` if unreadable.

    ``name`` gives the file name for a stream (an upload); paths carry their own.
    """
    file_name = _file_name(source, name)
    data = _read_bytes(source, file_name)
    with gc_paused():
        if Path(file_name).suffix.lower() in _SPREADSHEET_SUFFIXES or data[:4] == b"PK\x03\x04":
            lines, rows = _spreadsheet_rows(data, file_name)
        else:
            lines, rows = _csv_rows(data, file_name)
        return _build(file_name, lines, rows)


def _file_name(source: Source, name: str | None) -> str:
    if name:
        return os.path.basename(name)
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return os.path.basename(str(getattr(source, "name", "upload")))


def _read_bytes(source: Source, file_name: str) -> bytes:
    if isinstance(source, str | os.PathLike):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ReaderError(f"{file_name}: cannot read the file ({exc.strerror})") from exc
    return source.read()


def _csv_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(
            f'{file_name}: not UTF-8 text (byte {exc.start + 1}); save it as "CSV UTF-8"'
        ) from exc
    newline = text.find("\n")
    first_line = text if newline < 0 else text[:newline]
    delimiter = max(DELIMITERS, key=first_line.count)  # ties: the first, ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[int] = []
    rows: list[list[Cell]] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            lines.append(start)
            rows.append(row)
    except csv.Error as exc:
        raise ReaderError(f"{file_name}: line {end + 1}: {exc}") from exc
    return lines, rows


def _spreadsheet_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[Cell]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        wanted = next(
            (n for n in names if n.strip().lower() == "data"), names[0] if names else None
        )
        if wanted is None:
            raise ReaderError(f"{file_name}: the workbook has no sheet")
        # skip_empty_area=False keeps leading empty rows, so row numbers match Excel's.
        rows = book.get_sheet_by_name(wanted).to_python(skip_empty_area=False)
    except ReaderError:
        raise
    except Exception as exc:  # calamine raises its own error types for every broken workbook
        raise ReaderError(f"{file_name}: not a readable spreadsheet ({exc})") from exc
    return list(range(1, len(rows) + 1)), rows


def _is_empty(cell: Cell) -> bool:
    return cell is None or (type(cell) is str and not cell.strip())


def _has_data(row: list[Cell]) -> bool:
    if any(row):  # settles most rows in C
        try:
            return bool("".join(row).strip())
        except TypeError:  # a non-string cell (number, date, boolean)
            return not all(_is_empty(c) for c in row)
    return any(c is not None and type(c) is not str for c in row)  # 0.0 and False are data


def _build(file_name: str, lines: list[int], rows: list[list[Cell]]) -> Sheet:
    if not rows or all(_is_empty(c) for c in rows[0]):
        raise ReaderError(f"{file_name}: line 1 is empty; the header must be on line 1")
    header = [c.strip() if isinstance(c, str) else _header_text(c) for c in rows[0]]
    kept_lines: list[int] = []
    kept: list[list[Cell]] = []
    for line, row in zip(lines[1:], rows[1:], strict=True):
        if _has_data(row):
            kept_lines.append(line)
            kept.append(row)
    width = max([len(header), *map(len, kept)])
    header += [""] * (width - len(header))
    for row in kept:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    columns: list[Sequence[Cell]] = list(zip(*kept, strict=True)) if kept else [() for _ in header]
    names: list[str] = []
    data: list[Sequence[Cell]] = []
    for j, (name, cells) in enumerate(zip(header, columns, strict=True)):
        if not name:
            if all(_is_empty(c) for c in cells):
                continue
            name = f"column_{j + 1}"
        names.append(name)
        data.append(cells)
    return Sheet(file=file_name, header=names, lines=kept_lines, columns=data)


def _header_text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)
