"""The words of a refused stale save, in Bahasa Indonesia, and how the other values read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.utils import translation

from sikumuh.audit.versioning import StaleEdit
from sikumuh.slums.models import SkDecree
from sikumuh.web.stale import _same, _text, stale_message

TAIL = " Nilai mereka ditampilkan di bawah; periksa lalu simpan lagi."
AT = dt.datetime(2026, 12, 7, 7, 5, tzinfo=dt.UTC)  # 14.05 in Jakarta (WIB, UTC+7)


def stale(by: str, at: dt.datetime | None) -> StaleEdit:
    return StaleEdit(obj=SkDecree(pk=1), current={}, version=2, by=by, at=at)


@pytest.mark.parametrize(
    ("by", "at", "message"),
    [
        (
            "Budi",
            AT,
            "Data ini sudah diubah oleh Budi pada 7 Desember 2026 14.05 setelah Anda membukanya."
            + TAIL,
        ),
        (
            "",
            None,
            "Data ini sudah diubah oleh orang lain setelah Anda membukanya." + TAIL,
        ),
    ],
)
def test_the_message_says_who_changed_the_record_and_when_in_indonesian(
    by: str, at: dt.datetime | None, message: str
) -> None:
    with translation.override("id"):
        assert stale_message(stale(by, at)) == message


@pytest.mark.parametrize(
    ("mine", "theirs", "same"),
    [
        (None, "", True),
        ("", None, True),
        ("1.5", "1.5", True),
        (Decimal("1.500"), "1.5", True),
        (dt.date(2021, 6, 14), "2021-06-14", True),
        (30, 30, True),
        (True, False, False),
        ("a", "b", False),
        (None, "x", False),
    ],
)
def test_values_are_compared_as_stored(mine: Any, theirs: Any, same: bool) -> None:
    assert _same(mine, theirs) is same


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        (forms.CharField(), "", "–"),
        (forms.CharField(), None, "–"),
        (forms.ChoiceField(choices=[("baik", "Baik")]), "baik", "Baik"),
        (forms.NullBooleanField(), True, "ya"),
        (forms.DateField(), "2021-06-14", "14 Juni 2021"),
        (forms.IntegerField(), 30, "30"),
    ],
)
def test_the_other_value_reads_as_the_person_would_have_entered_it(
    field: forms.Field, value: Any, text: str
) -> None:
    with translation.override("id"):
        assert _text(field, value) == text
