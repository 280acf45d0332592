"""Optimistic locking of records people edit through a form: the second of two concurrent saves
is refused (`StaleEdit`), never a silent overwrite.

How a record adopts it (one line each; the RT observation, SK decree, uji petik checklist,
re-survey and follow-up, and fieldwork meetings do):

- model: inherit :class:`Versioned` (adds ``version``, an integer, 1 for a stored row), then
  ``makemigrations`` (name it ``00xx_edit_version``);
- form: inherit ``sikumuh.web.stale.VersionedForm`` (a hidden ``version`` field) and render it
  with ``initial={"version": obj.version}`` (``NOT_STORED`` for a record not stored yet);
- action: take ``expected_version: int | None = None`` and, inside its transaction, after it has
  found that something changes and before it writes, call
  ``claim_version(obj, expected_version, fields=...)``;
- view: ``except StaleEdit as exc: show_theirs(form, exc)`` and render the form with status
  ``CONFLICT`` (``sikumuh.web.stale``): 409, the person's own values, the message, and the other
  person's values beside each field that differs.

So an investment's edit page needs ``class Investment(Versioned)``, ``class
InvestmentForm(VersionedForm)``, ``claim_version(investment, expected_version, fields=…)`` in
``update_investment`` and the ``except StaleEdit`` in its view. A bulk write (an import) calls
:func:`move_versions_on`; an action that creates the record on a first save lets the unique
constraint refuse a simultaneous second one and answers it with :func:`stale_edit` (see
``surveys.actions.save_observation``).

Why an integer and a conditional UPDATE, not ``updated_at``: ``UPDATE … SET version = version + 1
WHERE pk = … AND version = expected`` is one atomic statement on both engines. On PostgreSQL
(READ COMMITTED) a second concurrent UPDATE waits for the first's row lock and then re-evaluates
its WHERE against the committed row, so it matches nothing; on SQLite the write lock serialises
the two transactions (``transaction_mode = IMMEDIATE`` in the settings). Its row count says who
won, whatever the actions read before. A timestamp could tie (two saves in one clock tick, or a
clock set back) and its precision differs between the engines and JSON. Writes without an
expected version (CLI, importers, ODK pulls) still move the version on, so a form opened before
them is refused too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import F

from sikumuh.audit.actions import snapshot
from sikumuh.audit.models import AuditEntry

#: The version a form carries for a record that was not stored when the form was opened.
NOT_STORED = 0


class Versioned(models.Model):
    """Adds the edit version: 1 for a stored row, one more on every audited write."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """The record moved on after the form was opened: who changed it, when, and its values now.

    `current` holds the stored values of the fields the action writes (JSON-safe, as the audit
    log has them); `version` is the one to save against once the person has looked.
    """

    def __init__(
        self,
        *,
        obj: models.Model,
        current: dict[str, Any],
        version: int,
        by: str,
        at: dt.datetime | None,
    ) -> None:
        super().__init__(f"{obj._meta.label_lower} {obj.pk} is at version {version}")
        self.obj = obj
        self.current = current
        self.version = version
        self.by = by
        self.at = at


def claim_version(obj: Versioned, expected: int | None, *, fields: Iterable[str]) -> None:
    """Move the stored row of `obj` on to its next version, or raise `StaleEdit`.

    Call inside the action's transaction, before writing the fields. `expected` None writes
    without a check (and still moves the version on). `obj.version` is set to the new version,
    so a following ``obj.save()`` writes it unchanged.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if rows.update(version=F("version") + 1) != 1:
        raise stale_edit(type(obj)._default_manager.get(pk=obj.pk), fields=fields)
    obj.version = type(obj)._default_manager.values_list("version", flat=True).get(pk=obj.pk)


def move_versions_on(rows: models.QuerySet[Any]) -> int:
    """Move every row of `rows` on to its next version, for a bulk write (an import) that
    bypasses `claim_version`: a form opened before it is then refused, not overwriting it."""
    return rows.update(version=F("version") + 1)


def stale_edit(obj: Versioned, *, fields: Iterable[str]) -> StaleEdit:
    """The error for `obj` as stored now, with the last audited change's author and time."""
    last = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    by = ""
    if last is not None:
        by = (last.actor.get_full_name() if last.actor else "") or last.actor_label
    return StaleEdit(
        obj=obj,
        current=snapshot(obj, fields),
        version=obj.version,
        by=by,
        at=last.at if last else None,
    )
