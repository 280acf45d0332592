"""Slum locations of a region: their class from the sum of their RTs, their table, the map."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Max, Q

from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.core.decimals import micro_to_decimal
from sikumuh.core.scoring import UnitResult
from sikumuh.regions.codes import location_inside
from sikumuh.slums.models import Location
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter, as_of_observations, region_filter
from sikumuh.surveys.dashboard.figures import (
    YearArea,
    has_location_classes,
    to_ha,
)
from sikumuh.surveys.location_scores import AREA_FIELDS, AREA_KEYS, summarise_rows
from sikumuh.surveys.models import LocationScore, Observation, Score
from sikumuh.surveys.scoring import score_observations

# --- Locations and their classes -----------------------------------------------------------------


@dataclass
class LocationYear:
    """A location in one year: its total and class from the sum of its RTs (None: data errors),
    its RTs' hectares and counts per class, and — from :func:`score_location_rows` only — the
    full scoring result (percentages, scores, issues)."""

    total: int | None
    klass: SlumClass | None
    area: YearArea
    result: UnitResult | None = None


def _area(observations: Iterable[Mapping[str, Any]], tahun: int) -> YearArea:
    area = YearArea(tahun)
    for obs in observations:
        area.add(obs["klass"], obs["luas"], 1)
    return area


def score_location_rows(rows: Iterable[Mapping[str, Any]], tahun: int) -> dict[int, LocationYear]:
    """Observation rows of one year → each location scored from the sum of its RTs, with the
    full result (the core's exact per-unit path, `core.location.score_location`: for one
    location's page)."""
    grouped: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["location_id"]].append(row)
    located: dict[int, LocationYear] = {}
    for location_id, observations in grouped.items():
        result = score_observations(observations).result
        area = _area(observations, tahun)
        located[location_id] = LocationYear(result.total, result.klass, area, result)
    return located


def classify_location_rows(
    rows: Iterable[Mapping[str, Any]], tahun: int
) -> dict[int, LocationYear]:
    """The same totals and classes as :func:`score_location_rows`, for many locations at once:
    the stored summaries' vectorised path (`location_scores.summarise_rows`, tested equal to
    the exact one), some fifty times faster on a kabupaten's thousands of RTs."""
    summaries = summarise_rows({**row, "tahun": tahun, "source": ""} for row in rows)
    located: dict[int, LocationYear] = {}
    for (location_id, _), summary in summaries.items():
        area = YearArea(tahun)
        for key in AREA_KEYS:
            klass = None if key == "unscored" else key
            area.add(klass, micro_to_decimal(summary.ha_micro[key]), summary.rt[key])
        located[location_id] = LocationYear(summary.total, summary.klass, area)
    return located


def location_years(code: str, tahun: int, status: StatusFilter = ALL) -> dict[int, LocationYear]:
    """Every location of a region with RT data in `tahun`, with its total, class and RT figures
    as stored in `LocationScore` (one indexed query): scored from all its RTs, also those that
    lie in a neighbouring desa. Equal to :func:`location_years_from_rts` (tests check it).
    The summaries count all data: approved data only are scored from the RTs (official
    reports, criteria.md §9)."""
    if status == APPROVED:
        return location_years_from_rts(code, tahun, status)
    rows = LocationScore.objects.filter(region_filter(code), tahun=tahun).values(
        "location_id", "total", "klass", *AREA_FIELDS
    )
    return {
        row["location_id"]: LocationYear(
            row["total"],
            None if row["klass"] is None else SlumClass(row["klass"]),
            stored_area(row, tahun),
        )
        for row in rows
    }


def stored_area(row: Mapping[str, Any], tahun: int, prefix: str = "") -> YearArea:
    """The RT hectares and counts per class of a `LocationScore` row (or of sums of them, named
    ``prefix`` + column)."""
    area = YearArea(tahun)
    for key in AREA_KEYS:
        area.add(
            None if key == "unscored" else key,
            row[f"{prefix}{key}_ha"],
            row[f"{prefix}{key}_rt"] or 0,
        )
    return area


def location_years_from_rts(
    code: str, tahun: int, status: StatusFilter = ALL
) -> dict[int, LocationYear]:
    """:func:`location_years` computed on the fly from the RTs' observations (one query, then
    the batch scoring of every RT of the region): the reference the stored summaries are
    checked and benchmarked against (`bench/dashboard_bench.py`). Kabupaten/kota and below
    only: above, the work would not be bounded."""
    if not has_location_classes(code):
        raise ValueError(f"location classes are not computed above a kabupaten/kota ({code})")
    inside = location_inside(code, prefix="rt__location__")
    rows = as_of_observations(Observation.objects.filter(inside), tahun, status).values(
        "rt_id", "rule_set", "volumes", "percents", *HEADER_FIELDS,
        location_id=F("rt__location_id"), klass=F("score__klass"), luas=F("score__luas_ha"),
    )  # fmt: skip
    return classify_location_rows(rows, tahun)


@dataclass
class LocationRow:
    """One location of the dashboard's table (and, with a polygon, of the map)."""

    id: int
    code: str
    name: str
    desa_code: str | None
    desa_name: str | None
    has_polygon: bool
    sk_ha: Decimal | None
    year: LocationYear | None

    @property
    def klass(self) -> SlumClass | None:
        return None if self.year is None else self.year.klass

    @property
    def slum_ha(self) -> Decimal | None:
        return None if self.year is None else self.year.area.slum_ha


def fetch_locations(code: str) -> list[Mapping[str, Any]]:
    has_polygon = ExpressionWrapper(Q(polygon__isnull=False), output_field=BooleanField())
    return list(
        Location.objects.filter(location_inside(code))
        .order_by("code")
        .values("id", "code", "name", "desa_id", desa_name=F("desa__name"), has_polygon=has_polygon)
    )


# --- The map -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapLocation:
    """A location drawn on the map: its geometry (GeoJSON, EPSG:4326, lon/lat) and figures."""

    id: int
    code: str
    name: str
    desa_name: str | None
    geometry: dict[str, Any]
    klass: SlumClass | None
    slum_ha: Decimal | None


def latest_year(code: str) -> int | None:
    """The last year with RT data in a region (one query)."""
    result: int | None = Score.objects.filter(region_filter(code)).aggregate(t=Max("tahun"))["t"]
    return result


def map_locations(code: str, tahun: int, status: StatusFilter = ALL) -> list[MapLocation]:
    """The locations of a region that have a polygon, with their class in `tahun` (2 queries).

    Above a kabupaten/kota the class is not shown (None): only the slum hectares are read
    (from the summaries of all data: a report of approved data only maps a kabupaten or below).
    """
    rows = list(
        Location.objects.filter(location_inside(code), polygon__isnull=False)
        .order_by("code")
        .values("id", "code", "name", "polygon", desa_name=F("desa__name"))
    )
    classes: dict[int, SlumClass | None] = {}
    slum: dict[int, Decimal] = {}
    if has_location_classes(code):
        for location_id, year in location_years(code, tahun, status).items():
            classes[location_id] = year.klass
            slum[location_id] = year.area.slum_ha
    else:
        slum = {
            location_id: to_ha(ha)
            for location_id, ha in LocationScore.objects.filter(
                region_filter(code), tahun=tahun
            ).values_list("location_id", "slum_ha")
        }
    features = []
    for row in rows:
        geometry = geometry_of(row["polygon"])
        if geometry is None:
            continue
        features.append(
            MapLocation(
                id=row["id"],
                code=row["code"],
                name=row["name"],
                desa_name=row["desa_name"],
                geometry=geometry,
                klass=classes.get(row["id"]),
                slum_ha=slum.get(row["id"]),
            )
        )
    return features


def geometry_of(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry from the stored polygon (a bare geometry, or a Feature holding one)."""
    if not isinstance(value, dict):
        return None
    if value.get("type") == "Feature":
        return geometry_of(value.get("geometry"))
    if value.get("type") in {"Polygon", "MultiPolygon"} and isinstance(
        value.get("coordinates"), list
    ):
        return value
    return None
