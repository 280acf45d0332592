"""Which tables a backup carries, at which schema, and how a row becomes one JSON line.

Every model of every installed app is found generically (new apps are covered without a list
here), at the migration state the database is actually in: the historical models of that state
read the rows on backup and write them on restore, so a backup of an older schema loads into
that schema before the database is migrated forward. Values are written engine-neutrally
(decimals as text, datetimes in ISO 8601 UTC, JSON with sorted keys), so the same rows give the
same bytes on SQLite and on PostgreSQL: the member's SHA-256 is the table's content hash.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Field, Model
from django.utils.duration import duration_string

# Not carried: logged-in sessions and login counters (a restored site starts with everyone
# logged out and no cool-down running), Django's cache table (not a model: nothing to skip) and
# the background job queue (a job in flight belongs to the machine that ran it; its result is
# stored by the app that asked for it). A table listed here is carried all the same when a
# carried table points at it, so a restore never meets a dangling reference.
EXCLUDED_APPS = frozenset({"sessions", "django_tasks_database", "django_tasks"})
EXCLUDED_MODELS = frozenset({"accounts.logincounter"})

# Written by `sikumuh migrate` itself (content types, permissions, the packaged regions and the
# audit entry of their loading): such rows do not make a database "not empty" for a restore,
# which replaces them. Label → the (column, value) of those rows, or None for the whole table.
FILLED_BY_MIGRATE: dict[str, tuple[str, str] | None] = {
    "contenttypes.contenttype": None,
    "auth.permission": None,
    "regions.region": None,
    "audit.auditentry": ("action", "regions.load"),
}

Node = tuple[str, str]


@dataclass(frozen=True)
class Table:
    label: str  # app_label.model_name
    model: type[Model]

    @property
    def db_table(self) -> str:
        return str(self.model._meta.db_table)

    @property
    def fields(self) -> list[Field[Any, Any]]:
        return list(self.model._meta.concrete_fields)

    @property
    def columns(self) -> list[str]:
        return [f.attname for f in self.fields]

    @property
    def member(self) -> str:
        return f"data/{self.label}.jsonl"


def migration_loader() -> MigrationLoader:
    return MigrationLoader(connection, ignore_no_migrations=True)


def applied_nodes(loader: MigrationLoader) -> set[Node]:
    """The migrations applied in this database that this code knows."""
    return {node for node in loader.applied_migrations or {} if node in loader.graph.nodes}


def state_apps(loader: MigrationLoader, nodes: Iterable[Node]) -> Apps:
    """The historical models after exactly these migrations."""
    nodes = list(nodes)
    state = loader.project_state(nodes=nodes, at_end=True) if nodes else loader.project_state([])
    return state.apps


def _carried(model: type[Model]) -> bool:
    meta = model._meta
    return bool(meta.managed and not meta.proxy and not meta.swapped)


def tables_of(apps: Apps) -> list[Table]:
    """Every table of the state, the excluded ones left out unless a carried one points at them."""
    models = [m for m in apps.get_models(include_auto_created=True) if _carried(m)]
    by_label = {m._meta.label_lower: m for m in models}

    def excluded(label: str) -> bool:
        return label in EXCLUDED_MODELS or label.split(".")[0] in EXCLUDED_APPS

    kept = {label for label in by_label if not excluded(label)}
    growing = True
    while growing:  # referenced tables join the carried ones until nothing changes
        growing = False
        for label in list(kept):
            for field in by_label[label]._meta.concrete_fields:
                target = field.related_model
                if target is not None and not isinstance(target, str):
                    target_label = target._meta.label_lower
                    if target_label in by_label and target_label not in kept:
                        kept.add(target_label)
                        growing = True
    return [Table(label, by_label[label]) for label in sorted(kept)]


def encode(value: Any) -> Any:
    """A column value as a JSON value that reads the same on every engine."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def row_line(values: Iterable[Any]) -> bytes:
    text = json.dumps(
        [encode(v) for v in values], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return (text + "\n").encode("utf-8")


def _as_is(value: Any) -> Any:
    return value


def row_decoder(fields: list[Field[Any, Any]]) -> Callable[[bytes], list[Any]]:
    """Reads a line back into its row's values, in the fields' order (`to_python` reads what
    `encode` wrote; a JSON column's value is already the decoded JSON)."""
    converters = [_as_is if f.get_internal_type() == "JSONField" else f.to_python for f in fields]

    def decode(line: bytes) -> list[Any]:
        values = json.loads(line)
        return [
            None if value is None else convert(value)
            for convert, value in zip(converters, values, strict=True)
        ]

    return decode


def read_rows(table: Table, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
    """The table's rows in primary-key order, streamed (server-side cursor on PostgreSQL)."""
    manager = table.model._base_manager
    yield from manager.order_by("pk").values_list(*table.columns).iterator(chunk_size=batch)
