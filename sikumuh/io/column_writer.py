"""The fast path of the CSV renderer (`sikumuh.io.tables`) for 200,000-row results: a table
given as columns, each rendered to its cells' bytes at once (numbers digit by digit with NumPy,
text checked whole), the rows laid out side by side in a byte matrix. The bytes are those of
:func:`sikumuh.io.tables.write_table` on the same rows (tests compare them)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO, overload

import numpy as np
from numpy.typing import NDArray

from sikumuh.io.bytetexts import ByteTexts
from sikumuh.io.tables import (
    _QUOTE_IF,
    FORMULA_TRIGGERS,
    Target,
    _csv_line,
    csv_field,
    write_table,
)


@dataclass(frozen=True)
class Fixed:
    """A column of integers shown with ``places`` decimals (7756 with 2 places is 77.56): a
    number, written as the Decimal ``Decimal(7756).scaleb(-2)`` would be."""

    values: NDArray[np.integer[Any]]
    places: int = 0

    def decimals(self) -> list[Decimal]:
        return [Decimal(v).scaleb(-self.places) for v in self.values.tolist()]


class Labels(Sequence[str]):
    """A text column given as positions in a few distinct texts (a class name, a row's list of
    warnings): row ``k``'s text is ``texts[codes[k]]``. The column writer renders each distinct
    text once."""

    def __init__(self, codes: NDArray[np.integer[Any]], texts: Sequence[str]) -> None:
        self.codes = codes
        self.texts = texts

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    @overload
    def __getitem__(self, k: int) -> str: ...

    @overload
    def __getitem__(self, k: slice) -> list[str]: ...

    def __getitem__(self, k: int | slice) -> str | list[str]:
        if isinstance(k, slice):
            return [self.texts[i] for i in self.codes[k].tolist()]
        text: str = self.texts[int(self.codes[k])]
        return text

    def __iter__(self) -> Iterator[str]:
        return map(self.texts.__getitem__, self.codes.tolist())


Column = Fixed | Labels | Sequence[Any] | NDArray[Any]
#: A column's CSV cells as UTF-8 bytes, one row per cell, NUL bytes as padding (anywhere: numbers
#: are right-aligned, text left-aligned). No cell holds a NUL of its own, so NULs are padding.
Cells = NDArray[np.uint8]
#: Rows laid out per block: the block's byte matrix stays a few megabytes.
_CHUNK = 16_384
#: Places up to which ``str(Decimal(v).scaleb(-places))`` is plain notation (never ``1E-7``).
_MAX_PLACES = 6


def write_columns(
    header: Sequence[str], columns: Sequence[Column], out: TextIO | Target, fmt: str = "csv"
) -> int:
    """Write a table given as columns: the same output as :func:`write_table` on its rows,
    faster. Each column becomes its cells' bytes at once (numbers formatted digit by digit with
    NumPy, text columns checked whole), and NumPy lays the rows out side by side."""
    rendered = _render_all(columns) if fmt == "csv" and len(columns) >= 2 else None
    if rendered is None:
        values = [c.decimals() if isinstance(c, Fixed) else c for c in columns]
        return write_table(header, zip(*values, strict=True), out, fmt)
    n = int(rendered[0].shape[0])
    stream: TextIO = out  # type: ignore[assignment]  # CSV goes to a text stream
    stream.write(_csv_line(header) + "\n")
    for start in range(0, n, _CHUNK):
        stream.write(_join_rows([cells[start : start + _CHUNK] for cells in rendered]))
    return n


def _join_rows(columns: list[Cells]) -> str:
    """The CSV lines of a block of rows: each row's cells side by side in a byte matrix, a comma
    after each cell and a newline after the last, then the padding squeezed out."""
    m = columns[0].shape[0]
    matrix = np.empty((m, sum(c.shape[1] + 1 for c in columns)), dtype=np.uint8)
    at = 0
    for cells in columns:
        width = cells.shape[1]
        matrix[:, at : at + width] = cells
        matrix[:, at + width] = ord(",")
        at += width + 1
    matrix[:, -1] = ord("\n")
    text: str = matrix[matrix != 0].tobytes().decode("utf-8")
    return text


def _render_all(columns: Sequence[Column]) -> list[Cells] | None:
    """Every column's cells as bytes, or None when a text cell holds a NUL (the row writer then
    writes the table). Integer columns with the same places share one table of their distinct
    values."""
    rendered: list[Cells | None] = [None] * len(columns)
    numeric: dict[int, list[tuple[int, NDArray[np.integer[Any]]]]] = {}
    for k, column in enumerate(columns):
        if isinstance(column, Fixed):
            numeric.setdefault(column.places, []).append((k, column.values))
        elif isinstance(column, np.ndarray) and column.dtype.kind in "iu":
            numeric.setdefault(0, []).append((k, column))
        elif isinstance(column, ByteTexts) and not _needs_care(column.cells):
            rendered[k] = column.cells  # nothing to neutralise or quote: the bytes as they are
        elif isinstance(column, Labels):
            texts = _render_text(list(column.texts))
            if texts is None:
                return None
            rendered[k] = _take_rows(texts, np.asarray(column.codes, dtype=np.intp))
        else:
            cells = column.tolist() if isinstance(column, np.ndarray) else list(column)
            text = _render_text(cells)
            if text is None:
                return None
            rendered[k] = text
    for places, group in numeric.items():
        cells_of = _render_integers([values for _, values in group], places)
        for (k, _), cells in zip(group, cells_of, strict=True):
            rendered[k] = cells
    return rendered  # type: ignore[return-value]  # every column is rendered above


def _render_text(cells: list[Any]) -> Cells | None:
    """A column's cells as UTF-8, each exactly as :func:`csv_field` renders it; None when a
    cell holds a NUL (it would read as padding)."""
    if set(map(type, cells)) <= {str}:
        encoded = _encode(cells)
        if encoded is None:
            return None
        joined, data, starts = encoded
        if not (any(c in joined for c in _QUOTE_IF) or _TRIGGERS[data[starts]].any()):
            return _gather(data, starts, np.diff(starts, append=data.size) - 1)
    encoded = _encode(list(map(csv_field, cells)))  # to neutralise or quote: one by one
    if encoded is None:
        return None
    _, data, starts = encoded
    return _gather(data, starts, np.diff(starts, append=data.size) - 1)


def _encode(texts: list[str]) -> tuple[str, NDArray[np.uint8], NDArray[np.int64]] | None:
    """The texts joined by NULs (and one after the last), as UTF-8 bytes, with each text's
    start: one encode for a whole column. None when a text holds a NUL of its own."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):
        return None
    data = np.frombuffer((joined + "\x00").encode("utf-8"), dtype=np.uint8)
    starts = np.empty(len(texts), dtype=np.int64)
    starts[0:1] = 0
    starts[1:] = np.flatnonzero(data == 0)[:-1] + 1
    return joined, data, starts


def _needs_care(cells: Cells) -> bool:
    """Whether left-aligned text cells hold a byte to quote or start with one to neutralise."""
    if cells.shape[1] == 0:
        return False
    return bool(_TRIGGERS.take(cells[:, 0]).any() or _QUOTE_BYTES.take(cells).any())


#: Bytes that start a formula (:data:`FORMULA_TRIGGERS`, all ASCII).
_TRIGGERS = np.zeros(256, dtype=bool)
_TRIGGERS[[ord(t) for t in FORMULA_TRIGGERS]] = True
#: Bytes that make a cell quoted (:data:`_QUOTE_IF`).
_QUOTE_BYTES = np.zeros(256, dtype=bool)
_QUOTE_BYTES[[ord(c) for c in _QUOTE_IF]] = True
#: ``_LOW_BYTES[k]``: the low ``k`` bytes of a 64-bit word set (k = 0–8).
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _gather(
    data: NDArray[np.uint8], starts: NDArray[np.int64], lengths: NDArray[np.int64]
) -> Cells:
    """Byte runs of ``data`` as the rows of a NUL-padded matrix (as wide as the longest)."""
    n = lengths.size
    width = int(lengths.max()) if n else 0
    padded = np.concatenate([data, np.zeros(max(width, 8), dtype=np.uint8)])
    if width <= 8:
        # Runs of up to 8 bytes: unaligned little-endian words (a strided view, no copy), the
        # bytes past each run masked off.
        words = np.ndarray((padded.size - 7,), dtype="<u8", buffer=padded, strides=(1,))[starts]
        words &= _LOW_BYTES[lengths]
        return words.view(np.uint8).reshape(n, 8)[:, :width]
    cells = np.zeros((n, width), dtype=np.uint8)
    rows = np.flatnonzero(lengths)  # wide text columns are often mostly empty (warnings)
    # Windows of `width` bytes at every offset (a view): picking whole windows is a row copy.
    picked = np.lib.stride_tricks.sliding_window_view(padded, width)[starts[rows]]
    picked *= np.arange(width) < lengths[rows, None]
    cells[rows] = picked
    return cells


def _render_integers(columns: list[NDArray[np.integer[Any]]], places: int) -> list[Cells]:
    """Integer columns (scaled by 10^-places) as ``str(Decimal(v).scaleb(-places))`` writes
    them: each value of all the columns formatted once, each column as narrow as its longest
    cell."""
    arrays = [np.asarray(values, dtype=np.int64) for values in columns]
    given = [a for a in arrays if a.size]
    if not given:
        return [np.zeros((a.size, 0), dtype=np.uint8) for a in arrays]
    position: NDArray[np.int64] | None
    bounds = [(int(a.min()), int(a.max())) if a.size else (0, 0) for a in arrays]
    low = min(b[0] for a, b in zip(arrays, bounds, strict=True) if a.size)
    high = max(b[1] for a, b in zip(arrays, bounds, strict=True) if a.size)
    size = sum(a.size for a in arrays)
    if high - low < max(1 << 16, size // 16):
        # A small range (scores, totals, line numbers): a table of every value in it.
        distinct = np.arange(low, high + 1, dtype=np.int64)
        position = np.arange(distinct.size, dtype=np.int64)
        indexes = [a - low for a in arrays]
    elif high - low < 10_000_000:
        # A wide range (percentages above 100): a table of the values present.
        present = np.zeros(high - low + 1, dtype=bool)
        for a in given:
            present[a - low] = True
        distinct = np.flatnonzero(present)
        position = np.zeros(high - low + 1, dtype=np.int64)
        position[distinct] = np.arange(distinct.size)
        indexes = [position[a - low] for a in arrays]
        distinct += low
    else:
        distinct, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
        ends = np.cumsum([a.size for a in arrays]).tolist()
        indexes = [inverse[e - a.size : e] for a, e in zip(arrays, ends, strict=True)]
        position = None  # the bounds' places in the table: found from the indexes below
    table, lengths = _format_fixed(distinct, places)
    out = []
    for index, (smallest, largest) in zip(indexes, bounds, strict=True):
        # Right-aligned cells: the column needs the last `width` bytes of the table, and its
        # longest cell is its smallest or its largest value's.
        if not index.size:
            width = 0
        elif position is None:
            width = int(lengths[[index.min(), index.max()]].max())
        else:
            width = int(lengths[position[[smallest - low, largest - low]]].max())
        out.append(_take_rows(table[:, table.shape[1] - width :], index))
    return out


def _take_rows(table: Cells, index: NDArray[np.int64]) -> Cells:
    """``table[index]``; a table of up to 8 bytes a row is taken as whole words (left-padded
    with NULs, which are padding anyway)."""
    width = table.shape[1]
    if width > 8:
        return np.ascontiguousarray(table)[index]
    size = next(k for k in (1, 2, 4, 8) if k >= width)
    words = np.zeros((table.shape[0], size), dtype=np.uint8)
    words[:, size - width :] = table
    taken = words.view(f"u{size}").ravel()[index]
    return taken.view(np.uint8).reshape(index.size, size)[:, size - width :]


def _format_fixed(values: NDArray[np.int64], places: int) -> tuple[Cells, NDArray[np.int64]]:
    """``str(Decimal(v).scaleb(-places))`` of each value as right-aligned bytes, and its length.

    The digits of ``|v|``, at least ``places + 1`` of them, a point before the last ``places``,
    and a minus sign for a negative value: the Decimal's plain notation, which it uses for every
    int64 value up to 6 places. Beyond that, the Decimals themselves are formatted.
    """
    if places > _MAX_PLACES:
        texts = [str(Decimal(v).scaleb(-places)).encode() for v in values.tolist()]
        table = np.array([t.rjust(max(map(len, texts), default=0), b"\0") for t in texts])
        lengths = np.array(list(map(len, texts)), dtype=np.int64)
        return table.view(np.uint8).reshape(len(texts), -1), lengths
    negative = values < 0
    magnitude = np.abs(values).astype(np.uint64)  # |int64 min| wraps, and as uint64 is right
    digits = np.maximum(_digit_count(magnitude), places + 1)
    lengths = digits + (places > 0) + negative
    width = int(lengths.max()) if values.size else 0
    table = np.zeros((values.size, width), dtype=np.uint8)
    column = width - 1
    for position in range(int(digits.max()) if values.size else 0):
        if places and position == places:
            table[:, column] = ord(".")
            column -= 1
        table[:, column] = np.where(position < digits, magnitude % 10 + ord("0"), 0)
        magnitude //= 10
        column -= 1
    table[np.flatnonzero(negative), width - lengths[negative]] = ord("-")
    return table, lengths


def _digit_count(magnitude: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Decimal digits of each value (1 for 0)."""
    count = np.ones(magnitude.shape, dtype=np.int64)
    for power in _POWERS_OF_TEN[1:]:
        count += magnitude >= power
    return count


_POWERS_OF_TEN = [np.uint64(10**k) for k in range(20)]
