"""Delineation: upload location polygons, check them, keep every version, export them."""

from __future__ import annotations

from sikumuh.web.views.delineation.exports import locations_geojson, locations_shapefile
from sikumuh.web.views.delineation.pages import delineation, location_geometry
from sikumuh.web.views.delineation.upload import delineation_upload

__all__ = [
    "delineation",
    "delineation_upload",
    "location_geometry",
    "locations_geojson",
    "locations_shapefile",
]
