"""The valid survey years, in one place (Django-free: the ``sikumuh score`` CLI reads them)."""

from __future__ import annotations

from typing import Any

#: Survey years accepted anywhere (URLs, forms, imports): the RT-data template's range.
YEAR_MIN = 2000
YEAR_MAX = 2100


def valid_year(text: Any) -> int | None:
    """A survey year from a URL, query string or form (``YEAR_MIN``–``YEAR_MAX``), or None."""
    try:
        year = int(str(text))
    except (TypeError, ValueError):
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None
