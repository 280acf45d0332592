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
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from sikumuh.io.geo.check import GEOMETRY
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


@register.filter
def words(value: Any, more: Any) -> str:
    """ "Job 12" from "Job" and 12: two words joined by a space (Django's `add` drops a number
    added to a string)."""
    return f"{value} {more}"


@register.simple_tag
def trail(*parts: Any) -> list[Any]:
    """Breadcrumbs written in a template: label, url, label, url, …, the page's own label last
    (an empty url: a step without a link). `{% trail _("SK Kumuh") sk_url decree.number as
    crumbs %}` then `{% include "web/_crumbs.html" %}`."""
    from sikumuh.web.crumbs import Crumb

    crumbs = []
    for i in range(0, len(parts), 2):
        label = parts[i]
        url = parts[i + 1] if i + 1 < len(parts) else None
        if label in (None, ""):
            continue
        crumbs.append(Crumb(str(label), str(url) if url else None))
    return crumbs


@register.simple_tag(takes_context=True)
def overview_links(context: Any) -> list[tuple[str, str]]:
    """(href, label) of the national and province dashboards the user holds a role for, so that
    they are one click away from every page (otherwise only the breadcrumbs lead there)."""
    from django.utils.translation import gettext

    from sikumuh.accounts.scope import region_label
    from sikumuh.regions.codes import NATIONAL

    scope = context.get("scope")
    if scope is None:
        return []
    links = []
    if scope.can_view(NATIONAL):
        links.append((reverse("web:dashboard", kwargs={"code": NATIONAL}), gettext("National")))
    for _role, code, name, kind in scope.places:
        if kind == "provinsi" and code in scope.roots:
            href = reverse("web:dashboard", kwargs={"code": code})
            if all(h != href for h, _ in links):
                links.append((href, region_label(code, name, kind)))
    return links


@register.inclusion_tag("web/_sort_head.html", takes_context=True)
def sort_head(context: Any, tq: Any, key: str, label: str, css: str = "") -> dict[str, Any]:
    """A column head that sorts the table (sikumuh.web.tables) by `key`; a second click
    reverses. Every other parameter of the query is kept; the page goes back to 1."""
    request = context["request"]
    query = request.GET.copy()
    for name in ("page", "halaman"):
        query.pop(name, None)
    current = tq.sort_key == key
    query["sort"] = key if (current and tq.descending) or not current else "-" + key
    state = ("descending" if tq.descending else "ascending") if current else "none"
    return {"href": "?" + query.urlencode(), "label": label, "state": state, "css": css}


@register.filter
def problem_column(column: str | None) -> str:
    """The column cell of a problem: the file's column or attribute name as data (<code>),
    the feature's geometry (no column of the file) in words."""
    if not column:
        return ""
    if column == GEOMETRY:
        return str(gettext("geometry"))
    return format_html("<code>{}</code>", column)
