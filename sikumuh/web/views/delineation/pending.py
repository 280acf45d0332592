"""Delineation files waiting between their validation report and the user's confirmation."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from sikumuh.io import staging as staged
from sikumuh.io.geo import FORMATS
from sikumuh.io.staging import Upload as PendingUpload
from sikumuh.io.staging import UploadRefused, discard

__all__ = ["MAX_BYTES", "PendingUpload", "UploadRefused", "discard", "load", "store"]

#: A kabupaten's delineations as a zipped Shapefile are a few MB; GeoPackages of RT parcels more.
MAX_BYTES = 30 * 1024 * 1024


def store(file: UploadedFile, *, user_id: int, region_code: str) -> PendingUpload:
    return staged.store(
        file, user_id=user_id, region_code=region_code, suffixes=FORMATS, max_bytes=MAX_BYTES
    )


def load(upload_id: str, *, user_id: int, region_code: str) -> PendingUpload | None:
    return staged.load(upload_id, user_id=user_id, region_code=region_code, suffixes=FORMATS)
