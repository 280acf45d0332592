"""Rows written engine-neutrally and read back: one table of values per field type; and every
model of every installed app is carried except the transient ones."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from sikumuh.io.backup.tables import encode, row_decoder, row_line, tables_of

WIB = dt.timezone(dt.timedelta(hours=7))

CASES: list[tuple[str, models.Field[Any, Any], Any, Any]] = [
    # (case, field, value read from the database, value written to the line)
    ("decimal keeps its scale", models.DecimalField(max_digits=8, decimal_places=2),
     Decimal("4.00"), "4.00"),
    ("aware datetime in UTC", models.DateTimeField(),
     dt.datetime(2026, 12, 7, 9, 30, 0, 123456, tzinfo=WIB), "2026-12-07T02:30:00.123456+00:00"),
    ("date", models.DateField(), dt.date(2021, 3, 1), "2021-03-01"),
    ("json with keys sorted", models.JSONField(), {"b": [1, {"d": 1, "c": 2}], "a": None},
     {"a": None, "b": [1, {"c": 2, "d": 1}]}),
    ("json string", models.JSONField(), "teks", "teks"),
    ("binary as base64", models.BinaryField(), memoryview(b"\x00\xff"), "AP8="),
    ("duration", models.DurationField(), dt.timedelta(days=1, seconds=5), "1 00:00:05"),
    ("uuid", models.UUIDField(), uuid.UUID(int=5), "00000000-0000-0000-0000-000000000005"),
    ("null", models.IntegerField(null=True), None, None),
    ("text with Indonesian letters", models.CharField(max_length=20), "Kel. Angsau — ½",
     "Kel. Angsau — ½"),
    ("float exactly", models.FloatField(), 0.1 + 0.2, 0.30000000000000004),
]  # fmt: skip


@pytest.mark.parametrize(("case", "field", "value", "written"), CASES, ids=[c[0] for c in CASES])
def test_a_value_is_written_engine_neutrally_and_read_back(
    case: str, field: models.Field[Any, Any], value: Any, written: Any
) -> None:
    field.set_attributes_from_name("column")
    line = row_line([value])
    assert line.endswith(b"\n")
    read = value.tobytes() if isinstance(value, memoryview) else value
    assert row_decoder([field])(line) == [read]
    assert json.loads(line) == [written]
    assert encode(value) == written


def test_every_model_of_every_installed_app_is_carried_except_the_transient_ones() -> None:
    carried = {t.label for t in tables_of(apps)}
    every = {
        m._meta.label_lower
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    assert every - carried == {
        "sessions.session",
        "accounts.logincounter",
        "django_tasks_database.dbtaskresult",  # the queue: jobs in flight are not carried
    }
    assert carried <= every
    assert {"auth.user_groups", "surveys.observation", "audit.auditentry"} <= carried
