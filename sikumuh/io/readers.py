"""Readers: a CSV or spreadsheet file → its header and its rows, each with its line number.

Line numbers are what the user sees in Excel or a text editor: 1-based, the header is line 1, and
fully empty rows are skipped but still counted, so "row 7" in a message is row 7 on screen.

CSV
    UTF-8, with or without the BOM Excel writes ("CSV UTF-8"). The delimiter is sniffed from the
    header line: Indonesian Excel saves CSV with ``;`` (its decimal mark is the comma), others
    with ``,``; tab works too. A record spanning lines (a quoted newline) is numbered by the line
    it starts on.
XLSX
    Read with python-calamine, which hands every number back as a float. The sheet named
    ``data`` (any case) is read if there is one, else the first sheet. Before calamine opens
    it, the workbook passes :func:`sikumuh.io.workbook_guard.check_workbook` (zip bombs, cells far
    away); XLS, XLSB and ODS, which cannot be checked so, are refused.

Limits
    Every file is refused past :func:`sikumuh.io.guard.limits` (bytes, rows, columns), and a
    cell holding a NUL character is refused naming its row and column.

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
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from sikumuh.io import guard, workbook_guard
from sikumuh.io.fastcsv import DELIMITERS, ByteColumns, distinct_texts, read_plain_csv
from sikumuh.io.guard import gettext_noop
from sikumuh.io.numbers import (
    NumberFormat,
    ParsedColumn,
    cell_text,
    detect_format,
    parse_column,
)

Cell = Any  # str from CSV; str, float, bool, datetime ... from calamine
Source = str | os.PathLike[str] | IO[bytes]
_log = logging.getLogger(__name__)

_SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})


class ReaderError(Exception):
    """The file cannot be read as a table; the message names the file and says why. ``msgid``
    is English with ``%(name)s`` placeholders, translated where it is shown (:meth:`translated`:
    the same "file: why" message as the guard's refusals, one way to translate them)."""

    def __init__(self, file: str, msgid: str, **params: Any) -> None:
        self.message = guard.FileRefused(file, msgid, **params)
        super().__init__(str(self.message))

    def translated(self) -> str:
        """The message in the active language."""
        return self.message.translated()


class Refused(ReaderError):
    """A file refused by :mod:`sikumuh.io.guard` (a limit, its encoding, a NUL)."""

    def __init__(self, refusal: guard.FileRefused) -> None:
        super().__init__(refusal.file, refusal.msgid, **refusal.params)
        self.refusal = refusal


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """Turn the guard's refusals into :class:`Refused` reader errors."""
    try:
        yield
    except guard.FileRefused as exc:
        raise Refused(exc) from None


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
            raise ReaderError(
                self.file,
                gettext_noop("duplicate column(s): %(columns)s"),
                columns=", ".join(sorted(seen)),
            )
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
            _check_text(data, file_name)
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
            _check_text(data, file_name)
            lines, rows = _csv_rows(data, file_name)
        return _build(file_name, lines, rows)


def _file_name(source: Source, name: str | None) -> str:
    if name:
        return os.path.basename(name)
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return os.path.basename(str(getattr(source, "name", "upload")))


def _read_bytes(source: Source, file_name: str) -> bytes:
    """The file's bytes, refused past the byte limit before they are read."""
    limits = guard.limits()
    with refusals():
        if isinstance(source, str | os.PathLike):
            try:
                guard.check_size(os.stat(source).st_size, file_name, limits)
                with open(source, "rb") as stream:
                    return guard.read_bounded(stream, file_name, limits)
            except OSError as exc:
                # The system's words name a server path or errno: logged, not shown.
                _log.warning("%s: cannot read it: %s", file_name, exc.strerror)
                raise ReaderError(file_name, gettext_noop("cannot read the file")) from exc
        return guard.read_bounded(source, file_name, limits)


def _check_text(data: bytes, file_name: str) -> None:
    """Refuse a text table past the row or column limit (counted as lines and delimiters of
    the first line: cheap, before any cell is made) or not in UTF-8."""
    limits = guard.limits()
    with refusals():
        if b"\x00" in data[:4096]:
            guard.decode_text(data[:4096], file_name)  # UTF-16 is named as such
        lines = data.count(b"\n") + 1 - data.endswith(b"\n")
        if lines > limits.max_rows + 1:
            raise guard.too_many_rows(file_name, limits)
        first = data[: data.find(b"\n")] if b"\n" in data else data
        if max(first.count(d.encode()) for d in DELIMITERS) + 1 > limits.max_columns:
            raise guard.too_many_columns(file_name, guard.limits())


def _csv_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[Cell]]]:
    with refusals():
        text = guard.decode_text(data, file_name)
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
        with refusals():
            raise guard.csv_refusal(file_name, end + 1) from exc
    if "\x00" in text:
        _refuse_nul(file_name, lines, rows)
    if len(rows) > 1 and max(map(len, rows)) > guard.limits().max_columns:
        with refusals():
            raise guard.too_many_columns(file_name, guard.limits())
    return lines, rows


def _spreadsheet_rows(data: bytes, file_name: str) -> tuple[list[int], list[list[Cell]]]:
    from python_calamine import CalamineWorkbook

    limits = guard.limits()
    with refusals():
        maybe_nul = workbook_guard.check_workbook(data, file_name, limits)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        wanted = next(
            (n for n in names if n.strip().lower() == "data"), names[0] if names else None
        )
        if wanted is None:
            raise ReaderError(file_name, gettext_noop("the workbook has no sheet"))
        sheet = book.get_sheet_by_name(wanted)
        # The guard has checked every cell reference; calamine's own extent is checked again
        # before any Python object is made, and no more rows than the limit are asked for.
        end = sheet.end or (0, 0)
        with refusals():
            workbook_guard.check_cells(end[0] + 1, end[1] + 1, file_name, limits)
        # skip_empty_area=False keeps leading empty rows, so row numbers match Excel's.
        rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows + 2)
    except ReaderError:
        raise
    except Exception as exc:  # calamine raises its own error types for every broken workbook
        _log.warning("%s: calamine cannot read it", file_name, exc_info=True)
        raise ReaderError(file_name, gettext_noop("not a readable spreadsheet")) from exc
    if len(rows) > limits.max_rows + 1:
        with refusals():
            raise guard.FileRefused(
                file_name,
                gettext_noop("the sheet has more than %(limit)s rows of data"),
                limit=limits.max_rows,
            )
    if maybe_nul:
        _refuse_nul(file_name, range(1, len(rows) + 1), rows)
    return list(range(1, len(rows) + 1)), rows


def _refuse_nul(file_name: str, lines: Sequence[int], rows: list[list[Cell]]) -> None:
    """Refuse the first cell holding a NUL, naming its line and column."""
    header = [c if isinstance(c, str) else _header_text(c) for c in rows[0]] if rows else []
    found = guard.nul_cell(rows, header)
    if found is not None:
        with refusals():
            raise guard.nul_refusal(file_name, lines[found[0]], found[1])


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
        raise ReaderError(file_name, gettext_noop("line 1 is empty; the header must be on line 1"))
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
