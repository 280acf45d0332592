"""Dashboards per region with drill-down, the map data, the location page and the RT page."""

from __future__ import annotations

from sikumuh.web.views.dashboard.projection import location_projection, region_projection
from sikumuh.web.views.dashboard.region import dashboard, map_data
from sikumuh.web.views.dashboard.units import location, rt

__all__ = ["dashboard", "location", "location_projection", "map_data", "region_projection", "rt"]
