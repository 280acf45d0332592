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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from sikumuh.core.asof import Coverage, as_of_series, coverage, series_years
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
    """Every year of a region's series as of that year (one query over the region's RT scores;
    bounded by a kabupaten's RTs on the pages, the whole country only from the command line)."""
    fields = ["tahun", "klass", "luas_ha", *([child_field] if child_field else [])]
    scores = (
        Score.objects.filter(region_filter(code), _status_q(status, "observation__"))
        .values(*fields, rt=F("observation__rt_id"))
        .order_by()
    )
    rows = list(scores)
    years = series_years(r["tahun"] for r in rows)
    series = as_of_series(rows, years, unit=_rt, year=_tahun)
    grouped: list[dict[str, Any]] = []
    covered: dict[int, Coverage] = {}
    for tahun, counted in series.items():
        covered[tahun] = coverage(tahun, (r["tahun"] for r in counted.values()))
        grouped.extend(_group(tahun, counted.values(), child_field))
    return AsOfGroups(grouped, covered)


def _rt(row: Mapping[str, Any]) -> int:
    return int(row["rt"])


def _tahun(row: Mapping[str, Any]) -> int:
    return int(row["tahun"])


def _group(tahun: int, rows: Any, child_field: str | None) -> list[dict[str, Any]]:
    sums: dict[tuple[Any, Any], list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    for row in rows:
        item = sums[(row[child_field] if child_field else None, row["klass"])]
        item[0] += row["luas_ha"] or Decimal(0)
        item[1] += 1
    result = []
    for (child, klass), (ha, n) in sums.items():
        row = {"tahun": tahun, "klass": klass, "ha": ha, "n": n}
        if child_field:
            row[child_field] = child
        result.append(row)
    return result
