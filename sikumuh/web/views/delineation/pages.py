"""The delineation pages: a region's locations with their polygons, and one location's versions."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sikumuh.core.geometry import (
    check_geometry,
    compare_area,
    find_overlaps,
    parse_geojson,
    to_geojson,
    utm_area_ha,
    utm_epsg,
)
from sikumuh.io.geo import ACCEPT, MATCH_FIELD_HINTS
from sikumuh.regions.models import Level, Region, code_at_level
from sikumuh.slums.delineation_selectors import (
    delineation_table,
    location_versions,
    location_with_figures,
    neighbours,
    region_code_of,
)
from sikumuh.slums.models import Location
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.views.delineation.labels import flag_labels, table_map


def can_upload(request: HttpRequest, region: Region | None) -> bool:
    """Uploads are matched against one kabupaten's locations (codes are unique per kabupaten),
    so they are taken on a kabupaten, kecamatan or desa page, by an editor or admin there."""
    return bool(
        region is not None
        and region.level >= Level.KABUPATEN
        and scope_of(request).can_edit(region.code)
    )


@require_GET
@login_required
def delineation(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    rows = delineation_table(code)
    delineated = [row for row in rows if row.check.area_ha is not None]
    return render(
        request,
        "web/delineation/index.html",
        {
            "region": region,
            "region_code": code,
            "rows": [(row, flag_labels(row.flags)) for row in rows],
            "summary": {
                "locations": len(rows),
                "delineated": len(delineated),
                "flagged": sum(1 for row in rows if row.flags),
                "sk_ha": sum((row.declared_ha or Decimal(0) for row in rows), Decimal(0)),
                "delineated_ha": sum(
                    (row.comparison.computed_ha for row in delineated if row.comparison),
                    Decimal(0),
                ),
            },
            "map_data": table_map(rows),
            "can_upload": can_upload(request, region),
            "accept": ACCEPT,
            "match_hints": MATCH_FIELD_HINTS,
        },
    )


def location_or_404(request: HttpRequest, pk: int) -> Location:
    location = location_with_figures(pk)
    if location is None or not scope_of(request).can_view(region_code_of(location)):
        raise Http404("location not found")
    return location


def nav_region(request: HttpRequest, location: Location) -> str:
    """The widest region around the location that the user may see, for the navigation."""
    scope = scope_of(request)
    own = region_code_of(location)
    for level in (Level.KABUPATEN, Level.KECAMATAN, Level.DESA):
        code = code_at_level(own, level)
        if code and scope.can_view(code):
            return code
    return own


@require_GET
@login_required
def location_geometry(request: HttpRequest, pk: int) -> HttpResponse:
    location = location_or_404(request, pk)
    versions = location_versions(location)
    declared = location.declared_ha  # type: ignore[attr-defined]
    check = check_geometry(parse_geojson(location.polygon)) if location.polygon else None
    current = None
    if check is not None and check.geometry is not None and check.area_ha is not None:
        scope = scope_of(request)
        others = [
            (other.code, parse_geojson(other.polygon))
            for other in neighbours(location)
            if other.polygon and scope.can_view(region_code_of(other))
        ]
        overlaps = [
            (o.b if o.a == location.code else o.a, o.area_ha)
            for o in find_overlaps([(location.code, check.geometry), *others])
            if location.code in (o.a, o.b)
        ]
        current = {
            "comparison": compare_area(check.area_ha, declared),
            "utm_ha": compare_area(utm_area_ha(check.geometry), None).computed_ha,
            "utm_epsg": utm_epsg(check.geometry),
            "overlaps": overlaps,
        }
    flags = [issue.flag.value for issue in check.issues] if check else ["missing"]
    return render(
        request,
        "web/delineation/location.html",
        {
            "location": location,
            "region_code": nav_region(request, location),
            "declared_ha": declared,
            "versions": versions,
            "current": current,
            "flags": flag_labels(flags),
            "map_data": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": to_geojson(parse_geojson(v.geometry)),
                        "properties": {"label": f"v{v.version}", "current": v.is_current},
                    }
                    for v in reversed(versions)
                ],
            },
            "can_upload": scope_of(request).can_edit(region_code_of(location)),
        },
    )
