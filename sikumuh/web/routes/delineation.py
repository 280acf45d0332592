"""URLs of delineation (names fixed: the navigation links to ``web:delineation``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import delineation

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/delineasi/", delineation.delineation, name="delineation"),
    path(
        "wilayah/<str:code>/delineasi/unggah/",
        delineation.delineation_upload,
        name="delineation_upload",
    ),
    path("lokasi/<int:pk>/delineasi/", delineation.location_geometry, name="location_geometry"),
    path(
        "wilayah/<str:code>/lokasi.geojson", delineation.locations_geojson, name="locations_geojson"
    ),
    path(
        "wilayah/<str:code>/lokasi-shp.zip",
        delineation.locations_shapefile,
        name="locations_shapefile",
    ),
]
