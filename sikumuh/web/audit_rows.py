"""The audit log as a person reads it: the entries the audit selectors return, their changes
flattened field by field. A JSON field that changed (the volumes of an observation) is shown key
by key, "Volume 1a: 12 → 8", so one edited criterion is one line. Actions, fields and coded
values read by their labels (`sikumuh.web.audit_labels`); dates and decimals as Indonesians
write them. Presentation, so it lives with the pages: `sikumuh.audit` only stores and selects.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.accounts.scope import Scope
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.selectors import history_for
from sikumuh.io.reasons import number_text
from sikumuh.web.audit_labels import HIDDEN, action_label, field_label, value_label

EMPTY = "–"


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    changes: list[FieldChange]

    @property
    def action_text(self) -> str:
        """The action as a sentence ("Data RT diajukan untuk ditinjau")."""
        return action_label(self.entry.action)

    @property
    def reason(self) -> str:
        """A reason or comment given with the change (unlock, return), if any."""
        context = self.entry.context or {}
        return str(context.get("reason") or context.get("comment") or "")


def _text(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        # A timestamp stored as ISO text (json_value): shown in the site's time zone.
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{date_filter(moment, 'j F Y')} {moment:%H.%M}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        if not value:
            return EMPTY  # "percents: {}" says nothing
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def field_changes(changes: dict[str, Any]) -> list[FieldChange]:
    """{field: [before, after]} as display lines; dict values expanded key by key."""
    rows: list[FieldChange] = []
    for name in sorted(changes):
        if name in HIDDEN:
            continue
        pair = changes[name]
        before, after = (
            (pair[0], pair[1])
            if isinstance(pair, list | tuple) and len(pair) == 2
            else (None, pair)
        )
        if isinstance(before, dict | None) and isinstance(after, dict | None) and (before or after):
            old, new = before or {}, after or {}
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    rows.append(
                        FieldChange(
                            field_label(f"{name}.{key}"),
                            _number(old.get(key)),
                            _number(new.get(key)),
                        )
                    )
            continue
        if _text(before) != _text(after):
            rows.append(FieldChange(field_label(name), _shown(name, before), _shown(name, after)))
    return rows


def _shown(name: str, value: Any) -> str:
    """A scalar value as a person reads it: a code by its label, a date as "12 Maret 2021",
    a decimal with the Indonesian comma ("0,27"); whole numbers (years, ids) as they are."""
    text = _text(value)
    labelled = value_label(name, text)
    if labelled != text:
        return labelled
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return str(date_filter(dt.date.fromisoformat(value), "j F Y"))
        except ValueError:
            return text
    if isinstance(value, str | float) and "." in str(value):
        return _number(value)
    return text


def _number(value: Any) -> str:
    """A volume or percentage as stored (decimal text) in the Indonesian way: "18", "0,61"."""
    text = _text(value)
    return number_text(text) if text != EMPTY else text


def rows_of(entries: list[AuditEntry]) -> list[AuditRow]:
    return [AuditRow(entry=e, changes=field_changes(e.changes or {})) for e in entries]


def history(obj: models.Model, *, scope: Scope, limit: int = 100) -> list[AuditRow]:
    """The newest ``limit`` entries about ``obj`` the reader may see, as the audit panel shows
    them (`audit.selectors.history_for` within the reader's scope). One query."""
    return rows_of(history_for(obj, within=scope.q("region_code"), limit=limit))
