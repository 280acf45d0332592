"""The rows of the delineation export: every location of a region with its polygon, the
hectares of the SK in force, its delineated hectares and the score of its RTs.

Only rows (`LocationExport`); `sikumuh.io.geo.write` renders them as GeoJSON or a zipped
Shapefile. Here, in io, because a row joins the slum locations with the survey figures.
"""

from __future__ import annotations

from typing import Any

from sikumuh.core.criteria import SlumClass
from sikumuh.core.geometry import Flag, GeometryCheck, check_geometry, compare_area, to_geojson
from sikumuh.io.geo.write import LocationExport
from sikumuh.regions.codes import location_inside
from sikumuh.slums.delineation_selectors import in_force_ids, polygon_shape, with_figures
from sikumuh.slums.models import Location
from sikumuh.surveys.location_status import location_statuses


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
        with_figures(Location.objects.filter(location_inside(code)), in_force_ids(code, tahun))
    )
    # As of its latest year: every RT with its latest observation (criteria.md §9).
    statuses = location_statuses([location.pk for location in locations])
    rows = []
    for location in locations:
        status = statuses.get(location.pk)
        result = status.result if status else None
        klass = result.klass if result else None
        check = check_geometry(polygon_shape(location.polygon))
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
                tahun=status.tahun if status else None,
                klass=None if klass is None else klass.value,
                klass_label="" if klass is None else SlumClass(klass).label_id,
                total=result.total if result else None,
                geometry=_exportable(check),
            )
        )
    return rows
