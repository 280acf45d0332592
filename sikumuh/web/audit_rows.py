"""The audit log as a person reads it: the entries the audit selectors return, their changes
flattened field by field. A JSON field that changed (the volumes of an observation) is shown key
by key, "Volume 1a: 12 → 8", so one edited criterion is one line. Actions, fields and coded
values read by their labels (`sikumuh.web.audit_labels`); the regions and records a value points
at by their names, looked up once per page (`names_of`); dates and amounts as Indonesians write
them. Presentation, so it lives with the pages: `sikumuh.audit` only stores and selects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Iterable, Mapping
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
from sikumuh.regions.models import Region
from sikumuh.web.audit_labels import (
    AS_IS,
    HIDDEN,
    REFERENCES,
    REGION_FIELDS,
    action_label,
    field_label,
    value_label,
)

EMPTY = "–"

#: A name looked up for a value: ("region" or the field pointing at a record, the value).
NameKey = tuple[str, str]


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


def field_changes(
    changes: dict[str, Any], names: Mapping[NameKey, str] | None = None
) -> list[FieldChange]:
    """{field: [before, after]} as display lines; dict values expanded key by key. ``names``:
    the regions and records the values point at, by name (`names_of`)."""
    rows: list[FieldChange] = []
    names = names or {}
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
            rows.append(
                FieldChange(
                    field_label(name), _shown(name, before, names), _shown(name, after, names)
                )
            )
    return rows


#: A number as stored: no leading zero (an RT "005" is a name), an optional decimal part.
_AMOUNT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")


def _shown(name: str, value: Any, names: Mapping[NameKey, str]) -> str:
    """A value as a person reads it: a code by its label, a region by its name, a list item by
    item ("Kecamatan, Jenis kegiatan"), a date as "12 Maret 2021", an amount the Indonesian
    way ("1.250.000", "0,27"); years, seeds and ids as they are (`AS_IS`)."""
    if isinstance(value, list | tuple):
        items = [_shown(name, item, names) for item in value if item not in (None, "")]
        return ", ".join(items) if items else EMPTY
    if isinstance(value, dict):
        pairs = [f"{key}: {_shown(name, value[key], names)}" for key in sorted(value)]
        return "; ".join(pairs) if pairs else EMPTY
    kind = _kind(name)
    if kind is not None and _names_a_record(kind, value) and (kind, str(value)) in names:
        return names[(kind, str(value))]
    text = _text(value)
    labelled = value_label(name, text)
    if labelled != text:
        return labelled
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return str(date_filter(dt.date.fromisoformat(value), "j F Y"))
        except ValueError:
            return text
    if name not in AS_IS and not isinstance(value, bool) and _AMOUNT.fullmatch(text):
        return _number(value)
    return text


def _number(value: Any) -> str:
    """A number as stored (decimal text, an integer) in the Indonesian way: "18", "0,61",
    "1.250.000" (`sikumuh.io.reasons.number_text`, grouping by thousands)."""
    text = _text(value)
    return number_text(text) if text != EMPTY else text


def _kind(name: str) -> str | None:
    """What a field's value names: "region" (a region code), the field itself (a record,
    `REFERENCES`), or nothing."""
    if name in REGION_FIELDS:
        return "region"
    return name if name in REFERENCES else None


def _names_a_record(kind: str, value: Any) -> bool:
    """Whether a value of that kind names something to look up: a region by its code or a
    record by a key (text), a record by its id (a number). An RT's own "rt" is its number as
    text ("005"); an investment's "rt" is the RT's id."""
    if kind == "region" or REFERENCES[kind][1] != "pk":
        return isinstance(value, str) and value != ""
    return type(value) is int


def names_of(entries: Iterable[AuditEntry]) -> dict[NameKey, str]:
    """The names of the regions and records the entries' changes point at (a region code, an
    RT's id): one query per kind present, none when they point at nothing."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for name, pair in (entry.changes or {}).items():
            kind = _kind(name)
            if kind is None:
                continue
            for value in pair if isinstance(pair, list | tuple) else [pair]:
                if _names_a_record(kind, value):
                    wanted.setdefault(kind, set()).add(str(value))
    found: dict[NameKey, str] = {}
    for kind, values in wanted.items():
        if kind == "region":
            regions = Region.objects.filter(code__in=values).values_list("code", "name")
            found.update((("region", code), name) for code, name in regions)
        else:
            found.update(_records(kind, values))
    return found


def _records(field: str, values: set[str]) -> dict[NameKey, str]:
    """The records a field's values point at, each as `REFERENCES` shapes it. One query."""
    from django.apps import apps

    model_label, key, shape = REFERENCES[field]
    names = [f.split(":")[0] for _text, f, _spec, _conv in string.Formatter().parse(shape) if f]
    wanted: list[Any] = [int(v) for v in values] if key == "pk" else list(values)
    rows = apps.get_model(model_label).objects.filter(**{f"{key}__in": wanted})
    return {(field, str(row[key])): shape.format(**row) for row in rows.values(key, *names)}


def rows_of(entries: list[AuditEntry]) -> list[AuditRow]:
    names = names_of(entries)
    return [AuditRow(entry=e, changes=field_changes(e.changes or {}, names)) for e in entries]


def history(obj: models.Model, *, scope: Scope, limit: int = 100) -> list[AuditRow]:
    """The newest ``limit`` entries about ``obj`` the reader may see, as the audit panel shows
    them (`audit.selectors.history_for` within the reader's scope). One query, and one per kind
    of record the changes point at."""
    return rows_of(history_for(obj, within=scope.q("region_code"), limit=limit))
