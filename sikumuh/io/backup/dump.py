"""Writing a backup: every carried table as JSON lines in primary-key order, read inside one
transaction (one snapshot), the files under MEDIA_ROOT, and a manifest with the versions, row
counts and a SHA-256 for each member. Rows are streamed into the zip: memory stays flat at any
size. The archive is written beside the target under a temporary name and renamed at the end,
so an interrupted backup never leaves a file that looks complete."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sikumuh.io.backup import envelope
from sikumuh.io.backup.tables import (
    Table,
    applied_nodes,
    migration_loader,
    read_rows,
    row_line,
    state_apps,
    tables_of,
)

FORMAT = "sikumuh-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    media_files: int
    size: int
    encrypted: bool


class _Hashing:
    """A writable member that counts and hashes what passes through it."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)
        self.target.write(data)


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """One read transaction over every table: REPEATABLE READ on PostgreSQL; on SQLite a
    deferred BEGIN, whose snapshot (WAL) lets writers go on while the backup reads."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def _member(name: str) -> zipfile.ZipInfo:
    """A deflated member dated now (zipfile's default date is 1980)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _dump_table(archive: zipfile.ZipFile, table: Table) -> dict[str, Any]:
    rows = 0
    with archive.open(_member(table.member), "w", force_zip64=True) as raw:
        member = _Hashing(raw)  # type: ignore[arg-type]
        for values in read_rows(table):
            member.write(row_line(values))
            rows += 1
    return {
        "model": table.label,
        "table": table.db_table,
        "member": table.member,
        "columns": table.columns,
        "rows": rows,
        "size": member.size,
        "sha256": member.sha256.hexdigest(),
    }


def media_files() -> Iterator[tuple[str, Path]]:
    """(path relative to MEDIA_ROOT in POSIX form, file) for every regular file, sorted."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _dump_media(archive: zipfile.ZipFile) -> list[dict[str, Any]]:
    entries = []
    for relative, path in media_files():
        name = f"media/{relative}"
        with archive.open(_member(name), "w", force_zip64=True) as raw, path.open("rb") as source:
            member = _Hashing(raw)  # type: ignore[arg-type]
            while block := source.read(1 << 20):
                member.write(block)
        entries.append(
            {
                "member": name,
                "path": relative,
                "size": member.size,
                "sha256": member.sha256.hexdigest(),
            }
        )
    return entries


def _product_version() -> str:
    try:
        return version("sikumuh")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _manifest(nodes: set[tuple[str, str]], tables: list[dict[str, Any]]) -> dict[str, Any]:
    schema: dict[str, list[str]] = {}
    for app, name in sorted(nodes):
        schema.setdefault(app, []).append(name)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "product_version": _product_version(),
        "engine": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "schema": schema,
        "tables": tables,
    }


def write_archive(
    target: BinaryIO, progress: Callable[[int, int], None]
) -> tuple[dict[str, Any], int]:
    """The plain (unencrypted) archive into `target`; the manifest and the total row count."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        with snapshot():
            loader = migration_loader()
            nodes = applied_nodes(loader)
            carried, tables = tables_of(state_apps(loader, nodes)), []
            for table in carried:
                tables.append(_dump_table(zf, table))
                progress(len(tables), len(carried))
        manifest = _manifest(nodes, tables)
        manifest["media"] = _dump_media(zf)
        zf.writestr(_member(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest, sum(t["rows"] for t in tables)


def backup(
    path: Path,
    passphrase: str | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Summary:
    """Write the archive to `path` (replaced only once complete); `progress(tables written,
    tables in all)` as it goes."""
    path = path.resolve()
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as handle:
            if passphrase is None:
                manifest, rows = write_archive(handle, progress)
            else:
                with tempfile.TemporaryFile() as plain:
                    manifest, rows = write_archive(plain, progress)
                    plain.seek(0)
                    envelope.encrypt(plain, handle, passphrase)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return Summary(
        tables=len(manifest["tables"]),
        rows=rows,
        media_files=len(manifest["media"]),
        size=path.stat().st_size,
        encrypted=passphrase is not None,
    )
