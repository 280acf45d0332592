"""URLs of the dashboards (names fixed: the navigation and the home page link to
``web:dashboard``). ``<code>`` is a Kemendagri code, or "ID" for the national level."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import dashboard

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/", dashboard.dashboard, name="dashboard"),
    path("wilayah/<str:code>/peta.geojson", dashboard.map_data, name="map_data"),
    path(
        "wilayah/<str:code>/kumuh-akhir/",
        dashboard.region_projection,
        name="region_projection",
    ),
    path("lokasi/<int:pk>/", dashboard.location, name="location"),
    path(
        "lokasi/<int:pk>/kumuh-akhir/",
        dashboard.location_projection,
        name="location_projection",
    ),
    path("rt/<int:pk>/", dashboard.rt, name="rt"),
]
