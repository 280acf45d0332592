"""Reads for the delineation pages: locations of a region with their polygons, SK hectares and
versions, in a fixed number of queries whatever their number.

The reads that go with a file live above, in io: the locations an upload may deliver polygons
for (`sikumuh.io.geo.delineation.location_refs`) and the export's rows with each location's
score (`sikumuh.io.geo.export.export_rows`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import (
    AreaComparison,
    Flag,
    GeometryCheck,
    GeometryError,
    check_geometry,
    compare_area,
    find_overlaps,
    parse_geojson,
)
from sikumuh.regions.codes import location_inside
from sikumuh.slums.models import Location, LocationGeometry, SkLocation
from sikumuh.slums.sk_in_force import decrees_in_force, this_year


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


def with_figures(queryset: QuerySet[Location], decree_ids: list[int]) -> QuerySet[Location]:
    """The locations with their desa and kecamatan, the hectares of the SK versions
    `decree_ids` (``declared_ha``) and their number of delineation versions (``versions``)."""
    return (
        queryset.select_related("desa__parent")
        .annotate(declared_ha=_declared_ha(decree_ids), versions=Count("geometries"))
        .order_by("kabupaten_id", "code")
    )


def polygon_shape(polygon: dict[str, Any] | None) -> BaseGeometry | None:
    """A stored polygon as a shape, or None when there is none or it is not GeoJSON at all (the
    geometry check then says so)."""
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
        with_figures(Location.objects.filter(location_inside(code)), in_force_ids(code, tahun))
    )
    rows = []
    for location in locations:
        declared: Decimal | None = location.declared_ha  # type: ignore[attr-defined]
        check = check_geometry(polygon_shape(location.polygon))
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


def location_versions(location: Location) -> list[LocationGeometry]:
    """The versions of one location, newest first, with who uploaded them (one query)."""
    return list(
        LocationGeometry.objects.filter(location=location)
        .select_related("uploaded_by")
        .order_by("-version")
    )


def location_with_figures(pk: int, tahun: int | None = None) -> Location | None:
    """One location with the hectares of the SK in force in `tahun` (``declared_ha``) and its
    ``versions`` count (three queries)."""
    kabupaten = Location.objects.filter(pk=pk).values_list("kabupaten_id", flat=True).first()
    if kabupaten is None:
        return None
    located = Location.objects.filter(pk=pk).select_related("kabupaten")
    return with_figures(located, in_force_ids(kabupaten, tahun)).first()


def neighbours(location: Location) -> list[Location]:
    """The other delineated locations of its kabupaten, for the overlap check (one query)."""
    return list(
        Location.objects.filter(kabupaten_id=location.kabupaten_id, polygon__isnull=False)
        .exclude(pk=location.pk)
        .only("code", "name", "desa_id", "kabupaten_id", "polygon")
    )
