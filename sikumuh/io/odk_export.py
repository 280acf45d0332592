"""An ODK Central / KoboToolbox export as uploaded: the CSV alone, or the "CSV with media" ZIP
holding the CSV and the submissions' photos.

ODK Central's ZIP ("Download all → CSV with media") holds ``<form>.csv`` and ``media/<file>``;
KoboToolbox's attachments come as ``…/attachments/<instance id>/<file>``. Both are read here
the way the geometry containers are (:mod:`sikumuh.io.geo.containers`): every member's name is
checked before anything is read (no absolute path, no ``..``, no drive, not encrypted), sizes
are bounded by what the central directory declares (zipfile stops at the declared size and
checks the CRC, so a member cannot inflate past it), and every member besides the CSV must be a
JPEG or PNG by its first bytes, whatever its name says. Nothing is unpacked to disk: a photo is
read again from the archive, one at a time, when it is stored.

A refusal is a :class:`~sikumuh.io.guard.FileRefused` naming the file and the member, in the
"odkmedia" catalogue.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from config.env import env_int
from sikumuh.io import guard
from sikumuh.io.guard import FileRefused, gettext_noop, megabytes

_ZIP_MAGIC = b"PK\x03\x04"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: What a photo's first bytes say → the suffix it is stored under.
PHOTO_SUFFIX = {JPEG_MAGIC: ".jpg", PNG_MAGIC: ".png"}
_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError)


def max_photo_bytes() -> int:
    """A phone's photo is a few MB; ODK Collect keeps originals up to about 10 MB."""
    return env_int("SIKUMUH_ODK_MAX_PHOTO_BYTES", 20 * 2**20)


def max_export_bytes() -> int:
    """The ZIP as uploaded and what its members declare together (photos do not compress)."""
    return env_int("SIKUMUH_ODK_MAX_EXPORT_BYTES", 4 * 2**30)


MAX_MEMBERS = 50_000


@dataclass(frozen=True)
class Photo:
    member: str  # the member's name in the ZIP
    size: int
    sha256: str
    suffix: str  # ".jpg" or ".png", from the content


@dataclass
class Export:
    """The export's CSV and, for a ZIP, its photos (by member name) and a way to read them."""

    file_name: str
    sha256: str
    csv: bytes = b""
    photos: dict[str, Photo] = field(default_factory=dict)
    source: bytes | Path | None = None  # the ZIP, None for a CSV
    refused: FileRefused | None = None

    @property
    def is_zip(self) -> bool:
        return self.source is not None

    @contextmanager
    def reader(self) -> Iterator[zipfile.ZipFile]:
        assert self.source is not None
        with _stream(self.source) as stream, zipfile.ZipFile(stream) as archive:
            yield archive

    def find(self, name: str, instance_id: str) -> Photo | None:
        """The photo an answer names: the member of that name in the submission's own folder
        (``attachments/<instance id>/``), else the only member of that name anywhere."""
        base = PurePosixPath(name.replace("\\", "/")).name
        if not base:
            return None
        bare = instance_id.removeprefix("uuid:")
        named = [p for p in self.photos.values() if PurePosixPath(p.member).name == base]
        own = [p for p in named if bare and any(bare in part for part in p.member.split("/")[:-1])]
        if own:
            return own[0]
        return named[0] if len(named) == 1 else None


def _stream(source: bytes | Path) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def open_export(data: bytes | Path, file_name: str, *, max_unpacked: int | None = None) -> Export:
    """The export checked; ``refused`` set (and nothing else) when it may not be read.

    ``max_unpacked`` bounds what the ZIP's members declare together (twice the export limit
    by default, for the CLI): the web upload passes the uploads' own bound
    (:attr:`guard.Limits.max_inflated_bytes`), its file being at most the uploads' size."""
    sha = hashlib.sha256()
    with _stream(data) as stream:
        head = stream.read(4)
        sha.update(head)
        while block := stream.read(1 << 20):
            sha.update(block)
    export = Export(file_name, sha.hexdigest())
    try:
        if head == _ZIP_MAGIC or file_name.lower().endswith(".zip"):
            _read_zip(export, data, max_unpacked or 2 * max_export_bytes())
        else:
            lim = guard.limits()
            with _stream(data) as stream:
                export.csv = guard.read_bounded(stream, file_name, lim)
    except FileRefused as exc:
        return Export(file_name, export.sha256, refused=exc)
    return export


def _refuse(file: str, msgid: str, member: str = "", **params: object) -> FileRefused:
    return FileRefused(file, msgid, member=member[:200], **params)


def _read_zip(export: Export, data: bytes | Path, max_unpacked: int) -> None:
    file = export.file_name
    size = len(data) if isinstance(data, bytes) else data.stat().st_size
    if size > max_export_bytes():
        raise _refuse(
            file,
            gettext_noop("the file is %(size)s; the limit is %(limit)s"),
            size=megabytes(size),
            limit=megabytes(max_export_bytes()),
        )
    with _stream(data) as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except _ERRORS as exc:
            raise _refuse(file, gettext_noop("not a zip file")) from exc
        with archive:
            _read_members(export, archive, max_unpacked)
    export.source = data


def _read_members(export: Export, archive: zipfile.ZipFile, max_unpacked: int) -> None:
    file = export.file_name
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > max_unpacked:
        raise _refuse(
            file,
            gettext_noop("the zip unpacks to more than %(limit)s or %(count)s files"),
            limit=megabytes(max_unpacked),
            count=MAX_MEMBERS,
        )
    lim = guard.limits()
    for info in infos:
        _check_name(info, file)
        # Declared sizes are what zipfile holds a member to; a photo does not compress, so a
        # member declaring a hundredfold of its packed size is a bomb, refused unread.
        if guard.inflates_like_a_bomb(info, info.file_size, lim):
            raise _refuse(
                file,
                gettext_noop(
                    "the zip member %(member)s unpacks to more than %(ratio)s times its size"
                    " (a zip bomb)"
                ),
                info.filename,
                ratio=lim.max_ratio,
            )
    infos = [i for i in infos if not i.filename.startswith("__MACOSX/")]
    tables = [i for i in infos if i.filename.lower().endswith(".csv")]
    table = _the_table(tables, file)
    if table.file_size > lim.max_bytes:
        raise _refuse(
            file,
            gettext_noop("the zip member %(member)s is %(size)s; the limit is %(limit)s"),
            table.filename,
            size=megabytes(table.file_size),
            limit=megabytes(lim.max_bytes),
        )
    export.csv = _read_member(archive, table, file, lim.max_bytes)
    for info in infos:
        if info is not table:
            export.photos[info.filename] = _check_photo(archive, info, file)


def _check_name(info: zipfile.ZipInfo, file: str) -> None:
    if guard.unsafe_member(info):
        raise _refuse(
            file,
            gettext_noop(
                "the zip member %(member)s is not accepted (a path outside the folder, or"
                " encrypted)"
            ),
            info.filename,
        )


def _the_table(tables: list[zipfile.ZipInfo], file: str) -> zipfile.ZipInfo:
    """The export's CSV: the one at the shallowest level (Central writes one per repeat group,
    the form's own at the root; the RT survey has no repeat)."""
    if not tables:
        raise _refuse(file, gettext_noop("the zip holds no CSV export"))
    depth = min(i.filename.count("/") for i in tables)
    top = [i for i in tables if i.filename.count("/") == depth]
    if len(top) > 1:
        raise _refuse(
            file,
            gettext_noop("the zip holds several CSV files (%(member)s); export one form"),
            ", ".join(i.filename for i in top[:5]),
        )
    return top[0]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, limit: int) -> bytes:
    try:
        with archive.open(info) as source:
            data = source.read(limit + 1)
    except _ERRORS as exc:
        raise _damaged(file, info) from exc
    if len(data) > limit:  # more than declared: zipfile would have refused, but be sure
        raise _damaged(file, info)
    return data


def _damaged(file: str, info: zipfile.ZipInfo) -> FileRefused:
    return _refuse(file, gettext_noop("the zip member %(member)s is damaged"), info.filename)


def _check_photo(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> Photo:
    """A member besides the CSV: a JPEG or PNG photo within the size limit, or refused."""
    limit = max_photo_bytes()
    if info.file_size > limit:
        raise _refuse(
            file,
            gettext_noop("the zip member %(member)s is %(size)s; a photo may be at most %(limit)s"),
            info.filename,
            size=megabytes(info.file_size),
            limit=megabytes(limit),
        )
    sha = hashlib.sha256()
    size = 0
    head = b""
    try:
        with archive.open(info) as source:
            while chunk := source.read(1 << 20):
                head = head or chunk[:8]
                size += len(chunk)
                if size > limit:
                    raise _damaged(file, info)
                sha.update(chunk)
    except _ERRORS as exc:
        raise _damaged(file, info) from exc
    suffix = next((s for magic, s in PHOTO_SUFFIX.items() if head.startswith(magic)), None)
    if suffix is None:
        raise _refuse(
            file,
            gettext_noop("the zip member %(member)s is not a JPEG or PNG photo"),
            info.filename,
        )
    return Photo(info.filename, size, sha.hexdigest(), suffix)


def read_photo(archive: zipfile.ZipFile, photo: Photo, file: str) -> bytes:
    """A checked photo's bytes (read again when it is stored)."""
    info = archive.getinfo(photo.member)
    return _read_member(archive, info, file, max_photo_bytes())
