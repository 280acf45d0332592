"""Words for the delineation pages: flag labels, and the GeoJSON the maps draw."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sikumuh.core.geometry import Flag, to_geojson
from sikumuh.io.geo import GeoAnalysis
from sikumuh.slums.delineation_selectors import DelineationRow

FLAG_LABELS = {
    Flag.MISSING: _("no polygon"),
    Flag.EMPTY: _("empty polygon"),
    Flag.NOT_POLYGON: _("not a polygon"),
    Flag.INVALID: _("invalid ring"),
    Flag.SWAPPED: _("lat/lon swapped"),
    Flag.OUTSIDE: _("outside Indonesia"),
    Flag.OVERLAP: _("overlap"),
    Flag.AREA_DIFFERS: _("area differs from SK"),
}


def flag_labels(flags: list[str]) -> list[tuple[str, str]]:
    return [(flag, str(FLAG_LABELS[Flag(flag)])) for flag in flags]


def table_map(rows: list[DelineationRow]) -> dict[str, Any]:
    """The current polygons of a region's locations (those that can be drawn)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": to_geojson(row.check.geometry),
                "properties": {
                    "label": f"{row.location.code} {row.location.name}",
                    "url": reverse("web:location_geometry", kwargs={"pk": row.location.pk}),
                    "flagged": bool(row.flags),
                },
            }
            for row in rows
            if row.check.geometry is not None and row.check.area_ha is not None
        ],
    }


def analysis_map(analysis: GeoAnalysis) -> dict[str, Any]:
    """The uploaded features as they would be saved (EPSG:4326), for the preview."""
    features = []
    for result in analysis.features:
        if result.geometry is None:
            continue
        label = f"#{result.number} {result.value}"
        if result.location is not None:
            label += f" → {result.location.code} {result.location.name}"
        features.append(
            {
                "type": "Feature",
                "geometry": to_geojson(result.geometry),
                "properties": {"label": label, "flagged": not result.ok},
            }
        )
    return {"type": "FeatureCollection", "features": features}
