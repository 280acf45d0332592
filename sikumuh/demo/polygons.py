"""Synthetic delineations for the 48 demo locations of Kabupaten Tanah Laut.

Pure (no Django) and deterministic: the same seed gives the same polygons. Each location gets an
irregular polygon (7–11 vertices around a centre, as hand-drawn slum boundaries look) whose
geodesic area equals its SK hectares (to 0.01 %, well inside the 0.5 % the tests ask), placed near
a plausible spot of its kecamatan inside the regency's extent (lon ~114.45–115.25, lat ~−4.20 to
−3.55, Pelaihari at ~114.75, −3.80). Locations of one kecamatan sit on a grid 1.3 km apart and a
location is at most ~200 m across, so no two polygons overlap. The positions are illustrative,
not the real settlements: the demo's data are synthetic (see `sikumuh.demo.tanah_laut`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import geodesic_area_ha, to_geojson
from sikumuh.demo.tanah_laut import DEFAULT_SEED, DemoLocation

# Approximate centre (lon, lat) of each kecamatan's settlements: the coast to the south and west,
# the hills of Bajuin and Batu Ampar east of Pelaihari, Kintap and Jorong towards the east.
KECAMATAN_CENTRES: dict[str, tuple[float, float]] = {
    "63.01.01": (114.600, -3.870),  # Takisung, west coast
    "63.01.02": (115.020, -3.960),  # Jorong
    "63.01.03": (114.770, -3.800),  # Pelaihari, the regency's capital
    "63.01.04": (114.620, -3.640),  # Kurau, north-west coast
    "63.01.05": (114.740, -3.620),  # Bati Bati, north
    "63.01.06": (114.880, -4.050),  # Panyipatan, south coast
    "63.01.07": (115.180, -3.880),  # Kintap, east
    "63.01.08": (114.870, -3.660),  # Tambang Ulang
    "63.01.09": (114.980, -3.780),  # Batu Ampar
    "63.01.10": (114.870, -3.760),  # Bajuin
    "63.01.11": (114.520, -3.730),  # Bumi Makmur
}
#: Grid step between the locations of one kecamatan, in degrees (~1.3 km at this latitude).
SPACING_DEG = 0.012
# The first nine cells of a spiral around the kecamatan centre (at most 8 locations each).
_CELLS = ((0, 0), (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, 1), (-1, -1), (1, -1))


def _outline(rng: random.Random, lon: float, lat: float) -> Polygon:
    """An irregular star-shaped ring of unit-ish size around (lon, lat), in degrees, drawn with
    x stretched by 1/cos(lat) so that it is not squashed east-west on the ground."""
    count = rng.randint(7, 11)
    start = rng.uniform(0, 2 * math.pi)
    stretch = 1 / math.cos(math.radians(lat))
    points = []
    for index in range(count):
        angle = start + 2 * math.pi * (index + rng.uniform(-0.25, 0.25)) / count
        radius = rng.uniform(0.7, 1.2)
        points.append((lon + radius * math.cos(angle) * stretch, lat + radius * math.sin(angle)))
    return Polygon(points)


def _scaled(shape: Polygon, lon: float, lat: float, factor: float) -> Polygon:
    return Polygon(
        [(lon + (x - lon) * factor, lat + (y - lat) * factor) for x, y in shape.exterior.coords]
    )


def _rounded(shape: Polygon) -> Polygon:
    # 7 decimals of a degree is ~1 cm: enough for a boundary, short in JSON.
    return Polygon([(round(x, 7), round(y, 7)) for x, y in shape.exterior.coords])


def polygon_for(rng: random.Random, lon: float, lat: float, hectares: Decimal) -> BaseGeometry:
    """A polygon centred on (lon, lat) whose geodesic area is `hectares` (to ~0.001 %).

    Area grows with the square of a scale about the centre, so two or three corrections by
    √(target / area) converge; the small curvature of the ellipsoid is what the loop absorbs."""
    target = float(hectares)
    shape = _outline(rng, lon, lat)
    shape = _scaled(shape, lon, lat, 0.001)  # ~100 m: the right order of magnitude to start from
    for _ in range(4):
        shape = _scaled(shape, lon, lat, math.sqrt(target / geodesic_area_ha(shape)))
    return _rounded(shape)


def demo_polygons(
    locations: Sequence[DemoLocation], seed: int = DEFAULT_SEED
) -> dict[str, dict[str, Any]]:
    """Location code → GeoJSON polygon (EPSG:4326, lon/lat) for each demo location."""
    rng = random.Random(seed * 7919 + 48)  # its own stream: other demo data do not shift it
    placed: dict[str, int] = {}
    result: dict[str, dict[str, Any]] = {}
    for location in locations:
        index = placed.get(location.kecamatan_code, 0)
        placed[location.kecamatan_code] = index + 1
        if index >= len(_CELLS):
            raise ValueError(f"more than {len(_CELLS)} demo locations in {location.kecamatan_code}")
        base_lon, base_lat = KECAMATAN_CENTRES[location.kecamatan_code]
        column, row = _CELLS[index]
        lon = base_lon + column * SPACING_DEG + rng.uniform(-0.002, 0.002)
        lat = base_lat + row * SPACING_DEG + rng.uniform(-0.002, 0.002)
        result[location.code] = to_geojson(polygon_for(rng, lon, lat, location.sk_ha))
    return result
