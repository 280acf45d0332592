"""Writing audit entries. Every action that changes data calls these inside its own transaction.

Habit from zulip's `zerver/actions/`: the audit row is written in the same transaction as the
change, so a rolled-back write leaves no audit entry and no audited change goes unlogged.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sikumuh.audit.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, or the system (CLI, loader) named by a label."""

    user: Any | None  # an auth user instance; Any keeps mypy free of the user model import
    label: str

    @classmethod
    def system(cls, label: str | None = None) -> Actor:
        if label is None:
            try:
                label = f"cli:{getpass.getuser()}"
            except Exception:
                label = "cli"
        return cls(user=None, label=label)

    @classmethod
    def of(cls, user: Any) -> Actor:
        return cls(user=user, label=str(user.get_username()))


def json_value(value: Any) -> Any:
    """A JSON-safe rendering of a field value (decimals and dates as strings)."""
    if isinstance(value, Decimal):
        # Normalised, so that 1.5 entered and 1.500000 read back from the database compare equal.
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: json_value(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for each field whose value changed (a missing key is None)."""
    changed: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = json_value(before.get(name)), json_value(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def build_entry(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, list[Any]],
    region_code: str = "",
    context: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    return AuditEntry(
        at=at or timezone.now(),
        actor=actor.user,
        actor_label=actor.label[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_code=region_code,
        changes=dict(changes),
        context=dict(context or {}),
    )


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, list[Any]],
    region_code: str = "",
    context: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Record one audit entry; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    entry = build_entry(
        actor=actor,
        action=action,
        obj=obj,
        changes=changes,
        region_code=region_code,
        context=context,
    )
    entry.save()
    return entry


def record_many(entries: list[AuditEntry]) -> None:
    """Bulk-insert prepared entries (importers); must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic()")
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
