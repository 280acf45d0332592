"""The as-of set: the one read behind every figure of a region or location (criteria.md §9).

For a region and year Y every RT counts with its latest observation of a year ≤ Y, under the
status filter in use (`ALL` data, the working view; `APPROVED` only, the official one). Two
forms of the same rule (tests check they agree):

* :func:`as_of_observations` — SQL, for one year: the observations counted as of Y (each RT's
  latest up to Y), for the reads of locations and RTs (statuses, exports, the location page);
* :func:`as_of_groups` — every year of a region's series at once, from its RT scores grouped in
  Python with the core's :func:`sikumuh.core.asof.as_of_series`, with each year's coverage (the
  dashboards from a kabupaten down, `slum-area`, the reports).

The stored location summaries (`surveys.location_scores`) hold the same as-of aggregate per
location × year for the national and provincial sums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Lead

from sikumuh.core.asof import Coverage
from sikumuh.core.decimals import to_decimal6
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level, level_of
from sikumuh.surveys.models import Observation, Score, Status

StatusFilter = Literal["all", "approved"]
ALL: StatusFilter = "all"
APPROVED: StatusFilter = "approved"
STATUS_FILTERS: tuple[StatusFilter, ...] = (ALL, APPROVED)

_LEVEL_FIELD = {
    Level.PROVINSI: "province_code",
    Level.KABUPATEN: "kabupaten_code",
    Level.KECAMATAN: "kecamatan_code",
    Level.DESA: "desa_code",
}


def region_filter(code: str, prefix: str = "") -> Q:
    """Filter on the denormalised region code columns of `Score` or `LocationScore` (or a
    relation to them, through ``prefix``)."""
    if code == NATIONAL:
        return Q()
    return Q(**{prefix + _LEVEL_FIELD[Level(level_of(code))]: code})


def _status_q(status: StatusFilter, prefix: str = "") -> Q:
    if status == APPROVED:
        return Q(**{f"{prefix}status": Status.APPROVED})
    return Q()


def as_of_observations(
    observations: QuerySet[Observation], tahun: int | None, status: StatusFilter = ALL
) -> QuerySet[Observation]:
    """Of `observations`, those counted as of `tahun` (None: as of now, each RT's latest):
    for each RT its latest observation of a year ≤ `tahun` passing the status filter. One
    query (a correlated subquery per RT, on the ``observation_unique`` (rt, tahun) index)."""
    latest = Observation.objects.filter(_status_q(status), rt_id=OuterRef("rt_id"))
    if tahun is not None:
        latest = latest.filter(tahun__lte=tahun)
    newest = latest.order_by("-tahun").values("tahun")[:1]
    return observations.filter(_status_q(status), tahun=Subquery(newest))


@dataclass
class AsOfGroups:
    """A region's series as of each year: hectares and RTs per (child, class), and coverage.

    ``rows``: dicts with ``tahun``, ``klass`` (None: unscored), ``ha``, ``n`` and the child
    field asked for (as SQL's GROUP BY gave before the as-of rule). ``coverage``: per year of
    the series (the years with at least one RT observed in the region).
    """

    rows: list[dict[str, Any]]
    coverage: dict[int, Coverage]

    @property
    def years(self) -> list[int]:
        return sorted(self.coverage)


def as_of_groups(
    code: str, *, status: StatusFilter = ALL, child_field: str | None = None
) -> AsOfGroups:
    """Every year of a region's series as of that year, in one query over the region's RT
    scores (bounded by a kabupaten's RTs on the pages, the whole country only from the command
    line).

    Each RT score holds from its year until the RT's next score (SQL's ``LEAD`` over the RT's
    scores passing the status filter): it counts in every year of the series in that span —
    the core's as-of rule (`core.asof.as_of`), grouped in SQL by year, year observed, child
    and class (a kabupaten's 11,000 RT-years summed in Python cost five times the page's
    budget). The property and scenario tests check it against an independent model.
    """
    child = f', s."{child_field}"' if child_field else ""
    fields = ["tahun", "klass", "luas_ha", *([child_field] if child_field else [])]
    scores = (
        Score.objects.filter(region_filter(code), _status_q(status, "observation__"))
        .annotate(
            next_year=Window(
                Lead("tahun"), partition_by=[F("observation__rt_id")], order_by=F("tahun").asc()
            )
        )
        .values(*fields, "next_year")
        .order_by()
    )
    inner, params = scores.query.sql_with_params()
    # The series: the years with at least one RT score in the region (criteria.md §9).
    sql = f"""
        WITH s AS ({inner})
        SELECT y.tahun, s.tahun, s.klass{child}, SUM(s.luas_ha), COUNT(*)
        FROM s JOIN (SELECT DISTINCT tahun FROM s) y
          ON s.tahun <= y.tahun AND (s.next_year IS NULL OR s.next_year > y.tahun)
        GROUP BY y.tahun, s.tahun, s.klass{child}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return _grouped(fetched, child_field)


def _grouped(fetched: list[tuple[Any, ...]], child_field: str | None) -> AsOfGroups:
    """(year, year observed, class, [child,] ha, RTs) rows → the groups and each coverage."""
    sums: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    observed: dict[int, int] = defaultdict(int)
    carried: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in fetched:
        year, seen, klass = row[0], row[1], row[2]
        child = row[3] if child_field else None
        ha, n = row[-2], row[-1]
        item = sums[(year, child, klass)]
        item[0] += to_decimal6(Decimal(str(ha))) if ha is not None else Decimal(0)
        item[1] += n
        if seen == year:
            observed[year] += n
        else:
            carried[year][seen] += n
    rows = []
    for (year, child, klass), (ha, n) in sums.items():
        out = {"tahun": year, "klass": klass, "ha": ha, "n": n}
        if child_field:
            out[child_field] = child
        rows.append(out)
    years = sorted({key[0] for key in sums})
    covered = {y: Coverage(y, observed[y], dict(sorted(carried[y].items()))) for y in years}
    return AsOfGroups(rows, covered)
