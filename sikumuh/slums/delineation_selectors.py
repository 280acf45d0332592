"""Reads for the delineation pages and exports: locations of a region with their polygons, SK
hectares, versions and latest scores, in a fixed number of queries whatever their number."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from shapely.geometry.base import BaseGeometry

from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.core.geometry import (
    AreaComparison,
    Flag,
    GeometryCheck,
    GeometryError,
    check_geometry,
    compare_area,
    find_overlaps,
    parse_geojson,
    to_geojson,
)
from sikumuh.io.geo import LocationExport, LocationRef
from sikumuh.regions.codes import location_inside
from sikumuh.slums.models import Location, LocationGeometry, SkLocation
from sikumuh.slums.sk_in_force import decrees_in_force, this_year
from sikumuh.surveys.asof import as_of_observations
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import score_observations


def region_code_of(location: Location) -> str:
    """The region that scopes a location: its desa, or its kabupaten when it has none."""
    return location.desa_id or location.kabupaten_id


def _declared_ha(decree_ids: list[int]) -> Subquery:
    """The hectares the SK in force gives the location (None when it does not list it: a
    location a later SK dropped keeps its history but is not compared with the old entry)."""
    return Subquery(
        SkLocation.objects.filter(location=OuterRef("pk"), decree_id__in=decree_ids).values(
            "luas_ha"
        )[:1]
    )


def in_force_ids(code: str, tahun: int | None) -> list[int]:
    """The SK versions in force in `tahun` (default: this year) of the kabupaten of `code`."""
    year = this_year() if tahun is None else tahun
    return [decree.pk for decree in decrees_in_force(code, year).values()]


def _with_figures(queryset: QuerySet[Location], decree_ids: list[int]) -> QuerySet[Location]:
    return (
        queryset.select_related("desa__parent")
        .annotate(declared_ha=_declared_ha(decree_ids), versions=Count("geometries"))
        .order_by("kabupaten_id", "code")
    )


def _shape(polygon: dict[str, Any] | None) -> BaseGeometry | None:
    if not polygon:
        return None
    try:
        return parse_geojson(polygon)
    except GeometryError:
        return None


@dataclass
class DelineationRow:
    location: Location
    declared_ha: Decimal | None
    versions: int
    check: GeometryCheck
    comparison: AreaComparison | None
    overlaps: list[tuple[str, float]] = field(default_factory=list)  # (other code, ha)

    @property
    def flags(self) -> list[str]:
        flags = [issue.flag.value for issue in self.check.issues]
        if self.overlaps:
            flags.append(Flag.OVERLAP.value)
        if self.comparison is not None and self.comparison.differs:
            flags.append(Flag.AREA_DIFFERS.value)
        return flags


def delineation_table(code: str, tahun: int | None = None) -> list[DelineationRow]:
    """Every location of the region with the hectares of the SK in force in `tahun` (default:
    this year), delineated area, versions and flags (two queries; the geometry checks and
    overlap search run in memory)."""
    locations = list(
        _with_figures(Location.objects.filter(location_inside(code)), in_force_ids(code, tahun))
    )
    rows = []
    for location in locations:
        declared: Decimal | None = location.declared_ha  # type: ignore[attr-defined]
        check = check_geometry(_shape(location.polygon))
        comparison = None if check.area_ha is None else compare_area(check.area_ha, declared)
        rows.append(
            DelineationRow(location, declared, location.versions, check, comparison)  # type: ignore[attr-defined]
        )
    by_pk = {row.location.pk: row for row in rows}
    items = [(row.location.pk, row.check.geometry) for row in rows if row.check.area_ha]
    for overlap in find_overlaps(items):
        a, b = by_pk[overlap.a], by_pk[overlap.b]
        a.overlaps.append((b.location.code, overlap.area_ha))
        b.overlaps.append((a.location.code, overlap.area_ha))
    return rows


def location_refs(
    code: str, *, may_edit: Any = None, tahun: int | None = None
) -> list[LocationRef]:
    """The locations a file uploaded on the page of `code` may deliver polygons for, with the
    hectares of the SK in force in `tahun` (two queries).

    `may_edit(region_code) -> bool` narrows them to what the user may change."""
    refs = []
    inside = Location.objects.filter(location_inside(code))
    for location in _with_figures(inside, in_force_ids(code, tahun)):
        if may_edit is not None and not may_edit(region_code_of(location)):
            continue
        refs.append(
            LocationRef(
                pk=location.pk,
                code=location.code,
                name=location.name,
                declared_ha=location.declared_ha,  # type: ignore[attr-defined]
                geometry=_shape(location.polygon),
            )
        )
    return refs


def location_versions(location: Location) -> list[LocationGeometry]:
    """The versions of one location, newest first, with who uploaded them (one query)."""
    return list(
        LocationGeometry.objects.filter(location=location)
        .select_related("uploaded_by")
        .order_by("-version")
    )


def _exportable(check: GeometryCheck) -> dict[str, Any] | None:
    """The stored polygon as it is (flaws included: the export shows what is stored), unless it
    is not a polygon at all, which a polygon Shapefile cannot hold."""
    if check.geometry is None or Flag.NOT_POLYGON in check.flags:
        return None
    return to_geojson(check.geometry)


def export_rows(code: str, tahun: int | None = None) -> list[LocationExport]:
    """Every location of the region with its polygon, the hectares of the SK in force in
    `tahun`, its delineated hectares and the score of its RTs as of now (summed over its RTs,
    criteria.md §5 and §9). Three queries."""
    locations = list(
        _with_figures(Location.objects.filter(location_inside(code)), in_force_ids(code, tahun))
    )
    inside = Observation.objects.filter(rt__location__in=[loc.pk for loc in locations])
    observations = (
        as_of_observations(inside, None)
        .annotate(location_pk=F("rt__location_id"))
        .only("rt_id", "tahun", "rule_set", "volumes", "percents", *HEADER_FIELDS)
        .order_by()
    )
    by_location: dict[int, list[Observation]] = defaultdict(list)
    for observation in observations:
        by_location[observation.location_pk].append(observation)
    rows = []
    for location in locations:
        tahun = klass = total = None
        label = ""
        surveyed = by_location.get(location.pk, [])
        if surveyed:
            # As of its latest year: every RT with its latest observation (criteria.md §9).
            tahun = max(o.tahun for o in surveyed)
            result = score_observations(surveyed).result
            total = result.total
            if result.klass is not None:
                klass, label = result.klass.value, SlumClass(result.klass).label_id
        check = check_geometry(_shape(location.polygon))
        desa = location.desa
        rows.append(
            LocationExport(
                code=location.code,
                name=location.name,
                desa=desa.name if desa else "",
                kecamatan=desa.parent.name if desa and desa.parent else "",
                sk_ha=location.declared_ha,  # type: ignore[attr-defined]
                computed_ha=(
                    None if check.area_ha is None else compare_area(check.area_ha, None).computed_ha
                ),
                tahun=tahun,
                klass=klass,
                klass_label=label,
                total=total,
                geometry=_exportable(check),
            )
        )
    return rows


def location_with_figures(pk: int, tahun: int | None = None) -> Location | None:
    """One location with the hectares of the SK in force in `tahun` (``declared_ha``) and its
    ``versions`` count (three queries)."""
    kabupaten = Location.objects.filter(pk=pk).values_list("kabupaten_id", flat=True).first()
    if kabupaten is None:
        return None
    located = Location.objects.filter(pk=pk).select_related("kabupaten")
    return _with_figures(located, in_force_ids(kabupaten, tahun)).first()


def neighbours(location: Location) -> list[Location]:
    """The other delineated locations of its kabupaten, for the overlap check (one query)."""
    return list(
        Location.objects.filter(kabupaten_id=location.kabupaten_id, polygon__isnull=False)
        .exclude(pk=location.pk)
        .only("code", "name", "desa_id", "kabupaten_id", "polygon")
    )
