"""Reads for the dashboards, the map, the location and the RT pages.

Every figure of a region comes from the stored `Score` rows (one per RT-year, with the region codes
copied onto them and indexed), grouped in SQL: slum hectares and RT counts per year × class ×
child region are one query, whatever the number of RTs. What SQL cannot sum — a location's class,
which is scored from the *sum of its RTs' volumes* (criteria.md §5), volumes being JSON — is
computed in Python from one query over the observations of one year, and only for a
kabupaten/kota and below, which bounds the work. The national and provincial dashboards show no
location classes (a stored per-location-year aggregate would lift that limit).

Each function answers one page in a fixed number of queries (tests pin them); fetching and
calculating are split so the calculations can be read (and tested) apart.
"""

from __future__ import annotations

from sikumuh.surveys.dashboard.figures import (
    CLASS_KEYS,
    SLUM_KEYS,
    ClassArea,
    SkFigures,
    YearArea,
    has_location_classes,
    level,
    location_inside,
    sk_figures,
)
from sikumuh.surveys.dashboard.locations import (
    LocationRow,
    LocationYear,
    MapLocation,
    classify_location_rows,
    geometry_of,
    latest_year,
    location_years,
    map_locations,
    score_location_rows,
)
from sikumuh.surveys.dashboard.region import (
    ChildRow,
    RegionDashboard,
    UnknownYear,
    ancestors,
    region_dashboard,
)
from sikumuh.surveys.dashboard.units import (
    CriterionRow,
    LocationDetail,
    RtDetail,
    RtRow,
    RtYear,
    SkEntry,
    criteria_rows,
    location_detail,
    rt_detail,
    what_if,
)

__all__ = [
    "CLASS_KEYS",
    "SLUM_KEYS",
    "ChildRow",
    "ClassArea",
    "CriterionRow",
    "LocationDetail",
    "LocationRow",
    "LocationYear",
    "MapLocation",
    "RegionDashboard",
    "RtDetail",
    "RtRow",
    "RtYear",
    "SkEntry",
    "SkFigures",
    "UnknownYear",
    "YearArea",
    "ancestors",
    "classify_location_rows",
    "criteria_rows",
    "geometry_of",
    "has_location_classes",
    "latest_year",
    "level",
    "location_detail",
    "location_inside",
    "location_years",
    "map_locations",
    "region_dashboard",
    "rt_detail",
    "score_location_rows",
    "sk_figures",
    "what_if",
]
