"""Reads for the dashboards, the map, the location and the RT pages.

Every figure of a region comes from stored rows grouped in SQL, whatever the number of RTs: the
`Score` rows (one per RT-year, with the region codes copied onto them and indexed) from a
kabupaten/kota down, the `LocationScore` rows (one per location-year, kept current by the write
paths: `sikumuh.surveys.location_scores`) for a province and the country. A location's class is
scored from the *sum of its RTs' volumes* (criteria.md §5), which SQL cannot sum (volumes are
JSON): it is read from `LocationScore`; the on-the-fly computation it replaced
(:func:`location_years_from_rts`, :func:`years_from_scores`) stays as the reference that tests
and `bench/dashboard_bench.py` compare it with. The national and provincial dashboards list no
locations.

The dashboards count the stored RT data whatever their review status (the working view, the
demo and the benchmarks rely on it); :func:`unapproved_years` says how many of them the Pokja has
not approved yet, for the pages' notice. The reports pass ``status`` (`surveys.asof.APPROVED`:
the official figures, criteria.md §9), read from the RT scores rather than the summaries.

Each function answers one page in a fixed number of queries (tests pin them); fetching and
calculating are split so the calculations can be read (and tested) apart.
"""

from __future__ import annotations

from sikumuh.regions.codes import level, location_inside
from sikumuh.surveys.dashboard.figures import (
    CLASS_KEYS,
    SLUM_KEYS,
    ClassArea,
    SkFigures,
    YearArea,
    has_location_classes,
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
    location_years_from_rts,
    map_locations,
    score_location_rows,
)
from sikumuh.surveys.dashboard.region import (
    ChildRow,
    RegionDashboard,
    UnknownYear,
    ancestors,
    region_dashboard,
    region_years,
    years_from_location_scores,
    years_from_scores,
)
from sikumuh.surveys.dashboard.unapproved import Unapproved, unapproved_years
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
    "Unapproved",
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
    "location_years_from_rts",
    "map_locations",
    "region_dashboard",
    "region_years",
    "rt_detail",
    "score_location_rows",
    "sk_figures",
    "unapproved_years",
    "what_if",
    "years_from_location_scores",
    "years_from_scores",
]
