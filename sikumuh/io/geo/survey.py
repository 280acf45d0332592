"""A geometry file checked on its own, without locations to match: what `sikumuh geo check`
reports (issue #11 §1). Each feature goes through the same judgement as a delineation upload
(`check.judge_geometry`); on top, features are compared with each other: the same polygon twice
(duplicate) and shared area (overlap, from `core.geometry.find_overlaps`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import WGS84, Flag, find_overlaps, normalise_crs
from sikumuh.io.geo.check import judge_geometry
from sikumuh.io.geo.read import GeoFile

DUPLICATE = "duplicate"
#: The areas in JSON: 6 decimals of a hectare (0.01 m²), so that a sliver of 2 m² is not off by
#: 13 % from rounding alone, as it was at 4.
AREA_DECIMALS = 6
#: GDAL's KML drivers give every placemark the KML standard fields; unset they read as empty or
#: as these defaults (LIBKML: -1 for "not given"). Such values are no attribute of the layer.
KML_FORMATS = frozenset({"KML", "KMZ"})
KML_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "tessellate": (-1,),
    "extrude": (0,),
    "visibility": (-1,),
}
KML_FIELDS = frozenset(
    {
        "id",
        "Name",
        "description",
        "timestamp",
        "begin",
        "end",
        "altitudeMode",
        "drawOrder",
        "icon",
        *KML_DEFAULTS,
    }
)


@dataclass
class SurveyedFeature:
    index: int  # 1-based, in file order across layers (the upload report's "feature")
    layer: str
    properties: dict[str, Any]
    valid: bool = False  # a polygon with valid rings, in (lon, lat) order, inside Indonesia
    area_ha: float | None = None  # geodesic (WGS 84 ellipsoid), when valid
    source_crs: str = ""
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, reason)
    geometry: BaseGeometry | None = None  # EPSG:4326, when valid

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "layer": self.layer,
            "valid": self.valid,
            "area_ha": None if self.area_ha is None else round(self.area_ha, AREA_DECIMALS),
            "source_crs": self.source_crs,
            "issues": [{"code": code, "reason": reason} for code, reason in self.issues],
            "properties": {k: _plain(v) for k, v in self.properties.items()},
        }


@dataclass
class Survey:
    file: str
    format: str
    assumed_crs: str | None  # set when some layer did not say its CRS
    features: list[SurveyedFeature]

    @property
    def total_ha(self) -> float:
        return sum(f.area_ha for f in self.features if f.area_ha is not None)

    @property
    def valid(self) -> int:
        return sum(1 for f in self.features if f.valid)

    @property
    def with_issues(self) -> int:
        return sum(1 for f in self.features if f.issues)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "assumed_crs": self.assumed_crs,
            "features": [f.as_dict() for f in self.features],
            "total": {
                "features": len(self.features),
                "valid": self.valid,
                "with_issues": self.with_issues,
                "area_ha": round(self.total_ha, AREA_DECIMALS),
            },
        }


def survey(geofile: GeoFile, *, source_crs: str | None = None) -> Survey:
    """Every feature judged, then compared with the others. `source_crs` is used only for
    layers whose file gives no CRS (EPSG:4326 otherwise, as the upload assumes)."""
    default_crs = normalise_crs(source_crs) if source_crs else WGS84
    assumed = default_crs if any(f.crs is None for f in geofile.features) else None
    results: list[SurveyedFeature] = []
    kml = geofile.format in KML_FORMATS
    for feature in geofile.features:
        judged = judge_geometry(feature, default_crs, fix_swapped=False)
        results.append(
            SurveyedFeature(
                index=feature.number,
                layer=feature.layer,
                properties=_given(feature.properties) if kml else feature.properties,
                valid=judged.geometry is not None,
                area_ha=judged.area_ha,
                source_crs=judged.source_crs,
                issues=list(judged.issues),
                geometry=judged.geometry,
            )
        )
    _compare(results)
    return Survey(geofile.name, geofile.format, assumed, results)


def _compare(results: list[SurveyedFeature]) -> None:
    """Duplicates (the same polygon as an earlier feature) and overlaps between valid features."""
    usable = [(r.index, r.geometry) for r in results if r.geometry is not None]
    by_index = {r.index: r for r in results}
    for overlap in find_overlaps(usable):
        first, second = sorted((overlap.a, overlap.b))
        a, b = by_index[first].geometry, by_index[second].geometry
        if a is not None and b is not None and shapely.equals(a, b):
            reason = _("the same polygon as feature %(n)d") % {"n": first}
            by_index[second].issues.append((DUPLICATE, reason))
            continue
        for mine, theirs in ((first, second), (second, first)):
            reason = _("overlaps feature %(n)d by %(ha).4f ha") % {
                "n": theirs,
                "ha": overlap.area_ha,
            }
            by_index[mine].issues.append((Flag.OVERLAP.value, reason))


def _given(properties: dict[str, Any]) -> dict[str, Any]:
    """A KML placemark's attributes without the standard fields left empty or at default."""
    return {
        name: value
        for name, value in properties.items()
        if name not in KML_FIELDS
        or not (value is None or value == "" or value in KML_DEFAULTS.get(name, ()))
    }


def _plain(value: Any) -> Any:
    """An attribute value JSON can hold, as given otherwise."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)
