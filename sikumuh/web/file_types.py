"""Which files a form accepts: the name's ending AND the first bytes must both say the type.

A name alone is the uploader's word (an .html renamed .pdf would be served back to reviewers);
the magic bytes are the file's own. Used for the closing evidence of uji petik follow-ups.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

#: suffix → does this head (the first 16 bytes) open such a file?
_MAGIC: dict[str, Callable[[bytes], bool]] = {
    ".pdf": lambda head: head.startswith(b"%PDF-"),
    ".jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    ".webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}
EVIDENCE_SUFFIXES = frozenset(_MAGIC)


def is_of_type(file: Any, suffixes: frozenset[str] = EVIDENCE_SUFFIXES) -> bool:
    """True when the file's name ends in one of `suffixes` and its content opens that way."""
    suffix = Path(str(getattr(file, "name", "") or "")).suffix.lower()
    if suffix not in suffixes or suffix not in _MAGIC:
        return False
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    return _MAGIC[suffix](head)
