"""Figures "as of" a year, and how complete each year is (criteria.md §9).

A regency never re-surveys every RT on the same day, so the figures of a region for year Y are
**as of Y**: every RT counts with its latest observation of a year ≤ Y; an RT with no observation
up to Y does not count. Each year says how complete it is: RTs observed in Y, RTs carried from
earlier years (and from which), the total, and whether Y is complete (every counted RT observed
in Y). Pages open on the latest complete year; a later incomplete year is provisional.

The SK in force for a year (:func:`in_force`) is the same idea for the decree.

Pure functions over any records: the caller says how to read a record's unit (RT) and year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

R = TypeVar("R")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Coverage:
    """How complete year `tahun` is: RTs observed in it and RTs carried, by their year."""

    tahun: int
    observed: int
    carried: Mapping[int, int] = field(default_factory=dict)

    @property
    def carried_total(self) -> int:
        return sum(self.carried.values())

    @property
    def total(self) -> int:
        return self.observed + self.carried_total

    @property
    def complete(self) -> bool:
        """Every counted RT observed in the year itself (a year with no RT is not complete)."""
        return self.total > 0 and self.carried_total == 0


#: The key of `Coverage.carried` for RTs carried from earlier years not told apart (the
#: national and provincial sums of the stored summaries keep only how many).
EARLIER = 0


def summed_coverage(tahun: int, observed: int, total: int) -> Coverage:
    """A coverage known only by its counts: `total` RTs counted, `observed` of them in `tahun`."""
    carried = total - observed
    return Coverage(tahun, observed, {EARLIER: carried} if carried else {})


def series_years(years: Iterable[int]) -> list[int]:
    """The years of a region's series: those with at least one observation, ascending."""
    return sorted(set(years))


def as_of(
    rows: Iterable[R], tahun: int, *, unit: Callable[[R], K], year: Callable[[R], int]
) -> dict[K, R]:
    """Each unit's latest record of a year ≤ `tahun` (units without one are left out).

    Two records of one unit in one year (not possible for stored observations) keep the last.
    """
    chosen: dict[K, R] = {}
    for row in rows:
        y = year(row)
        if y > tahun:
            continue
        key = unit(row)
        held = chosen.get(key)
        if held is None or year(held) <= y:
            chosen[key] = row
    return chosen


def as_of_series(
    rows: Iterable[R], years: Sequence[int], *, unit: Callable[[R], K], year: Callable[[R], int]
) -> dict[int, dict[K, R]]:
    """:func:`as_of` for each of `years` at once: one pass over the records sorted by year,
    then each year's set is the running latest (O(records + years × units))."""
    ordered = sorted(rows, key=year)
    result: dict[int, dict[K, R]] = {}
    running: dict[K, R] = {}
    position = 0
    for tahun in sorted(years):
        while position < len(ordered) and year(ordered[position]) <= tahun:
            running[unit(ordered[position])] = ordered[position]
            position += 1
        result[tahun] = dict(running)
    return result


def coverage(tahun: int, years_counted: Iterable[int]) -> Coverage:
    """The coverage of `tahun` from the years of the records counted as of it."""
    observed = 0
    carried: dict[int, int] = defaultdict(int)
    for y in years_counted:
        if y > tahun:
            raise ValueError(f"a record of {y} cannot count as of {tahun}")
        if y == tahun:
            observed += 1
        else:
            carried[y] += 1
    return Coverage(tahun, observed, dict(sorted(carried.items())))


def default_year(coverages: Iterable[Coverage]) -> int | None:
    """The year a page opens on: the latest complete year, else the latest year (None: none)."""
    items = sorted(coverages, key=lambda c: c.tahun)
    complete = [c.tahun for c in items if c.complete]
    if complete:
        return complete[-1]
    return items[-1].tahun if items else None


def provisional_years(coverages: Iterable[Coverage]) -> list[int]:
    """Incomplete years after the latest complete one: shown as provisional (sementara)."""
    items = sorted(coverages, key=lambda c: c.tahun)
    opened = default_year(items)
    return [c.tahun for c in items if not c.complete and opened is not None and c.tahun > opened]


@dataclass(frozen=True)
class Version:
    """An SK version as the in-force rule reads it: its key, decree date (None: unknown, then
    1 January of its year), year and registration order."""

    key: int
    date: dt.date | None
    year: int

    @property
    def effective(self) -> dt.date:
        return self.date or dt.date(self.year, 1, 1)


def in_force(versions: Iterable[Version], tahun: int) -> Version | None:
    """The SK in force for `tahun` (criteria.md §9): the latest version with a decree date on
    or before 31 December of `tahun` (by date, then registered last). A later SK never changes
    an earlier year."""
    end = dt.date(tahun, 12, 31)
    eligible = [v for v in versions if v.effective <= end]
    return max(eligible, key=lambda v: (v.effective, v.key), default=None)
