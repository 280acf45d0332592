"""Indonesian formats for figures: "47,53 Ha", "12,53 %", "4 November 2021".

The number separators come from the active locale (Bahasa Indonesia: "." groups thousands, ","
marks decimals); English pages get "47.53 Ha". The numbers are the reports' (one rule, one
place: `sikumuh.reports.filters.number_text`).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from sikumuh.reports.filters import number_text

register = template.Library()


@register.filter
def ha(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    return f"{number_text(value, 2)} Ha"


@register.filter
def pct(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    return f"{number_text(value, 2)} %"


@register.filter
def num(value: Decimal | float | int | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return number_text(value, places)


@register.filter
def rupiah(value: Decimal | float | int | None) -> str:
    """Money in whole rupiah: "Rp 1.250.000" (the separators of the active locale)."""
    if value is None:
        return "–"
    return f"Rp {number_text(value, 0)}"


@register.filter
def criterion_name(code: str) -> str:
    """ "Kualitas permukaan jalan lingkungan buruk" for "2b" (the code itself when unknown)."""
    from sikumuh.investments.selectors import CRITERION_NAMES

    return CRITERION_NAMES.get(code, code)


@register.filter
def funding_label(value: str) -> str:
    from sikumuh.investments.models import FundingSource

    return str(dict(FundingSource.choices).get(value, value or "–"))


@register.filter
def tanggal(value: dt.date | None) -> str:
    """A long date in the active language: "4 November 2021"."""
    if value is None:
        return "–"
    return str(date_filter(value, "j F Y"))


@register.simple_tag(takes_context=True)
def can_edit(context: Any, code: str) -> bool:
    scope = context.get("scope")
    return bool(scope and scope.can_edit(code))


@register.simple_tag
def nav_items(code: str | None) -> list[tuple[str, str]]:
    """(href, label) of the main navigation for a region; missing pages are left out."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return list(_nav_items(code, get_script_prefix(), urlconf, get_language()))


@functools.lru_cache(maxsize=4096)
def _nav_items(
    code: str | None, prefix: str, urlconf: object, language: str | None
) -> tuple[tuple[str, str], ...]:
    """The navigation of a region, made once per region and language: nine `reverse` and
    gettext calls cost ~0.4 ms, on every page. Keyed by everything they read that can change
    while the process runs (the script prefix, the URL configuration, the language)."""
    from sikumuh.web.nav import NAV

    items = []
    for name, label in NAV:
        try:
            href = reverse(name, kwargs={"code": code}) if code else reverse(name)
        except NoReverseMatch:
            continue
        items.append((href, str(label)))
    return tuple(items)
