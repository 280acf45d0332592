"""Template files waiting between the import wizard's review and its confirmation."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from sikumuh.io import staging as staged
from sikumuh.io.guard import limits
from sikumuh.io.staging import (
    MAX_AGE,
    Upload,
    UploadRefused,
    discard,
    load_report,
    purge_stale,
    root,
    save_report,
)

__all__ = ["MAX_AGE", "MAX_BYTES", "Upload", "UploadRefused", "discard", "load", "load_report",
           "purge_stale", "root", "save_report", "store"]  # fmt: skip

#: The template's formats (``sikumuh.io.readers`` reads both).
SUFFIXES = (".csv", ".xlsx")
#: The readers' own byte limit (200,000 RT rows of CSV are about 40 MB): a larger file is
#: refused before it is stored.
MAX_BYTES = limits().max_bytes


def store(file: UploadedFile, *, user_id: int, region_code: str) -> Upload:
    """Keep the file: refused (and not kept) if too large, of another type, or not starting
    as an XLSX does when it is named so. Nothing is parsed here."""
    upload = staged.store(
        file, user_id=user_id, region_code=region_code, suffixes=SUFFIXES, max_bytes=MAX_BYTES
    )
    if not staged.has_magic(upload):
        discard(upload)
        raise UploadRefused(upload.file_name, "type")
    return upload


def load(upload_id: str, *, user_id: int, region_code: str) -> Upload | None:
    return staged.load(upload_id, user_id=user_id, region_code=region_code, suffixes=SUFFIXES)
