"""Polygons of slum locations: parsing, checks, areas, overlaps and reprojection.

Pure: shapely 2 and pyproj, no Django. Every geometry the product stores is GeoJSON in EPSG:4326
with coordinates in (longitude, latitude) order (RFC 7946 §3.1.1); everything here works in that
order and says so where a library would default to another.

Areas are geodesic: pyproj's ``Geod(ellps="WGS84").geometry_area_perimeter`` runs Karney's
algorithm (GeographicLib, "Algorithms for geodesics", J. Geodesy 87, 2013) on the WGS 84
ellipsoid, which is what PostGIS's ``ST_Area(geography)`` computes ("by default area is determined
on a spheroid"), so figures agree with a PostGIS-backed GIS. The local UTM zone area is offered as
the planar figure a surveyor's GIS usually shows; the two differ by well under 0.1 % for a slum
location.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

WGS84 = "EPSG:4326"
M2_PER_HA = 10_000

# Indonesia's extent in degrees, generously rounded (Sabang ~95° E to Merauke ~141° E, Miangas
# ~5.6° N to Rote ~11° S). The two ranges do not overlap, which is what makes a swap detectable:
# an x that looks like a latitude with a y that looks like a longitude can only be swapped.
INDONESIA_LON = (94.0, 142.0)
INDONESIA_LAT = (-11.0, 6.0)

#: Overlaps smaller than this (1 m²) are rounding between polygons digitised on a shared edge.
MIN_OVERLAP_HA = 0.0001
#: A delineated area further than this from the SK hectares is flagged for a second look. No
#: regulation sets it: it is the product's choice of "worth checking", shown with the difference.
AREA_DIFFERS_PCT = Decimal(10)

_GEOD = Geod(ellps="WGS84")


class GeometryError(ValueError):
    """The input is not a geometry at all (not GeoJSON, unknown CRS): one line for the user."""


class Flag(StrEnum):
    """What can be wrong with a location's polygon (the codes the pages and reports show)."""

    MISSING = "missing"
    EMPTY = "empty"
    NOT_POLYGON = "not_polygon"
    INVALID = "invalid"
    SWAPPED = "swapped"
    OUTSIDE = "outside"
    OVERLAP = "overlap"
    AREA_DIFFERS = "area_differs"


@dataclass(frozen=True)
class Issue:
    flag: Flag
    reason: str


@dataclass(frozen=True)
class GeometryCheck:
    """A geometry checked for use as a location's polygon.

    ``geometry`` is the 2-D polygon or multipolygon as given; ``area_ha`` its geodesic area when it
    is usable (valid and inside Indonesia). When the coordinates look swapped, ``swapped`` holds
    the geometry with x and y exchanged and ``swapped_area_ha`` its area: the fix to offer.
    """

    geometry: BaseGeometry | None
    issues: tuple[Issue, ...]
    area_ha: float | None = None
    swapped: BaseGeometry | None = None
    swapped_area_ha: float | None = None

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def flags(self) -> frozenset[Flag]:
        return frozenset(issue.flag for issue in self.issues)


# --- Parsing -------------------------------------------------------------------------------------


def parse_geojson(value: Mapping[str, Any] | str) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry or Feature (a mapping or its JSON text)."""
    try:
        obj = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as exc:
        raise GeometryError(f"not JSON: {exc.msg}") from exc
    if not isinstance(obj, Mapping):
        raise GeometryError("not a GeoJSON object")
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
        if not obj:
            raise GeometryError("the feature has no geometry")
    try:
        return shape(obj)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # shapely says e.g. "A linearring requires at least 4 coordinates".
        raise GeometryError(f"not a GeoJSON geometry: {exc}") from exc
    except shapely.errors.ShapelyError as exc:  # unknown type, GEOS errors
        raise GeometryError(f"not a GeoJSON geometry: {exc}") from exc


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """The GeoJSON geometry object (lists, not tuples, so that it compares equal once stored)."""
    result: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return result


def polygon_parts(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons inside any geometry (lines and points of an intersection are dropped)."""
    return [part for part in shapely.get_parts(geometry) if isinstance(part, Polygon)]


# --- Checks --------------------------------------------------------------------------------------


def _coordinates(geometry: BaseGeometry) -> NDArray[np.float64]:
    coords: NDArray[np.float64] = shapely.get_coordinates(geometry)
    return coords


def _inside(values: NDArray[np.float64], bounds: tuple[float, float]) -> bool:
    return bool(values.size) and bool(np.all((values >= bounds[0]) & (values <= bounds[1])))


def in_indonesia(geometry: BaseGeometry) -> bool:
    coords = _coordinates(geometry)
    return _inside(coords[:, 0], INDONESIA_LON) and _inside(coords[:, 1], INDONESIA_LAT)


def looks_swapped(geometry: BaseGeometry) -> bool:
    """True when every x looks like an Indonesian latitude and every y like a longitude: the
    file was written in (lat, lon) order, as many phones and spreadsheets do."""
    coords = _coordinates(geometry)
    return _inside(coords[:, 0], INDONESIA_LAT) and _inside(coords[:, 1], INDONESIA_LON)


def swap_xy(geometry: BaseGeometry) -> BaseGeometry:
    swapped: BaseGeometry = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    return swapped


def check_geometry(geometry: BaseGeometry | None) -> GeometryCheck:
    """Everything that makes a geometry unusable as a location's polygon, with its area if usable.

    Order matters: a swapped geometry is reported as swapped (with the fix), not as "outside";
    validity is judged on the coordinates as given (a swap does not change it).
    """
    if geometry is None:
        return GeometryCheck(None, (Issue(Flag.MISSING, "no geometry"),))
    if geometry.is_empty:
        return GeometryCheck(None, (Issue(Flag.EMPTY, "the geometry is empty"),))
    if shapely.has_z(geometry):
        geometry = shapely.force_2d(geometry)
    if not isinstance(geometry, Polygon | MultiPolygon):
        return GeometryCheck(
            geometry,
            (Issue(Flag.NOT_POLYGON, f"a {geometry.geom_type}, not a polygon"),),
        )
    issues: list[Issue] = []
    valid = bool(shapely.is_valid(geometry))
    if not valid:
        # GEOS names the fault and where: "Self-intersection[114.75 -3.8]", "Ring Self-...".
        issues.append(Issue(Flag.INVALID, f"invalid ring: {shapely.is_valid_reason(geometry)}"))
    if looks_swapped(geometry):
        fixed = swap_xy(geometry)
        issues.append(
            Issue(
                Flag.SWAPPED,
                "the coordinates are in (latitude, longitude) order; GeoJSON and Shapefile "
                "want (longitude, latitude)",
            )
        )
        return GeometryCheck(
            geometry,
            tuple(issues),
            swapped=fixed,
            swapped_area_ha=geodesic_area_ha(fixed) if valid else None,
        )
    if not in_indonesia(geometry):
        minx, miny, maxx, maxy = geometry.bounds
        issues.append(
            Issue(
                Flag.OUTSIDE,
                f"coordinates ({minx:.6g}, {miny:.6g}) – ({maxx:.6g}, {maxy:.6g}) are not "
                f"longitude {INDONESIA_LON[0]:g}–{INDONESIA_LON[1]:g}, latitude "
                f"{INDONESIA_LAT[0]:g}–{INDONESIA_LAT[1]:g} (Indonesia): is the CRS right?",
            )
        )
        return GeometryCheck(geometry, tuple(issues))
    return GeometryCheck(
        geometry, tuple(issues), area_ha=geodesic_area_ha(geometry) if valid else None
    )


# --- Areas ---------------------------------------------------------------------------------------


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Area on the WGS 84 ellipsoid in hectares (matches PostGIS ST_Area on geography).

    ``geometry_area_perimeter`` adds the signed areas of the rings as they are oriented, so each
    polygon is first oriented counter-clockwise with clockwise holes (shapely's ``orient``):
    otherwise a clockwise shell would come out negative and its holes would be added, not removed.
    """
    total = 0.0
    for polygon in polygon_parts(geometry):
        area, _perimeter = _GEOD.geometry_area_perimeter(orient(polygon, sign=1.0))
        total += area
    return abs(total) / M2_PER_HA


def utm_epsg(geometry: BaseGeometry) -> int:
    """EPSG code of the WGS 84 UTM zone holding the geometry's centroid (327xx south, 326xx north).

    Tanah Laut (lon ~114.75, lat ~−3.8) is zone 50 South, EPSG:32750.
    """
    point = geometry.centroid
    zone = min(int((point.x + 180.0) // 6.0) + 1, 60)
    return (32700 if point.y < 0 else 32600) + zone


@functools.lru_cache(maxsize=64)
def _transformer(source: str, target: str) -> Transformer:
    # always_xy: (x, y) = (lon, lat) whatever axis order the CRS definition declares.
    return Transformer.from_crs(
        CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True
    )


def _apply(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def move(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    moved: BaseGeometry = shapely.transform(geometry, move)
    return moved


def utm_area_ha(geometry: BaseGeometry) -> float:
    """Planar area in the local UTM zone, in hectares: the figure for comparison."""
    projected = _apply(geometry, _transformer(WGS84, f"EPSG:{utm_epsg(geometry)}"))
    return float(projected.area) / M2_PER_HA


# --- Reprojection --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def normalise_crs(crs: str) -> str:
    """A short, stable name for a CRS ("EPSG:32750"), or its WKT when it has no authority code."""
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as exc:
        raise GeometryError(f"unknown CRS {crs!r}") from exc
    if parsed.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return WGS84
    authority = parsed.to_authority(min_confidence=90)
    if authority is not None:
        name, code = authority
        # OGC:CRS84 is WGS 84 in (lon, lat) order: the same coordinates as EPSG:4326 here.
        return WGS84 if (name, code) == ("OGC", "CRS84") else f"{name}:{code}"
    return str(parsed.to_wkt())


def is_wgs84(crs: str) -> bool:
    return normalise_crs(crs) == WGS84


def reproject_to_wgs84(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    """The geometry in EPSG:4326 (lon, lat) from any CRS pyproj knows (UTM 50S, DGN95, TM-3…)."""
    name = normalise_crs(crs)
    if name == WGS84:
        return geometry
    return _apply(geometry, _transformer(name, WGS84))


# --- Overlaps ------------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Overlap(Generic[K]):
    a: K
    b: K
    area_ha: float


def find_overlaps(
    items: Sequence[tuple[K, BaseGeometry]], *, min_ha: float = MIN_OVERLAP_HA
) -> list[Overlap[K]]:
    """Every pair of geometries sharing at least `min_ha` of area (edges that only touch do not
    count). Candidate pairs come from an STRtree, so a kabupaten's hundreds of locations are not
    compared all against all. Invalid geometries are skipped (their intersection is undefined)."""
    usable = [(key, geom) for key, geom in items if geom is not None and shapely.is_valid(geom)]
    if len(usable) < 2:
        return []
    geoms = [geom for _key, geom in usable]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    found: list[Overlap[K]] = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        shared = shapely.intersection(geoms[i], geoms[j])
        area = geodesic_area_ha(shared)
        if area >= min_ha:
            found.append(Overlap(usable[i][0], usable[j][0], area))
    return found


# --- Declared against delineated -----------------------------------------------------------------

_HA = Decimal("0.0001")
_PCT = Decimal("0.01")


def to_ha(value: float) -> Decimal:
    """Hectares as stored: four decimals (1 m²), rounded half up."""
    return Decimal(repr(value)).quantize(_HA, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AreaComparison:
    computed_ha: Decimal
    declared_ha: Decimal | None
    difference_ha: Decimal | None  # computed − declared
    difference_pct: Decimal | None  # of the declared hectares

    @property
    def differs(self) -> bool:
        return self.difference_pct is not None and abs(self.difference_pct) > AREA_DIFFERS_PCT


def compare_area(computed_ha: float | Decimal, declared_ha: Decimal | None) -> AreaComparison:
    """The delineated area against the SK's hectares: difference in ha and in % of the SK."""
    computed = computed_ha if isinstance(computed_ha, Decimal) else to_ha(computed_ha)
    computed = computed.quantize(_HA, rounding=ROUND_HALF_UP)
    if declared_ha is None:
        return AreaComparison(computed, None, None, None)
    difference = computed - declared_ha
    pct = (
        (difference * 100 / declared_ha).quantize(_PCT, rounding=ROUND_HALF_UP)
        if declared_ha
        else None
    )
    return AreaComparison(computed, declared_ha, difference, pct)
