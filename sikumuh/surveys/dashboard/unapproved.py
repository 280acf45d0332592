"""How much of what a dashboard counts the Pokja has not approved yet.

The dashboards, the benchmarks and the PDF reports count every stored RT score whatever its review
status (`Observation.status`, moved on by `sikumuh.surveys.review`). They stay so; what the pages
add is a notice per year of the RT-years still a draft, submitted (awaiting the Pokja) or
returned, so that an official figure can be traced to approved data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from sikumuh.regions.codes import level
from sikumuh.regions.models import Level, code_at_level
from sikumuh.surveys.asof import region_filter
from sikumuh.surveys.models import Observation, Status

#: The statuses a notice counts, in the order it names them.
UNAPPROVED: tuple[str, ...] = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


@dataclass(frozen=True)
class Unapproved:
    """The RT-years of one year not approved yet, by review status."""

    tahun: int
    draft: int = 0
    submitted: int = 0
    returned: int = 0

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.returned

    def as_dict(self) -> dict[str, int]:
        """The counts for JSON (the map data of the year)."""
        return {
            "total": self.total,
            "draft": self.draft,
            "submitted": self.submitted,
            "returned": self.returned,
        }


def tally(rows: Iterable[tuple[int, str, int]]) -> list[Unapproved]:
    """(tahun, status, RT-years) rows → the years with data not approved, newest first.

    Approved rows (and any unknown status) are left out; a year with only approved data has no
    entry, so an empty list means "everything shown is approved"."""
    counts: dict[int, dict[str, int]] = {}
    for tahun, status, n in rows:
        if status in UNAPPROVED and n:
            year = counts.setdefault(tahun, {})
            year[status] = year.get(status, 0) + n
    return [Unapproved(tahun, **counts[tahun]) for tahun in sorted(counts, reverse=True)]


def unapproved_years(code: str, tahun: int | None = None) -> list[Unapproved]:
    """The RT-years not approved in a region (or `NATIONAL`) per year, newest first (only
    `tahun`, if given): one aggregate query, whatever the size of the region.

    Notes
    -----
    The same RT-years as the dashboard's figures: an RT counts in its desa and every region
    above it (the codes `Score` copies from the RT's desa). Read through the partial index
    ``observation_unapproved`` (year, status, RT of the rows *not* approved: usually few):

    * nationally from that index alone;
    * in a province from that index and the RT's desa code (prefix), not from the province's
      `Score` rows — those are tens of thousands, the data awaiting review a few hundred;
    * from a kabupaten/kota down from the region's `Score` rows (indexed code column, a few
      thousand rows at most, as the dashboard's own figures read them).

    On SQLite with 61,644 RT-years (`bench/dashboard_data.py`), 20 % of them not approved:
    national 1.4 ms, the largest province 3.2 ms, a kabupaten 0.5 ms; without the index the
    national count scans every observation (10 ms there, some 80 ms at 500,000).
    """
    lvl = level(code)
    if lvl == 0:
        inside = Q()
    elif lvl == Level.PROVINSI:
        # Through `__code`, the regions' primary key: the RT's desa_id column, no join.
        inside = Q(rt__desa__code__startswith=code + ".")
    else:
        inside = region_filter(code, prefix="score__")
    rows = Observation.objects.filter(inside).exclude(status=Status.APPROVED)
    if tahun is not None:
        rows = rows.filter(tahun=tahun)
    return tally(rows.values_list("tahun", "status").annotate(n=Count("id")).order_by())


def tally_rows(rows: Iterable[Mapping[str, Any]]) -> list[Unapproved]:
    """:func:`tally` over observation rows already loaded (one per RT-year, with ``tahun`` and
    ``status``): the location page counts what it read, without another query."""
    return tally((row["tahun"], row["status"], 1) for row in rows)


def common_region(desa_codes: Iterable[str]) -> str | None:
    """The smallest region holding all these desa (itself, their kecamatan, kabupaten or
    province): where the review page lists them all. None for none, or several provinces."""
    codes = set(desa_codes)
    for lvl in (Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI):
        found = {code_at_level(c, lvl) for c in codes}
        if len(found) == 1:
            return found.pop()
    return None
