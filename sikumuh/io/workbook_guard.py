"""A workbook checked before calamine opens it: zip members, sheet extent, NUL characters.

A spreadsheet reader trusts the file. calamine (behind :mod:`sikumuh.io.readers`) builds a dense
grid from the first to the last cell of a sheet, so a 2 KB XLSX with one cell at ``XFD1048576``
asks for 549,755,813,888 bytes and aborts the whole process (a Rust allocation failure is not an
exception); a megabyte of compressed whitespace inflates to a gigabyte. So, before calamine sees
an XLSX, every zip member is inflated here in bounded chunks, its true size and compression ratio
checked, and every worksheet scanned for a cell beyond the row and column caps: the declared
``<dimension>`` first (it may lie, so it only refuses early), then every cell reference. A sheet
whose cells or rows do not all carry their reference is walked element by element instead
(defusedxml), placing each cell where calamine would.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
from defusedxml import ElementTree as SafeTree

from sikumuh.io.guard import (
    FileRefused,
    Limits,
    check_size,
    gettext_noop,
    inflates_like_a_bomb,
    megabytes,
)

#: Bytes of a zip member inflated at a time.
_CHUNK = 1 << 20


def check_workbook(data: bytes, file: str, lim: Limits) -> bool:
    """Refuse a workbook that is not XLSX or whose members or sheets pass the limits (see the
    module docstring). Returns whether a part may hold a NUL character (XML writes it
    ``_x0000_``): the reader then looks for the cell."""
    check_size(len(data), file, lim)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        archive = None
    # XLS, XLSB and ODS cannot be checked so (ODS repeats cells by a count): XLSX only.
    if archive is None or "xl/workbook.xml" not in archive.namelist():
        raise FileRefused(
            file, gettext_noop("not a readable spreadsheet (only XLSX and CSV files are read)")
        )
    maybe_nul = False
    with archive:
        infos = archive.infolist()
        if len(infos) > lim.max_members:
            raise FileRefused(
                file,
                gettext_noop("the workbook has %(count)s parts; the limit is %(limit)s"),
                count=len(infos),
                limit=lim.max_members,
            )
        sheets = _sheet_members(archive)
    total = 0
    for info in infos:
        scan = _SheetScan(file, lim) if info.filename in sheets else None
        size = 0
        for chunk in _inflate(data, info, file):
            size += len(chunk)
            _check_inflated(size, total, info, file, lim)
            if scan is not None:
                scan.feed(chunk)
            maybe_nul = maybe_nul or _may_hold_nul(chunk)
        total += size
        if scan is not None:
            scan.finish()
            if scan.implicit:
                scan.check_extent(*_walk(_Chunks(_inflate(data, info, file)), file))
    return maybe_nul


def _may_hold_nul(chunk: bytes) -> bool:
    """A NUL as XLSX writes one (``_x0000_``), as a character reference, or as itself (a chunk
    boundary may split one: the reader's own check of the cells is what refuses)."""
    return (
        b"_x0000_" in chunk
        or b"\x00" in chunk
        or (b"&#" in chunk and _NUL_REFERENCE.search(chunk) is not None)
    )


_NUL_REFERENCE = re.compile(rb"&#0+;|&#[xX]0+;")
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def _inflate(data: bytes, info: zipfile.ZipInfo, file: str) -> Iterator[bytes]:
    """A member's inflated bytes in chunks of at most :data:`_CHUNK`, checked against its CRC.

    Inflated here rather than by zipfile: zipfile stops at the size the zip declares (which
    may lie, where calamine reads on), and its reader slows down quadratically on large
    members. Compressed input goes in small pieces, so a bomb never inflates much at once."""
    damaged = FileRefused(file, gettext_noop("the workbook is damaged"))
    start = info.header_offset
    try:
        magic, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, start)
    except struct.error:
        raise damaged from None
    if magic != b"PK\x03\x04" or info.flag_bits & 1:  # encrypted: calamine cannot read it
        raise damaged
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[begin : begin + info.compress_size]
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i : i + _CHUNK]) for i in range(0, len(raw), _CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(raw, damaged)
    else:
        raise damaged
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        yield piece
    if crc != info.CRC:
        raise damaged


def _deflated(raw: memoryview, damaged: FileRefused) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    step = 1 << 16
    try:
        for at in range(0, len(raw), step):
            pending = bytes(raw[at : at + step])
            while pending:
                piece = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if piece:
                    yield piece
            if inflater.eof:
                return
        if rest := inflater.flush():
            yield rest
    except zlib.error:
        raise damaged from None


class _Chunks(io.RawIOBase):
    """Chunks as a readable stream (for the element walk)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.left:
            self.left = next(self.chunks, b"")
            if not self.left:
                return 0
        size = min(len(buffer), len(self.left))
        buffer[:size] = self.left[:size]
        self.left = self.left[size:]
        return size


def _check_inflated(size: int, so_far: int, info: zipfile.ZipInfo, file: str, lim: Limits) -> None:
    if so_far + size > lim.max_inflated_bytes:
        raise FileRefused(
            file,
            gettext_noop("the workbook unpacks to more than %(limit)s"),
            limit=megabytes(lim.max_inflated_bytes),
        )
    if inflates_like_a_bomb(info, size, lim):
        raise FileRefused(
            file,
            gettext_noop(
                "the part %(part)s unpacks to more than %(ratio)s times its size (a zip bomb)"
            ),
            part=info.filename[:80],
            ratio=lim.max_ratio,
        )


_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_members(archive: zipfile.ZipFile) -> set[str]:
    """The members calamine may read as worksheets: every one the workbook's relationships
    point at (whatever its name) and every ``xl/worksheets/*.xml``."""
    names = set(archive.namelist())
    members = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names and archive.getinfo(rels).file_size < 1024 * 1024:
        try:
            root = SafeTree.fromstring(archive.read(rels), forbid_dtd=True)
        except Exception:  # damaged: calamine refuses it; the named sheets are still scanned
            return members
        for rel in root.iter(f"{_RELS_NS}Relationship"):
            if not (rel.get("Type") or "").endswith(("/worksheet", "/dialogsheet", "/macrosheet")):
                continue
            target = (rel.get("Target") or "").replace("\\", "/")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            members.add(posixpath.normpath(path))
    return members


class _SheetScan:
    """A worksheet's XML, fed in chunks: refused when its declared dimension or any cell
    reference lies past the row or column limit.

    Regular expressions run in C over each chunk. They see every cell when every ``<row>`` and
    ``<c>`` starts with its ``r=`` attribute (Excel, LibreOffice and XlsxWriter write them so);
    otherwise :attr:`implicit` is set and the sheet is walked element by element (:func:`_walk`).
    """

    def __init__(self, file: str, lim: Limits) -> None:
        self.file, self.lim = file, lim
        self.carry = b""
        self.head = b""
        self.implicit = False

    def feed(self, chunk: bytes) -> None:
        """Scan the text up to the chunk's last ``<``: no tag is cut in two, so counts and
        searches are exact (the rest comes with the next chunk)."""
        if len(self.head) < 4096:
            self.head += chunk[: 4096 - len(self.head)]
            self._check_dimension()
        text = self.carry + chunk
        cut = text.rfind(b"<")
        if cut <= 0:
            # No tag starts here (a long text or padding): keep only what a tag could need.
            self.carry = text if len(text) < _CHUNK else text[:4096] + text[-256:]
            return
        self._scan(text[:cut])
        self.carry = text[cut:]

    def finish(self) -> None:
        self._scan(self.carry)
        self.carry = b""

    def _scan(self, text: bytes) -> None:
        past = references_past(text, self.lim.max_rows + 1, self.lim.max_columns)
        if past:
            self._refuse(beyond_columns=past == "columns")
        if not self.implicit:
            # Every cell and row starts with its reference: else the slow, exact walk.
            cells = text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/>")
            rows = text.count(b"<row ") + text.count(b"<row>") + text.count(b"<row/>")
            self.implicit = (
                cells != text.count(b'<c r="')
                or rows != text.count(b'<row r="')
                or b":c " in text
                or b":row" in text
                or b"<c\n" in text
                or b"<c\t" in text
                or b"<c\r" in text
            )

    def _check_dimension(self) -> None:
        found = _DIMENSION.search(self.head)
        if not found:
            return
        last = found.group(1).split(b":")[-1]
        cell = re.fullmatch(rb"\$?([A-Z]{1,3})\$?([0-9]{1,7})", last)
        if cell:
            self.check_extent(int(cell.group(2)), _column_number(cell.group(1).decode()))

    def check_extent(self, rows: int, columns: int) -> None:
        """Refuse a sheet whose grid (from A1, as the readers take it) passes a limit."""
        if columns > self.lim.max_columns:
            self._refuse(beyond_columns=True)
        if rows > self.lim.max_rows + 1:
            self._refuse(beyond_columns=False)
        check_cells(rows, columns, self.file, self.lim)

    def _refuse(self, *, beyond_columns: bool) -> None:
        if beyond_columns:
            raise FileRefused(
                self.file,
                gettext_noop("the sheet has more than %(limit)s columns"),
                limit=self.lim.max_columns,
            )
        raise FileRefused(
            self.file,
            gettext_noop("the sheet has more than %(limit)s rows of data"),
            limit=self.lim.max_rows,
        )


def check_cells(rows: int, columns: int, file: str, lim: Limits) -> None:
    if rows * columns > lim.max_cells:
        raise FileRefused(
            file,
            gettext_noop("the sheet spans %(cells)s cells; the limit is %(limit)s"),
            cells=rows * columns,
            limit=lim.max_cells,
        )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{1,40})"')


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


#: Bytes read after each ``r="``: three letters, seven digits and the closing quote fit.
_WINDOW = 12


def references_past(text: bytes, rows: int, columns: int) -> str | None:
    """ "columns" or "rows" when a cell or row reference (``r="XFD1048576"``) in ``text`` lies
    past column ``columns`` or row ``rows`` (1-based), else None.

    A 200,000-row sheet holds millions of references: they are read all at once with NumPy (a
    regular expression tried at each took 40 s). Each is a run of letters (the column; none for
    a row) and a run of digits (the row) ended by the quote; a run too long for the window is
    past any limit."""
    data = np.frombuffer(text, dtype=np.uint8)
    if data.size < 4:
        return None
    starts = np.flatnonzero((data[:-3] == 0x72) & (data[1:-2] == 0x3D) & (data[2:-1] == 0x22)) + 3
    if starts.size == 0:
        return None
    padded = np.concatenate([data, np.zeros(_WINDOW, dtype=np.uint8)])
    window = np.lib.stride_tricks.sliding_window_view(padded, _WINDOW)[starts].astype(np.int64)
    position = np.arange(_WINDOW)
    is_letter = (window >= 0x41) & (window <= 0x5A)
    letters = np.where(is_letter.all(axis=1), _WINDOW, np.argmin(is_letter, axis=1))
    is_digit = (window >= 0x30) & (window <= 0x39) & (position >= letters[:, None])
    after = (position >= letters[:, None]) & ~is_digit
    end = np.where(after.any(axis=1), np.argmax(after, axis=1), _WINDOW)
    if ((letters > 3) | (end >= _WINDOW - 1)).any():  # four letters, or ten digits and more
        past_columns = (letters > 3).any()
        return "columns" if past_columns else "rows"
    column = np.zeros(starts.size, dtype=np.int64)
    for k in range(3):
        column = np.where(k < letters, column * 26 + window[:, k] - 0x40, column)
    power = np.where(is_digit, np.power(10, np.clip(end[:, None] - 1 - position, 0, 18)), 0)
    row = (np.where(is_digit, window - 0x30, 0) * power).sum(axis=1)
    if (column > columns).any():
        return "columns"
    if (row > rows).any():
        return "rows"
    return None


def _walk(xml: io.RawIOBase, file: str) -> tuple[int, int]:
    """``(last row, last column)``, 1-based, of a worksheet placed as calamine places cells: a
    row or cell without its reference follows the one before it."""
    row = col = 0
    last_row = last_col = 0
    try:
        for event, element in SafeTree.iterparse(xml, events=("start", "end"), forbid_dtd=True):
            name = element.tag.rsplit("}", 1)[-1]
            if event == "end":
                element.clear()
                continue
            if name == "row":
                ref = element.get("r")
                row = int(ref) if ref and ref.isdigit() else row + 1
                col = 0
            elif name == "c":
                ref = element.get("r") or ""
                found = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref)
                if found:
                    col = _column_number(found.group(1))
                    row = max(row, int(found.group(2)))
                else:
                    col += 1
                last_row, last_col = max(last_row, row), max(last_col, col)
    except Exception as exc:  # expat and defusedxml raise their own types for bad XML
        raise FileRefused(file, gettext_noop("the workbook is damaged")) from exc
    return last_row, last_col
