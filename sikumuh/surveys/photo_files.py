"""The photo files of phone submissions (`ObservationPhoto.file`) follow their rows.

A file leaves the storage only once the deletion or replacement of its row has committed
(`transaction.on_commit`): a rolled-back transaction leaves the row, so it must leave the file.
The deletion is caught where every path ends, the row's ``post_delete``: an observation, its RT
or its location deleted (cascades included) or a submission replaced all delete photo rows, and
no caller can forget it. A file stored by a transaction that then fails is removed again
(:func:`removed_on_error`), so neither way leaves a file without a row in MEDIA storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete

from sikumuh.surveys.models import ObservationPhoto


def delete_after_commit(file: FieldFile, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the stored file once the current transaction commits (never, if it rolls back)."""
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using)


@contextmanager
def removed_on_error() -> Iterator[list[str]]:
    """The names of the files stored inside the block (append each), deleted again when the
    block fails: the transaction around it rolls back, and their rows with it."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        storage = ObservationPhoto._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise


def _photo_deleted(sender: Any, instance: ObservationPhoto, using: str, **kwargs: Any) -> None:
    delete_after_commit(instance.file, using=using)


def connect() -> None:
    """Called by the app's ``ready``."""
    post_delete.connect(_photo_deleted, sender=ObservationPhoto, dispatch_uid="photo-file-gone")
