"""The answers of a checklist submission: which question a CSV export's header stands for, and
each answer parsed to the checklist's value (names or labels of choices, in either language)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.inspections.form import CHOICES, QUESTION_BY_NAME, QUESTIONS, YES_NO_VALUE
from sikumuh.io import odk_csv

# --- Headers -----------------------------------------------------------------------------------


def _labels() -> dict[str, str]:
    """Question labels (both languages, lower case) → question name, for "labels" exports."""
    table = {}
    for q in QUESTIONS:
        for label in (q.label_id, q.label_en):
            if label:
                table[label.strip().lower()] = q.name
    return table


_LABELS = _labels()


def column_name(header: str) -> str:
    """The question (or export field) a header stands for (:func:`odk_csv.column_name`)."""
    return odk_csv.column_name(header, QUESTION_BY_NAME, _LABELS)


# --- Values ------------------------------------------------------------------------------------


class Bad(ValueError):
    """An answer that is not what its question asks for (the reason, in English)."""


def _choice_names(list_name: str) -> dict[str, str]:
    """Choice name or label (either language, lower case) → choice name."""
    table: dict[str, str] = {}
    for name, label_id, label_en in CHOICES[list_name]:
        for text in (name, label_id, label_en):
            table[text.lower()] = name
    return table


def _choice(value: str, list_name: str) -> str:
    name = _choice_names(list_name).get(value.strip().lower())
    if name is None:
        allowed = ", ".join(n for n, _i, _e in CHOICES[list_name])
        raise Bad(_("not one of %(allowed)s") % {"allowed": allowed})
    return name


def parse_decimal(value: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise Bad(_("not a number")) from exc
    if not number.is_finite():
        raise Bad(_("not a number"))
    return number


def _integer(value: str) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise Bad(_("not a whole number"))
    return int(number)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise Bad(_("not a date (YYYY-MM-DD)")) from exc


def parse_submitted_at(value: str) -> dt.datetime:
    try:
        return odk_csv.parse_datetime(value)
    except ValueError as exc:
        raise Bad(_("not a date and time (ISO 8601)")) from exc


def parse_answer(kind: str, list_name: str, value: str) -> Any:
    if kind == "yes_no":
        return YES_NO_VALUE[_choice(value, "ya_tidak")]
    if kind == "choice":
        return _choice(value, list_name)
    if kind == "decimal":
        number = parse_decimal(value)
        if number < 0:
            raise Bad(_("negative"))
        return number
    if kind == "integer":
        whole = _integer(value)
        if whole < 0:
            raise Bad(_("negative"))
        return whole
    if kind == "date":
        return _date(value)
    return value.strip()
