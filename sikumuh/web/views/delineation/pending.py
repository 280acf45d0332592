"""Delineation files waiting between their validation report and the user's confirmation.

Kept under ``MEDIA_ROOT/uploads/<uuid>/`` (the file, and a ``meta.json`` with its uploader, region,
original name and SHA-256), so that the confirmation saves exactly the bytes that were checked and
nothing is written to the database before it. Only the uploader can use an upload, and only for
the region it was uploaded to. Uploads older than a day are removed whenever a new one arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from sikumuh.io.geo import FORMATS

#: A kabupaten's delineations as a zipped Shapefile are a few MB; GeoPackages of RT parcels more.
MAX_BYTES = 30 * 1024 * 1024
MAX_AGE = dt.timedelta(days=1)


class UploadRefused(ValueError):
    """The file cannot be taken: ``reason`` is "type" or "size"."""

    def __init__(self, file_name: str, reason: str) -> None:
        super().__init__(f"{file_name}: refused ({reason})")
        self.file_name = file_name
        self.reason = reason


@dataclass(frozen=True)
class PendingUpload:
    id: str
    file_name: str
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
        # GDAL chooses its driver by the ending, so the stored file keeps it.
        return self.folder / f"data{self.suffix}"


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def store(file: UploadedFile, *, user_id: int, region_code: str) -> PendingUpload:
    name = Path(file.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise UploadRefused(name, "type")
    if (file.size or 0) > MAX_BYTES:
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
    upload = PendingUpload(
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


def load(upload_id: str, *, user_id: int, region_code: str) -> PendingUpload | None:
    """The upload if it exists, is this user's and is for this region; else None."""
    try:
        key = str(uuid.UUID(str(upload_id)))
    except ValueError:
        return None
    try:
        upload = PendingUpload(**json.loads((root() / key / "meta.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if (upload.id, upload.user_id, upload.region_code) != (key, user_id, region_code):
        return None
    return upload if upload.path.is_file() and upload.suffix in FORMATS else None


def discard(upload: PendingUpload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def purge_stale(now: dt.datetime | None = None) -> int:
    now = now or dt.datetime.now(dt.UTC)
    removed = 0
    if not root().is_dir():
        return 0
    for folder in root().iterdir():
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
            created = dt.datetime.fromisoformat(meta["created"])
        except (OSError, ValueError, KeyError, TypeError):
            created = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
        if now - created > MAX_AGE:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
