"""Region codes as every app uses them: the national code, "inside a region", the valid years
(those from `sikumuh.core.years`, re-exported).

One place for what was written in eight apps: a Kemendagri code (``63``, ``63.01``,
``63.01.10``, ``63.01.10.2001``) holds every code that starts with it and a dot; ``"ID"`` stands
for the whole country and holds everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from sikumuh.core.years import YEAR_MAX, YEAR_MIN, valid_year
from sikumuh.regions.models import Level, Region, level_of

__all__ = [
    "DECREE_YEAR_MIN",
    "NATIONAL",
    "YEAR_MAX",
    "YEAR_MIN",
    "covers",
    "inside",
    "is_inside",
    "level",
    "location_inside",
    "names_of",
    "valid_year",
]

#: The whole country: the scope of national roles and the code of the national dashboard.
NATIONAL = "ID"

#: The whole country: the scope of national roles and the code of the national dashboard.

#: Decree years: an SK may predate the programme's RT data.
DECREE_YEAR_MIN = 1945


def level(code: str) -> int:
    """0 for the national level, else the Kemendagri level 1–4."""
    return 0 if code == NATIONAL else level_of(code)


def covers(holder: str, code: str) -> bool:
    """True when `code` is `holder` or lies inside it (everything lies inside `NATIONAL`)."""
    return holder == NATIONAL or code == holder or code.startswith(holder + ".")


def is_inside(code: str, desa_code: str | None) -> bool:
    """True when a desa lies in region `code` (a location without a desa: only nationally)."""
    if code == NATIONAL:
        return True
    return desa_code is not None and covers(code, desa_code)


def inside(code: str, field_name: str) -> Q:
    """Rows whose `field_name` (a region code) is `code` or lies inside it; all for `NATIONAL`."""
    if code == NATIONAL:
        return Q()
    return Q(**{field_name: code}) | Q(**{f"{field_name}__startswith": code + "."})


def location_inside(code: str, prefix: str = "") -> Q:
    """Locations inside region `code` (``prefix`` leads to a ``Location``).

    A location lies in its desa; one without a desa lies in its kabupaten only, so it is inside
    the kabupaten and above, never inside a kecamatan or desa. Through ``__code`` (the regions'
    primary key) Django reads the foreign-key column without a join.
    """
    lvl = level(code)
    if lvl == 0:
        return Q()
    if lvl == Level.PROVINSI:
        return Q(**{f"{prefix}kabupaten__code__startswith": code + "."})
    if lvl == Level.KABUPATEN:
        return Q(**{f"{prefix}kabupaten__code": code})
    return Q(**{f"{prefix}desa__code": code}) | Q(**{f"{prefix}desa__code__startswith": code + "."})


def names_of(codes: Iterable[str]) -> dict[str, str]:
    """Each known code's region name ("63.01" → "Kabupaten Tanah Laut"): one query, for pages
    that list codes people should read as names. The country is "Indonesia"."""
    wanted = set(codes)
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    if NATIONAL in wanted:
        names[NATIONAL] = "Indonesia"
    return names
