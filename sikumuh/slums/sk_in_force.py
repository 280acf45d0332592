"""Which SK version is in force in a year (criteria.md §9): the latest version with a decree
date on or before 31 December of the year. A later SK never changes an earlier year; a
location a later SK dropped keeps its history and is simply not in the later version.

Pure choice (:func:`pick_in_force`) split from the one read (:func:`decrees_in_force`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from sikumuh.slums.models import SkDecree
from sikumuh.slums.selectors import decrees_inside


def decree_day(decree: SkDecree) -> dt.date:
    """The day a decree counts from: its date, or 31 December of its year when no date was
    entered (an SK registered with its year only is in force from that year on)."""
    return decree.date or dt.date(decree.year, 12, 31)


def pick_in_force(decrees: Iterable[SkDecree], year: int) -> dict[str, SkDecree]:
    """Pure part of :func:`decrees_in_force`: per kabupaten, the latest version decreed on or
    before 31 December of `year` (criteria.md §9); the one registered last on a tie."""
    last_day = dt.date(year, 12, 31)
    chosen: dict[str, SkDecree] = {}
    for decree in decrees:
        if decree_day(decree) > last_day:
            continue
        current = chosen.get(decree.kabupaten_id)
        if current is None or (decree_day(decree), decree.pk) > (decree_day(current), current.pk):
            chosen[decree.kabupaten_id] = decree
    return chosen


def decrees_in_force(region_code: str, year: int) -> dict[str, SkDecree]:
    """The SK in force in `year` of every kabupaten holding or inside `region_code`, by
    kabupaten code. One query (a kabupaten has a handful of versions)."""
    decrees = SkDecree.objects.filter(decrees_inside(region_code)).select_related(
        "kabupaten", "supersedes"
    )
    return pick_in_force(decrees, year)


def this_year() -> int:
    """The year "today" is in (pages about now compare with the SK in force this year)."""
    return timezone.localdate().year
