"""Plain CSV files read as byte offsets with NumPy: the fast path for big survey files.

A regency's RT file has a few hundred thousand rows of short numbers. Read by the csv module, each
cell becomes a Python string (millions of objects to make, transpose and free) before NumPy sees
it. Here the file stays one byte buffer: line and delimiter positions give every cell's start and
end, and numeric columns are parsed straight from the bytes
(:func:`sikumuh.io.numbers.parse_codes`). Text columns that only pass through (``kode_desa``,
``rt``) stay bytes too (:class:`~sikumuh.io.bytetexts.ByteTexts`).

The file is bigger than the CPU cache, and a column's cells lie a whole line apart: read column
after column, every column fetches the whole file from memory again. :meth:`ByteColumns.prefetch`
reads the first 8 bytes of every cell of many columns a block of rows at a time instead, so each
part of the file is fetched once (measured: three times faster on a 200,000-row file).

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
from sikumuh.io.bytetexts import ByteTexts, byte_texts
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
U64 = NDArray[np.uint64]
U8 = NDArray[np.uint8]
DELIMITERS = (",", ";", "\t")


#: Cells are gathered by width, so a few long cells do not widen every short one.
_BUCKETS = ((1, 4), (5, 8), (9, MAX_FAST_LENGTH))

#: Rows read or transposed together: a few hundred kilobytes of the file.
_BLOCK_ROWS = 4096
#: Columns prefetched together (:meth:`ByteColumns.prefetch`): a 200,000-row group of 8-byte
#: words is some 25 MB.
_GROUP = 16

Block = tuple[I64, U8]  # (rows, codes): codes[i, k] is character i of the cell on row rows[k]


@dataclass
class ByteColumns:
    """A plain CSV as cell offsets into ``data``. ``bounds[c, k]`` is the byte before raw
    column ``c`` on data row ``k`` (the line start - 1, then each delimiter) and
    ``bounds[c + 1, k]`` its end, so a cell spans ``bounds[c] + 1 : bounds[c + 1]``. One int32
    row per boundary, so a column's offsets are contiguous. ``raw[j]`` is the raw column of
    ``header[j]`` (unnamed empty columns are dropped).
    """

    file: str
    header: list[str]
    lines: list[int]
    data: bytes
    bounds: I32
    raw: list[int]
    _buf: U8 = field(repr=False, default_factory=lambda: np.zeros(0, np.uint8))
    _blocks: dict[int, list[Block]] = field(repr=False, default_factory=dict)
    _pad: U8 = field(repr=False, default_factory=lambda: np.zeros(0, np.uint8))
    _order: list[int] = field(repr=False, default_factory=list)
    _first: dict[int, U64] = field(repr=False, default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def span(self, j: int) -> tuple[I64, I64]:
        """``(starts, lengths)`` of every cell of column ``j``."""
        c = self.raw[j]
        starts = self.bounds[c].astype(np.int64) + 1
        return starts, self.bounds[c + 1] - starts

    def text(self, k: int, j: int) -> str:
        """One cell, decoded, unstripped."""
        c = self.raw[j]
        return self.data[self.bounds[c, k] + 1 : self.bounds[c + 1, k]].decode("utf-8")

    def texts(self, j: int) -> list[str]:
        """The stripped text of every cell of column ``j``."""
        column = self.text_column(j)
        return column.texts() if isinstance(column, ByteTexts) else list(column)

    def text_column(self, j: int) -> Sequence[str]:
        """:meth:`texts`, kept as bytes (:class:`~sikumuh.io.bytetexts.ByteTexts`) when the
        column is ASCII."""
        starts, lengths = self.span(j)
        first = self._first_words(j)
        rows = np.flatnonzero(lengths > 0)
        if rows.size == 0:
            return [""] * len(self)
        codes = self._gather(starts[rows], lengths[rows], None if first is None else first[rows])
        column = byte_texts(codes, rows, len(self))
        if column is None:  # let Python decode and strip cell by cell
            return [self.text(k, j).strip() for k in range(len(self))]
        return column

    def distinct(self, j: int) -> tuple[list[str], NDArray[np.intp]]:
        """``(texts, index)``: column ``j``'s cell ``k`` has the stripped text
        ``texts[index[k]]``, each distinct cell made a string once (a year, a rule set id: the
        same on most rows). Cells are compared as up to three 8-byte words, not as strings."""
        starts, lengths = self.span(j)
        n = len(self)
        width = int(lengths.max()) if n else 0
        if n == 0 or width > 24:
            return distinct_texts(self.texts(j))
        words = self._words(starts, lengths, (width + 7) // 8, self._first_words(j))
        if (words == words[0]).all():
            return [self.text(0, j).strip()], np.zeros(n, dtype=np.intp)
        keys = words.view(np.dtype((np.void, words.shape[1] * 8))).ravel()
        _, first, index = np.unique(keys, return_index=True, return_inverse=True)
        texts = [self.text(k, j).strip() for k in first.tolist()]
        return texts, index.ravel().astype(np.intp)

    def number_format(self, columns: Sequence[int]) -> NumberFormat:
        """As :func:`sikumuh.io.numbers.detect_format`: the first cell, column by column, that
        shows the Indonesian convention decides."""
        for j in columns:
            candidates = np.flatnonzero(self.span(j)[1] > MAX_FAST_LENGTH).tolist()
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
        lengths = self.span(j)[1]
        slow = [np.flatnonzero(lengths > MAX_FAST_LENGTH)]
        for rows, codes in self._numeric(j):
            # Blanks, non-ASCII and anything unusual fail here and go to the per-cell path.
            values, ok = parse_codes(codes, fmt)
            micro[rows[ok]] = values[ok]
            slow.append(rows[~ok])
        errors: dict[int, NumberError] = {}
        for k in np.sort(np.concatenate(slow)).tolist():
            try:
                number = parse_number(self.text(k, j), fmt)
            except NumberError as exc:
                # Kept without its traceback: the traceback's frames hold this column's
                # arrays and the whole file, in a cycle only the garbage collector would free.
                errors[k] = exc.with_traceback(None)
                continue
            micro[k] = MISSING if number is None else to_micro(number)
        return ParsedColumn(micro, errors)

    def _numeric(self, j: int) -> list[Block]:
        """Column ``j``'s cells of 1–24 characters, gathered by length bucket (cached: format
        detection and parsing both read them)."""
        if j not in self._blocks:
            starts, lengths = self.span(j)
            first = self._first_words(j)
            blocks = []
            for low, high in _BUCKETS:
                inside = (lengths >= low) & (lengths <= high)
                rows = np.arange(len(self)) if inside.all() else np.flatnonzero(inside)
                if rows.size:
                    known = None if first is None else first[rows]
                    blocks.append((rows, self._gather(starts[rows], lengths[rows], known)))
            self._blocks[j] = blocks
        return self._blocks[j]

    def prefetch(self, columns: Sequence[int]) -> None:
        """Say which columns will be read next, in order. Their cells are then loaded
        :data:`_GROUP` columns at a time, a block of rows at a time: a block of the file is
        fetched into the CPU cache once for all of them, where column after column would fetch
        the whole file again each time (three times slower)."""
        self._order = list(dict.fromkeys(columns))

    def _first_words(self, j: int) -> U64 | None:
        """The first 8 bytes of every cell of column ``j`` (masked), if it was prefetched; the
        words are handed out once."""
        if j not in self._first and j in self._order:
            at = self._order.index(j)
            group = [c for c in self._order[at:] if c not in self._blocks][:_GROUP]
            self._order = [c for c in self._order if c not in group]
            self._load(group)
        return self._first.pop(j, None)

    def _load(self, columns: list[int]) -> None:
        """Read the first 8 bytes of every cell of ``columns`` into :attr:`_first`, masked past
        each cell's end: all the columns at once, a block of rows at a time."""
        n = len(self)
        raw = np.array([self.raw[j] for j in columns], dtype=np.intp)
        first = np.empty((raw.size, n), dtype="<u8")
        view = self._word_view(8)
        for a in range(0, n, _BLOCK_ROWS):
            starts = self.bounds[raw, a : a + _BLOCK_ROWS].astype(np.int64) + 1
            words = view[starts]
            words &= _LOW_BYTES.take(
                np.minimum(self.bounds[raw + 1, a : a + _BLOCK_ROWS] - starts, 8)
            )
            first[:, a : a + _BLOCK_ROWS] = words
        self._first.update(zip(columns, first, strict=True))

    def _word_view(self, extra: int) -> U64:
        """The 8 bytes at every offset of the file (and ``extra`` zero bytes after it) as
        little-endian words: unaligned loads through a strided view, no copy."""
        self._padded(extra + 8)
        return np.ndarray((self._pad.size - 7,), dtype="<u8", buffer=self._pad, strides=(1,))

    def _padded(self, extra: int) -> None:
        """``_pad``: the file's bytes and at least ``extra`` zero bytes after them."""
        if self._pad.size < self._buf.size + extra:
            self._pad = np.concatenate([self._buf, np.zeros(max(extra, 64), dtype=np.uint8)])

    def _words(
        self, starts: I64, lengths: I64, count: int, first: U64 | None = None
    ) -> NDArray[np.uint64]:
        """The cells' first ``8 × count`` bytes, 0-padded, as ``count`` little-endian words a
        cell, the bytes past a cell masked off; ``first`` are their first words, if known."""
        view = self._word_view(8 * count)
        words = np.empty((starts.size, count), dtype="<u8")
        for w in range(count):
            if w == 0 and first is not None:
                words[:, 0] = first
                continue
            word = view[starts + 8 * w]
            word &= _LOW_BYTES.take(np.clip(lengths - 8 * w, 0, 8))
            words[:, w] = word
        return words

    def _gather(self, starts: I64, lengths: I64, first: U64 | None = None) -> U8:
        """Cells as a 0-padded byte matrix, one cell per column; ``first`` are their first 8
        bytes as words, if known."""
        width = int(lengths.max())
        self._padded(max(width, 8))  # room for a window at the end
        if width <= 16:
            words = self._words(starts, lengths, (width + 7) // 8, first)
            return np.ascontiguousarray(words.view(np.uint8)[:, :width].T)
        # Windows of `width` bytes at every offset (a view, no copy): picking whole windows is
        # a row copy, much faster than indexing byte by byte.
        windows = np.lib.stride_tricks.sliding_window_view(self._pad, width)
        codes = np.ascontiguousarray(windows[starts].T)
        codes *= np.arange(width)[:, None] < lengths[None, :]
        return codes


#: ``_LOW_BYTES[k]``: the low ``k`` bytes of a 64-bit word set (k = 0–8).
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def read_plain_csv(data: bytes, file_name: str) -> ByteColumns | None:
    """The file as :class:`ByteColumns`, or None when it is not plain CSV (see module doc)."""
    if b'"' in data or b"\x00" in data or len(data) >= 2**31:
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a bare carriage return: the csv module knows what it means
    if not data.isascii():
        try:
            codecs.decode(data, "utf-8")
        except UnicodeDecodeError:
            return None
    offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = _find(buf, ord("\n")).astype(np.int64)
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
    positions = _find(buf, ord(delimiter))
    width = header_text.count(delimiter) + 1
    if positions.size == line_starts.size * (width - 1):  # the usual file: check it in O(lines)
        grid = positions.reshape(line_starts.size, width - 1)
        regular = width == 1 or bool(
            ((grid[:, 0] >= line_starts) & (grid[:, -1] < line_ends)).all()
        )
    else:
        regular = False
    if regular:
        counts = np.full(line_starts.size, width - 1, dtype=np.int64)
    else:
        counts = np.diff(np.append(np.searchsorted(positions, line_starts), positions.size))
    # A line is empty when it holds only delimiters and blanks. A line starting with a visible
    # ASCII character is not; the few others are checked exactly, as the csv path would.
    first = buf[np.minimum(line_starts, len(buf) - 1)]
    visible = (first > 32) & (first < 0x80) & (first != ord(delimiter)) & (line_ends > line_starts)
    empty = np.zeros(line_starts.size, dtype=bool)
    for k in np.flatnonzero(~visible).tolist():
        line = data[line_starts[k] : line_ends[k]].decode("utf-8")
        empty[k] = not line.replace(delimiter, "").strip()
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
    # Int32 offsets (a CSV over 2 GB is not a survey file), one row per cell boundary.
    bounds = np.empty((width + 1, n), dtype=np.int32)
    bounds[0] = line_starts[kept] - 1
    grid = positions.reshape(n, width - 1)
    for a in range(0, n, _BLOCK_ROWS):  # transposed a block at a time: it stays in the cache
        bounds[1:width, a : a + _BLOCK_ROWS] = grid[a : a + _BLOCK_ROWS].T
    bounds[width] = line_ends[kept]
    table = ByteColumns(
        file=file_name,
        header=[name.strip() for name in header_text.split(delimiter)],
        lines=(kept + 1).tolist(),
        data=data,
        bounds=bounds,
        raw=list(range(width)),
        _buf=buf,
    )
    return _name_columns(table)


def distinct_texts(texts: list[str]) -> tuple[list[str], NDArray[np.intp]]:
    """The distinct texts of a list and where each item is among them (see
    :meth:`ByteColumns.distinct`)."""
    position: dict[str, int] = {}
    index = np.fromiter(
        (position.setdefault(t, len(position)) for t in texts), dtype=np.intp, count=len(texts)
    )
    return list(position), index


def _find(buf: U8, byte: int) -> I32:
    """Offsets of ``byte`` in ``buf`` as int32, found a slice at a time so no temporary is
    larger than a few megabytes (big arrays are page-faulted in afresh every time)."""
    step = 1 << 22
    found = [
        np.flatnonzero(buf[a : a + step] == byte).astype(np.int32) + a
        for a in range(0, buf.size, step)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)


def _name_columns(table: ByteColumns) -> ByteColumns:
    """Unnamed columns as the csv path has them: dropped when empty, else ``column_<n>``."""
    keep = []
    for j, name in enumerate(table.header):
        if not name:
            if not any(table.texts(j)):
                continue
            table.header[j] = f"column_{j + 1}"
        keep.append(j)
    table.header = [table.header[j] for j in keep]
    table.raw = [table.raw[j] for j in keep]
    table._blocks.clear()
    return table
