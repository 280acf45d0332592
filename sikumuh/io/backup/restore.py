"""Restoring a backup into an empty database of either engine.

Order (nothing is written before the archive is proven whole): decrypt into a temporary file
(every chunk's tag checked), read the manifest, check every member's SHA-256 and row count,
check that this code knows the backup's migrations and tables, check that the database is
empty (or flush it with `force`); then migrate the database to the backup's schema state, load
every table in one transaction with the historical models of that state, reset the sequences,
migrate forward to this code's schema, and write the uploaded files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from sikumuh.io.backup import BackupError, damaged, envelope
from sikumuh.io.backup.dump import FORMAT, MANIFEST
from sikumuh.io.backup.tables import (
    FILLED_BY_MIGRATE,
    Node,
    Table,
    row_decoder,
    state_apps,
    tables_of,
)

_BATCH = 2000


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    media_files: int
    migrated_forward: int  # migrations applied after the load


def _open(path: Path, passphrase: str | None, scratch: Path) -> Path:
    """The plain archive: `path` itself, or its decrypted copy in `scratch`."""
    if not path.is_file():
        raise BackupError(_("%(file)s: no such file") % {"file": path.name})
    if not envelope.is_encrypted(path):
        return path
    if passphrase is None:
        raise BackupError(
            _("%(file)s is encrypted: give its passphrase with --passphrase-stdin")
            % {"file": path.name}
        )
    plain = scratch / "archive.zip"
    with path.open("rb") as source, plain.open("wb") as target:
        try:
            envelope.decrypt(source, target, passphrase)
        except envelope.EnvelopeError as exc:
            raise damaged(path.name) from exc
    return plain


def _manifest(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise damaged(name) from exc
    shape = {"format": str, "schema": dict, "tables": list, "media": list}
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise damaged(name)
    if not all(isinstance(manifest.get(key), kind) for key, kind in shape.items()):
        raise damaged(name)
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any], name: str) -> None:
    """Every member's SHA-256 (and each table's row count) as the manifest says."""
    for entry in [*manifest["tables"], *manifest["media"]]:
        digest, lines = hashlib.sha256(), 0
        try:
            with archive.open(entry["member"]) as member:
                while block := member.read(1 << 20):
                    digest.update(block)
                    lines += block.count(b"\n")
        except (KeyError, OSError, zipfile.BadZipFile) as exc:  # missing member, bad CRC
            raise _mismatch(name, entry["member"]) from exc
        if digest.hexdigest() != entry["sha256"] or ("rows" in entry and lines != entry["rows"]):
            raise _mismatch(name, entry["member"])


def _mismatch(name: str, member: str) -> BackupError:
    return BackupError(
        _("%(file)s: member %(member)s does not match its checksum; nothing was restored")
        % {"file": name, "member": member}
    )


def _backup_nodes(manifest: dict[str, Any], loader: MigrationLoader, name: str) -> set[Node]:
    nodes = {(app, m) for app, names in manifest["schema"].items() for m in names}
    known_apps = set(loader.migrated_apps)
    unknown = sorted(n for n in nodes if n[0] in known_apps and n not in loader.graph.nodes)
    if unknown:
        raise BackupError(
            _("%(file)s was made by a newer sikumuh (migration %(migration)s unknown here)")
            % {"file": name, "migration": ".".join(unknown[0])}
        )
    return {n for n in nodes if n in loader.graph.nodes}


def _match_tables(manifest: dict[str, Any], apps: Apps, name: str) -> dict[str, Table]:
    tables = {t.label: t for t in tables_of(apps)}
    for entry in manifest["tables"]:
        table = tables.get(entry["model"])
        if table is None or table.columns != entry["columns"]:
            raise BackupError(
                _("%(file)s: table %(table)s does not match the backup's schema")
                % {"file": name, "table": entry["model"]}
            )
    return tables


def _non_empty_tables() -> list[str]:
    """Tables of this code holding rows, apart from those `sikumuh migrate` writes itself."""
    existing = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for table in tables_of(global_apps):
            if table.db_table not in existing or (
                table.label in FILLED_BY_MIGRATE and FILLED_BY_MIGRATE[table.label] is None
            ):
                continue
            sql = f"SELECT 1 FROM {connection.ops.quote_name(table.db_table)}"
            params: list[str] = []
            if (written := FILLED_BY_MIGRATE.get(table.label)) is not None:
                sql += f" WHERE {connection.ops.quote_name(written[0])} <> %s"
                params.append(written[1])
            cursor.execute(sql + " LIMIT 1", params)
            if cursor.fetchone():
                busy.append(table.db_table)
    return busy


def _flush(table_names: list[str]) -> None:
    if table_names:
        statements = connection.ops.sql_flush(
            no_style(), table_names, reset_sequences=True, allow_cascade=True
        )
        connection.ops.execute_sql_flush(statements)


def _migrate_to(nodes: set[Node]) -> None:
    """Bring the database to exactly the backup's migration state (forwards on an empty one)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    targets: list[tuple[str, str | None]] = []
    for app in sorted(executor.loader.migrated_apps):
        mine = {n for n in nodes if n[0] == app}
        below = {a for n in mine for a in graph.forwards_plan(n) if a != n and a[0] == app}
        leaves = sorted(mine - below)
        targets.extend(leaves or [(app, None)])
    executor.migrate(targets, plan=executor.migration_plan(targets))


def _insert(table: Table) -> tuple[str, list[Callable[[Any], Any]]]:
    """The INSERT of one row and each column's conversion to the engine's value (Django's
    `get_db_prep_save`, as a save with `raw=True` does: no `pre_save`, no signals)."""
    quote = connection.ops.quote_name
    fields = table.fields
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    return sql, [functools.partial(f.get_db_prep_save, connection=connection) for f in fields]


def _load(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    tables: dict[str, Table],
    progress: Callable[[int, int], None],
) -> int:
    """Every table's rows, in one transaction; foreign keys are checked at its end."""
    rows, total = 0, sum(entry["rows"] for entry in manifest["tables"])
    with transaction.atomic(), connection.wrap_database_errors:
        _flush([t.db_table for t in tables.values()])
        # The backend's own cursor: with DEBUG on, Django's would keep every batch's SQL in
        # memory (`connection.queries`), hundreds of MiB at the national scale.
        cursor = connection.create_cursor()
        for entry in manifest["tables"]:
            table = tables[entry["model"]]
            decode = row_decoder(table.fields)
            sql, prepare = _insert(table)
            batch: list[list[Any]] = []
            with archive.open(entry["member"]) as member:
                for line in member:
                    values = zip(prepare, decode(line), strict=True)
                    batch.append([None if v is None else p(v) for p, v in values])
                    if len(batch) == _BATCH:
                        cursor.executemany(sql, batch)
                        rows, batch = rows + len(batch), []
                        progress(rows, total)
            if batch:
                cursor.executemany(sql, batch)
                rows += len(batch)
            progress(rows, total)
        # Explicit ids were written: PostgreSQL's sequences must start after them.
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [t.model for t in tables.values()]
        ):
            cursor.execute(statement)
        cursor.close()
    return rows


def _write_media(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> int:
    root = Path(settings.MEDIA_ROOT).resolve()
    for entry in manifest["media"]:
        target = (root / entry["path"]).resolve()
        if not target.is_relative_to(root):  # a crafted path never escapes MEDIA_ROOT
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        with archive.open(entry["member"]) as source, partial.open("wb") as out:
            while block := source.read(1 << 20):
                out.write(block)
        os.replace(partial, target)
    return len(manifest["media"])


def restore(
    path: Path,
    passphrase: str | None = None,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Restored:
    """Load the archive at `path`; `progress(rows loaded, rows in all)` as it goes."""
    with tempfile.TemporaryDirectory(prefix="sikumuh-restore-") as scratch:
        plain = _open(path, passphrase, Path(scratch))
        try:
            archive = zipfile.ZipFile(plain)
        except (zipfile.BadZipFile, OSError) as exc:
            raise damaged(path.name) from exc
        with archive:
            manifest = _manifest(archive, path.name)
            _verify(archive, manifest, path.name)
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            nodes = _backup_nodes(manifest, loader, path.name)
            tables = _match_tables(manifest, state_apps(loader, nodes), path.name)
            busy = _non_empty_tables()
            if busy and not force:
                raise BackupError(
                    _(
                        "the database is not empty (table %(table)s has rows): restore into an"
                        " empty database, or give --force to replace its contents"
                    )
                    % {"table": busy[0]}
                )
            if force:
                existing = connection.introspection.table_names()
                _flush([t for t in existing if t != "django_migrations"])
            _migrate_to(nodes)
            rows = _load(archive, manifest, tables, progress)
            before = len(MigrationLoader(connection).applied_migrations or {})
            call_command("migrate", verbosity=0, interactive=False)
            call_command("createcachetable", verbosity=0)
            after = len(MigrationLoader(connection).applied_migrations or {})
            media = _write_media(archive, manifest)
    return Restored(
        tables=len(manifest["tables"]),
        rows=rows,
        media_files=media,
        migrated_forward=after - before,
    )
