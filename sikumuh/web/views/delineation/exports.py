"""The locations of a region with their polygons and figures, as GeoJSON and zipped Shapefile."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from sikumuh.io.geo import geojson_bytes, shapefile_zip_bytes
from sikumuh.io.geo.export import export_rows
from sikumuh.web.scoping import login_required, region_or_404


def _attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@require_GET
@login_required
def locations_geojson(request: HttpRequest, code: str) -> HttpResponse:
    region_or_404(request, code)
    # RFC 7946 §12: GeoJSON's media type.
    return _attachment(
        geojson_bytes(export_rows(code)), "application/geo+json", f"lokasi-{code}.geojson"
    )


@require_GET
@login_required
def locations_shapefile(request: HttpRequest, code: str) -> HttpResponse:
    region_or_404(request, code)
    name = f"lokasi-{code.replace('.', '_')}"
    return _attachment(
        shapefile_zip_bytes(export_rows(code), name=name), "application/zip", f"{name}-shp.zip"
    )
