"""Plain CSV files read as byte offsets with NumPy: the fast path for big survey files.

A regency's RT file has a few hundred thousand rows of short numbers. Read by the csv module, each
cell becomes a Python string (millions of objects to make, transpose and free) before NumPy sees
it. Here the file stays one byte buffer: line and delimiter positions give every cell's start and
end, and numeric columns are parsed straight from the bytes
(:func:`sikumuh.io.numbers.parse_codes`).

Only *plain* CSV takes this path: UTF-8, no quote character, no NUL, no bare carriage return, and
every non-empty line with as many fields as the header. Anything else returns None and is read by
the csv module (:func:`sikumuh.io.readers.read_sheet`); both give the same cells, line numbers and
skipped empty rows (tests compare them), so the choice never changes a result.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sikumuh.core.batch import MISSING
from sikumuh.core.decimals import to_micro
from sikumuh.io.numbers import (
    DOT_DECIMAL,
    MAX_FAST_LENGTH,
    NumberError,
    NumberFormat,
    ParsedColumn,
    parse_codes,
    parse_number,
    shows_decimal_comma,
)

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
U8 = NDArray[np.uint8]
DELIMITERS = (",", ";", "\t")


#: Cells are gathered by width, so a few long cells do not widen every short one.
_BUCKETS = ((1, 4), (5, 8), (9, MAX_FAST_LENGTH))

Block = tuple[I64, U8]  # (rows, codes): codes[i, k] is character i of the cell on row rows[k]


@dataclass
class ByteColumns:
    """A plain CSV as cell offsets into ``data``: ``starts[j, k]:ends[j, k]`` is the cell of
    column ``j`` on data row ``k`` (line ``lines[k]``). Column-major, so a column is contiguous.
    """

    file: str
    header: list[str]
    lines: list[int]
    data: bytes
    starts: I32
    ends: I32
    _buf: U8 = field(repr=False, default_factory=lambda: np.zeros(0, np.uint8))
    _blocks: dict[int, list[Block]] = field(repr=False, default_factory=dict)
    _pad: U8 | None = field(repr=False, default=None)

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, k: int, j: int) -> str:
        """One cell, decoded, unstripped."""
        return self.data[self.starts[j, k] : self.ends[j, k]].decode("utf-8")

    def texts(self, j: int) -> list[str]:
        """The stripped text of every cell of column ``j``."""
        rows = np.flatnonzero(self.ends[j] > self.starts[j])
        out = [""] * len(self)
        if rows.size == 0:
            return out
        codes = self._gather(rows, j)
        if (codes >= 0x80).any():  # non-ASCII: let Python decode cell by cell
            return [self.text(k, j).strip() for k in range(len(self))]
        width = codes.shape[0]
        cells = np.ascontiguousarray(codes.T).view(f"S{width}").ravel()
        strings = np.strings.strip(cells.astype(f"U{width}")).tolist()
        if rows.size == len(out):
            return strings  # type: ignore[no-any-return]
        for k, text in zip(rows.tolist(), strings, strict=True):
            out[k] = text
        return out

    def number_format(self, columns: Sequence[int]) -> NumberFormat:
        """As :func:`sikumuh.io.numbers.detect_format`: the first cell, column by column, that
        shows the Indonesian convention decides."""
        for j in columns:
            lengths = self.ends[j] - self.starts[j]
            candidates = np.flatnonzero(lengths > MAX_FAST_LENGTH).tolist()
            for rows, codes in self._numeric(j):
                commas = (codes == ord(",")).any(axis=0) | ((codes == ord(".")).sum(axis=0) >= 2)
                candidates += rows[commas].tolist()
            for k in sorted(candidates):
                text = self.text(k, j)
                if shows_decimal_comma(text):
                    return NumberFormat(decimal_comma=True, evidence=text.strip())
        return DOT_DECIMAL

    def numbers(self, j: int, fmt: NumberFormat) -> ParsedColumn:
        """Column ``j`` as :func:`sikumuh.io.numbers.parse_column` reads it."""
        micro = np.full(len(self), MISSING, dtype=np.int64)
        slow = [np.flatnonzero(self.ends[j] - self.starts[j] > MAX_FAST_LENGTH)]
        for rows, codes in self._numeric(j):
            # Blanks, non-ASCII and anything unusual fail here and go to the per-cell path.
            values, ok = parse_codes(codes, self.ends[j, rows] - self.starts[j, rows], fmt)
            micro[rows[ok]] = values[ok]
            slow.append(rows[~ok])
        errors: dict[int, NumberError] = {}
        for k in np.sort(np.concatenate(slow)).tolist():
            try:
                number = parse_number(self.text(k, j), fmt)
            except NumberError as exc:
                errors[k] = exc
                continue
            micro[k] = MISSING if number is None else to_micro(number)
        return ParsedColumn(micro, errors)

    def _numeric(self, j: int) -> list[Block]:
        """Column ``j``'s cells of 1–24 characters, gathered by length bucket (cached: format
        detection and parsing both read them)."""
        if j not in self._blocks:
            lengths = self.ends[j] - self.starts[j]
            blocks = []
            for low, high in _BUCKETS:
                inside = (lengths >= low) & (lengths <= high)
                rows = np.arange(len(self)) if inside.all() else np.flatnonzero(inside)
                if rows.size:
                    blocks.append((rows, self._gather(rows, j)))
            self._blocks[j] = blocks
        return self._blocks[j]

    def _gather(self, rows: I64, j: int) -> U8:
        """The cells of column ``j`` on ``rows``, one per column of a 0-padded byte matrix."""
        starts = self.starts[j, rows]
        lengths = self.ends[j, rows] - starts
        width = int(lengths.max())
        # Windows of `width` bytes at every offset (a view, no copy): picking whole windows is
        # a row copy, much faster than indexing byte by byte.
        windows = np.lib.stride_tricks.sliding_window_view(self._padded(), width)
        codes = np.ascontiguousarray(windows[starts].T)
        codes *= np.arange(width)[:, None] < lengths[None, :]
        return codes

    def _padded(self) -> U8:
        """The buffer with NULs after it, so a cell's window never runs off the end."""
        if self._pad is None:
            width = int((self.ends - self.starts).max(initial=0))
            self._pad = np.concatenate([self._buf, np.zeros(width + 1, dtype=np.uint8)])
        return self._pad


def read_plain_csv(data: bytes, file_name: str) -> ByteColumns | None:
    """The file as :class:`ByteColumns`, or None when it is not plain CSV (see module doc)."""
    if b'"' in data or b"\x00" in data or len(data) >= 2**31:
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a bare carriage return: the csv module knows what it means
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError:
        return None
    offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == ord("\n"))
    line_starts = np.concatenate([[offset], newlines + 1])
    line_ends = np.concatenate([newlines, [len(buf)]])
    if line_starts[-1] == len(buf):  # the file ends with a newline: no last line after it
        line_starts, line_ends = line_starts[:-1], line_ends[:-1]
    if line_starts.size == 0:
        return None
    has_cr = line_ends > line_starts
    has_cr[has_cr] = buf[line_ends[has_cr] - 1] == ord("\r")
    line_ends = line_ends - has_cr
    header_text = data[line_starts[0] : line_ends[0]].decode("utf-8")
    delimiter = max(DELIMITERS, key=header_text.count)
    if not header_text.replace(delimiter, "").strip():
        return None  # the csv path reports the empty header
    positions = np.flatnonzero(buf == ord(delimiter))
    counts = np.diff(np.append(np.searchsorted(positions, line_starts), positions.size))
    # A line is empty when it holds only delimiters and blanks. A line starting with a visible
    # ASCII character is not; the few others are checked exactly, as the csv path would.
    first = buf[np.minimum(line_starts, len(buf) - 1)]
    visible = (first > 32) & (first < 0x80) & (first != ord(delimiter)) & (line_ends > line_starts)
    empty = np.zeros(line_starts.size, dtype=bool)
    for k in np.flatnonzero(~visible).tolist():
        line = data[line_starts[k] : line_ends[k]].decode("utf-8")
        empty[k] = not line.replace(delimiter, "").strip()
    width = header_text.count(delimiter) + 1
    kept = np.flatnonzero(~empty[1:]) + 1
    if (counts[kept] != width - 1).any():
        return None  # ragged rows: the csv path pads them
    if counts[1:][empty[1:]].any():  # empty lines with delimiters: drop their positions
        keep_line = ~empty
        keep_line[0] = False
        positions = positions[np.repeat(keep_line, counts)]
    else:
        positions = positions[width - 1 :]  # all but the header's
    n = kept.size
    # Offsets as int32 (a CSV over 2 GB is not a survey file) and column-major, so each
    # column's offsets are contiguous.
    marks = positions.astype(np.int32).reshape(n, width - 1).T
    starts = np.empty((width, n), dtype=np.int32)
    ends = np.empty((width, n), dtype=np.int32)
    starts[0], starts[1:] = line_starts[kept], marks
    starts[1:] += 1
    ends[:-1], ends[-1] = marks, line_ends[kept]
    table = ByteColumns(
        file=file_name,
        header=[name.strip() for name in header_text.split(delimiter)],
        lines=(kept + 1).tolist(),
        data=data,
        starts=starts,
        ends=ends,
        _buf=buf,
    )
    return _name_columns(table)


def _name_columns(table: ByteColumns) -> ByteColumns:
    """Unnamed columns as the csv path has them: dropped when empty, else ``column_<n>``."""
    keep = []
    for j, name in enumerate(table.header):
        if not name:
            if not any(table.texts(j)):
                continue
            table.header[j] = f"column_{j + 1}"
        keep.append(j)
    if len(keep) < len(table.header):
        table.header = [table.header[j] for j in keep]
        table.starts, table.ends = table.starts[keep], table.ends[keep]
        table._blocks.clear()
        table._pad = None
    return table
