"""Which SK version is in force in a year (criteria.md §9): the latest version with a decree
date on or before 31 December of the year. A later SK never changes an earlier year; a
location a later SK dropped keeps its history and is simply not in the later version.

Pure choice (:func:`pick_in_force`) split from the one read (:func:`decrees_in_force`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from sikumuh.core.asof import Version, in_force
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree
from sikumuh.slums.selectors import decrees_inside


def as_version(decree: SkDecree) -> Version:
    """The decree as the core's rule sees it (a version without a date counts from 1 January
    of its year: registered with its year only, it is in force from that year on)."""
    return Version(key=decree.pk, date=decree.date, year=decree.year)


def pick_in_force(decrees: Iterable[SkDecree], year: int) -> dict[str, SkDecree]:
    """Pure part of :func:`decrees_in_force`: per kabupaten, the version the core's
    :func:`sikumuh.core.asof.in_force` chooses for `year`."""
    by_kabupaten: dict[str, dict[int, SkDecree]] = defaultdict(dict)
    for decree in decrees:
        by_kabupaten[decree.kabupaten_id][decree.pk] = decree
    chosen: dict[str, SkDecree] = {}
    for kabupaten, versions in by_kabupaten.items():
        version = in_force((as_version(d) for d in versions.values()), year)
        if version is not None:
            chosen[kabupaten] = versions[version.key]
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


def sk_version_in_force(region_code: str, year: int) -> SkDecree | None:
    """The SK in force in `year` for the kabupaten holding `region_code` (a kabupaten/kota or a
    region inside it): the latest version with a decree date on or before 31 December of
    `year` (criteria.md §9). A later SK never changes an earlier year. None above a kabupaten
    or without one. One query."""
    if region_code == NATIONAL or level_of(region_code) < Level.KABUPATEN:
        return None
    return decrees_in_force(region_code[:5], year).get(region_code[:5])


def sk_versions_in_force(code: str, year: int) -> list[SkDecree]:
    """The SK in force in `year` of every kabupaten/kota inside (or holding) `code`, by
    kabupaten code (one query)."""
    return sorted(decrees_in_force(code, year).values(), key=lambda d: d.kabupaten_id)
