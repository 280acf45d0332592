"""What an uploaded file must pass before a reader opens it: its size and its text encoding,
and the limits and refusals every reader shares (workbooks: :mod:`sikumuh.io.workbook_guard`).

Every refusal is a :class:`FileRefused`: the file's name, the limit, and an English msgid
translated where it is shown (the "io" catalogue).
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from config.env import env_int


@dataclass(frozen=True)
class Limits:
    """What one uploaded table may hold. Defaults fit the largest real files (a regency's
    200,000 RT rows of some 50 columns) with room to spare; settings override them."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 200_000  # data rows, the header not counted
    max_columns: int = 200
    max_cells: int = 12_000_000  # rows × columns of the grid a sheet spans
    max_inflated_bytes: int = 1024 * 1024 * 1024  # all zip members together, inflated
    max_ratio: int = 100  # inflated / compressed, for members over a megabyte
    max_members: int = 1000


def limits() -> Limits:
    """The limits in force: the defaults, or the environment's ``SIKUMUH_UPLOAD_MAX_BYTES``,
    ``SIKUMUH_IMPORT_MAX_ROWS``, ``SIKUMUH_IMPORT_MAX_COLUMNS``, ``SIKUMUH_IMPORT_MAX_CELLS``
    (read here, not from Django's settings: ``sikumuh score`` runs without Django)."""
    return Limits(
        max_bytes=env_int("SIKUMUH_UPLOAD_MAX_BYTES", Limits.max_bytes),
        max_rows=env_int("SIKUMUH_IMPORT_MAX_ROWS", Limits.max_rows),
        max_columns=env_int("SIKUMUH_IMPORT_MAX_COLUMNS", Limits.max_columns),
        max_cells=env_int("SIKUMUH_IMPORT_MAX_CELLS", Limits.max_cells),
    )


def gettext_noop(message: str) -> str:
    """Marks a msgid for the catalogue (as Django's, which this module cannot import: the
    score command runs without Django); :meth:`FileRefused.translated` translates it."""
    return message


class FileRefused(ValueError):
    """The file is refused before it is read. ``msgid`` is English with ``%(name)s``
    placeholders; :meth:`translated` gives the message in the active language."""

    def __init__(self, file: str, msgid: str, **params: Any) -> None:
        self.file = file
        self.msgid = msgid
        self.params = params
        super().__init__(f"{file}: {msgid % params}")

    def translated(self) -> str:
        """The message in the active language (English where translation is not set up)."""
        from django.apps import apps
        from django.utils.translation import gettext

        if not apps.ready:
            return str(self)
        return f"{self.file}: {gettext(self.msgid) % self.params}"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_size(size: int, file: str, lim: Limits) -> None:
    if size > lim.max_bytes:
        raise FileRefused(
            file,
            gettext_noop("the file is %(size)s; the limit is %(limit)s"),
            size=megabytes(size),
            limit=megabytes(lim.max_bytes),
        )


def read_bounded(stream: IO[bytes], file: str, lim: Limits) -> bytes:
    """A stream's bytes, refused once it passes the byte limit (never read whole first)."""
    data = stream.read(lim.max_bytes + 1)
    check_size(len(data), file, lim)
    return data


# --- Text --------------------------------------------------------------------------------------


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 text (the BOM Excel writes dropped); :class:`FileRefused` for anything else.

    UTF-16 without a byte-order mark decodes as UTF-8 (its ASCII letters each come with a NUL
    byte) and would be read as a header of strange names: it is recognised by its NULs and
    named, so the user knows to save the file again as "CSV UTF-8".
    """
    if _looks_utf16(data):
        raise FileRefused(
            file,
            gettext_noop('the file is not UTF-8 but UTF-16 text; save it as "CSV UTF-8"'),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            file,
            gettext_noop('the file is not UTF-8 text (byte %(byte)s); save it as "CSV UTF-8"'),
            byte=exc.start + 1,
        ) from exc


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 (either byte order, with or without BOM): NULs on every other byte of its start."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) >= len(head) // 4


def nul_cell(rows: Any, header: list[str]) -> tuple[int, str] | None:
    """``(index of the row, column name)`` of the first cell holding a NUL, or None.

    PostgreSQL cannot store a NUL in text, and no survey value holds one: such a cell is
    refused at the reader, naming its row and column, before any row reaches the database."""
    for k, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and "\x00" in cell:
                return k, header[j] if j < len(header) and header[j] else f"column_{j + 1}"
    return None


def nul_refusal(file: str, line: int, column: str) -> FileRefused:
    return FileRefused(
        file,
        gettext_noop("line %(line)s, column %(column)s: a cell holds a NUL character"),
        line=line,
        column=column,
    )


def csv_refusal(file: str, line: int) -> FileRefused:
    """A line the csv module cannot read: an unclosed quote, or a cell past its field limit
    (128 KB), which no survey answer needs."""
    return FileRefused(
        file,
        gettext_noop(
            "line %(line)s cannot be read as CSV (an unclosed quote, or a cell longer than "
            "%(limit)s characters)"
        ),
        line=line,
        limit=csv.field_size_limit(),
    )


def too_many_columns(file: str, lim: Limits) -> FileRefused:
    return FileRefused(
        file, gettext_noop("the file has more than %(limit)s columns"), limit=lim.max_columns
    )


def too_many_rows(file: str, lim: Limits) -> FileRefused:
    return FileRefused(
        file, gettext_noop("the file has more than %(limit)s rows of data"), limit=lim.max_rows
    )


# --- Zips --------------------------------------------------------------------------------------


def unsafe_member(info: zipfile.ZipInfo) -> bool:
    """A zip member no reader accepts: a name leading outside the folder it would unpack to
    (absolute, with "..", a drive "C:", a NUL; backslashes read as the separators Windows
    tools write) or an encrypted member."""
    name = info.filename
    member = PurePosixPath(name.replace("\\", "/"))
    outside = member.is_absolute() or ".." in member.parts or ":" in name or "\x00" in name
    return outside or bool(info.flag_bits & 0x1)


def inflates_like_a_bomb(info: zipfile.ZipInfo, size: int, lim: Limits) -> bool:
    """Whether a member unpacking to `size` bytes passes the limits' ratio to its compressed
    size (members over a megabyte only: small parts of an honest file compress well too). The
    one rule of the workbook guard and the ODK export: photos and spreadsheets never inflate
    a hundredfold."""
    return size > 1024 * 1024 and size > lim.max_ratio * max(info.compress_size, 1)
