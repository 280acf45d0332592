"""Template filters of the reports: Indonesian formats ("47,53 Ha", "12,53 %", "4 November 2021").

The separators come from the active language (Bahasa Indonesia: "." groups thousands, ","
marks decimals), as on the web pages; a report rendered in English gets "47.53 Ha". The reports
keep their own small library rather than importing the web's, so that the CLI and the web share
them without the reports depending on the web interface.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext

from sikumuh.core.numbers import group_number

register = template.Library()

Number = Decimal | float | int

DASH = "–"


def number_text(value: Number, places: int = 0) -> str:
    """``floatformat(value, "<places>g")`` in the active language ("1.234,57"), the fast way
    where it can (`sikumuh.core.numbers.group_number`: same text, a tenth of the time)."""
    language = get_language()
    if type(places) is int and get_format("NUMBER_GROUPING", language, use_l10n=True) == 3:
        text = group_number(
            value,
            places,
            get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
            get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        )
        if text is not None:
            return text
    return str(floatformat(value, f"{places}g"))


@register.filter
def ha(value: Number | None) -> str:
    """Hectares with two decimals: "47,53 Ha"."""
    if value is None:
        return DASH
    return f"{number_text(value, 2)} Ha"


@register.filter
def pct(value: Number | None) -> str:
    """A percentage (0–100) with two decimals: "12,53 %"."""
    if value is None:
        return DASH
    return f"{number_text(value, 2)} %"


@register.filter
def num(value: Number | None, places: int = 0) -> str:
    """A number with grouped thousands and `places` decimals."""
    if value is None:
        return DASH
    return number_text(value, places)


@register.filter
def tanggal(value: dt.date | None) -> str:
    """A long date in the active language: "4 November 2021"."""
    if value is None:
        return DASH
    return str(date_filter(value, "j F Y"))


def format_cell(value: Any, kind: str) -> str:
    """A table cell as the PDF prints it, by the column's kind (see `reports.tables.Column`)."""
    if value is None or value == "":
        return DASH if kind != "text" else ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        return value  # a note in a number column ("–", "3 / 4")
    if kind == "ha":
        return ha(value)
    if kind == "pct":
        return pct(value)
    if kind == "int":
        return num(value)
    if kind == "dec2":
        return num(value, 2)
    if kind == "dec4":
        return num(value, 4)
    if kind == "rupiah":
        return f"Rp {num(value)}"
    if kind == "date":
        return tanggal(value)
    return str(value)


register.filter("cell", format_cell)
