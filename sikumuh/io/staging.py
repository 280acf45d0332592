"""Uploaded files waiting between their validation report and the user's confirmation.

An upload is kept under ``MEDIA_ROOT/uploads/<uuid>/`` (the file and a ``meta.json`` saying who
uploaded it, for which region, its original name and SHA-256), so the report page can be reloaded
and the confirmation reads exactly the bytes that were checked; nothing reaches the database
before it. The validation report is kept beside the file (``report.json``), so the report page
is drawn without reading the file again. Only its uploader, in the same region, can use it.
Uploads older than a day are removed when a new one arrives: an abandoned review leaves nothing
behind for long. Used by the import wizard and the delineation upload, each with its own file
types and size limit; in io, below the pages, because the jobs that check and import a staged
file read it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

MAX_AGE = dt.timedelta(days=1)
#: The first bytes of a file of each ending that has a fixed signature (XLSX is a zip).
MAGIC = {".xlsx": b"PK\x03\x04", ".zip": b"PK\x03\x04"}


class UploadRefused(ValueError):
    """The file cannot be taken: ``reason`` is "type" or "size" (the page words it)."""

    def __init__(self, file_name: str, reason: str) -> None:
        super().__init__(f"{file_name}: refused ({reason})")
        self.file_name = file_name
        self.reason = reason


@dataclass(frozen=True)
class Upload:
    id: str
    file_name: str  # as the user named it: problems cite it
    suffix: str
    sha256: str
    user_id: int
    region_code: str
    created: str  # ISO timestamp, UTC

    @property
    def folder(self) -> Path:
        return root() / self.id

    @property
    def path(self) -> Path:
        # The stored file keeps its ending: readers (GDAL among them) choose a driver by it.
        return self.folder / f"data{self.suffix}"


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def store(
    file: UploadedFile,
    *,
    user_id: int,
    region_code: str,
    suffixes: Collection[str],
    max_bytes: int,
) -> Upload:
    """Keep an uploaded file; :class:`UploadRefused` for a wrong type or a too large file."""
    name = Path(file.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise UploadRefused(name, "type")
    if (file.size or 0) > max_bytes:
        raise UploadRefused(name, "size")
    purge_stale()
    upload_id = str(uuid.uuid4())
    folder = root() / upload_id
    folder.mkdir(parents=True)
    digest = hashlib.sha256()
    with open(folder / f"data{suffix}", "wb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            out.write(chunk)
    upload = Upload(
        id=upload_id,
        file_name=name,
        suffix=suffix,
        sha256=digest.hexdigest(),
        user_id=user_id,
        region_code=region_code,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    (folder / "meta.json").write_text(json.dumps(asdict(upload)), encoding="utf-8")
    return upload


def load(
    upload_id: str, *, user_id: int, region_code: str, suffixes: Collection[str]
) -> Upload | None:
    """The upload if it exists, is this user's, for this region and of an accepted type."""
    try:
        key = str(uuid.UUID(str(upload_id)))
    except ValueError:
        return None
    try:
        meta = json.loads((root() / key / "meta.json").read_text(encoding="utf-8"))
        upload = Upload(**meta)
    except (OSError, ValueError, TypeError):
        return None
    if upload.user_id != user_id or upload.region_code != region_code or upload.id != key:
        return None
    if not upload.path.is_file() or upload.suffix not in suffixes:
        return None
    return upload


def attach(
    upload: Upload,
    file: UploadedFile,
    *,
    role: str,
    suffixes: Collection[str],
    max_bytes: int,
) -> None:
    """Keep a second file beside an upload (the SIM KOTAKU status layer beside its profil
    layer), under the same rules as :func:`store`; read back with :func:`attachment`."""
    name = Path(file.name or role).name
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise UploadRefused(name, "type")
    if (file.size or 0) > max_bytes:
        raise UploadRefused(name, "size")
    with open(upload.folder / f"{role}{suffix}", "wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    meta = {"file_name": name, "suffix": suffix}
    (upload.folder / f"{role}.json").write_text(json.dumps(meta), encoding="utf-8")


def attachment(upload: Upload, role: str) -> tuple[Path, str] | None:
    """The file :func:`attach` kept beside the upload and the name its uploader gave it."""
    try:
        meta = json.loads((upload.folder / f"{role}.json").read_text(encoding="utf-8"))
        path = upload.folder / f"{role}{meta['suffix']}"
        name = str(meta["file_name"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (path, name) if path.is_file() else None


def save_options(upload: Upload, options: dict[str, bool]) -> None:
    """Keep the choices made with the upload (SIM KOTAKU's negatives as 0), so that its check
    and its import read the file alike; read back with :func:`options`."""
    (upload.folder / "options.json").write_text(json.dumps(options), encoding="utf-8")


def options(upload: Upload) -> dict[str, bool]:
    """The choices :func:`save_options` kept with the upload; none when it kept none."""
    try:
        kept = json.loads((upload.folder / "options.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v is True for k, v in kept.items()} if isinstance(kept, dict) else {}


def has_magic(upload: Upload) -> bool:
    """Whether the stored file starts as its ending says (:data:`MAGIC`; endings without a
    signature pass): a cheap check the web request can afford before a job reads the file."""
    magic = MAGIC.get(upload.suffix)
    if magic is None:
        return True
    with open(upload.path, "rb") as stored:
        return stored.read(len(magic)) == magic


def save_report(upload: Upload, report: dict[str, Any]) -> None:
    """Keep what the validation of an upload found beside it (``report.json``): the review page
    is drawn from it, so reloading it never reads the file again."""
    (upload.folder / "report.json").write_text(json.dumps(report), encoding="utf-8")


def load_report(upload: Upload) -> dict[str, Any] | None:
    """The report :func:`save_report` kept, or None."""
    try:
        report = json.loads((upload.folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def purge_stale(now: dt.datetime | None = None) -> int:
    """Remove uploads older than :data:`MAX_AGE`; returns how many."""
    now = now or dt.datetime.now(dt.UTC)
    removed = 0
    if not root().is_dir():
        return 0
    for folder in root().iterdir():
        try:
            created = dt.datetime.fromisoformat(
                json.loads((folder / "meta.json").read_text(encoding="utf-8"))["created"]
            )
        except (OSError, ValueError, KeyError, TypeError):
            created = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
        if now - created > MAX_AGE:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
