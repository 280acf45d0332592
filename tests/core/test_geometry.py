"""The pure geometry of delineation: parsing, checks, geodesic areas, overlaps, reprojection."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box

from sikumuh.core.geometry import (
    Flag,
    GeometryError,
    check_geometry,
    compare_area,
    find_overlaps,
    geodesic_area_ha,
    in_indonesia,
    looks_swapped,
    normalise_crs,
    parse_geojson,
    reproject_to_wgs84,
    swap_xy,
    to_geojson,
    utm_area_ha,
    utm_epsg,
)

# WGS 84 (NIMA TR8350.2): semi-major axis and flattening.
A = 6378137.0
F = 1 / 298.257223563


def quadrangle_ha(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The closed-form area of a lon/lat quadrangle on the WGS 84 ellipsoid (authalic latitude
    formula), an independent reference for the geodesic area. Its edges follow parallels, which
    for a ~1 km square differ from geodesics by millimetres."""
    b = A * (1 - F)
    e2 = F * (2 - F)
    e = math.sqrt(e2)

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b * b * math.radians(lon2 - lon1) / 2 * (q(lat2) - q(lat1)) / 10_000


PELAIHARI = (114.75, -3.81, 114.76, -3.80)


@pytest.mark.parametrize(
    ("bounds", "where"),
    [
        (PELAIHARI, "Pelaihari"),
        ((106.80, -6.21, 106.81, -6.20), "Jakarta"),
        ((140.70, -2.55, 140.71, -2.54), "Jayapura"),
        ((95.31, 5.55, 95.32, 5.56), "Banda Aceh, north of the equator"),
    ],
)
def test_the_geodesic_area_of_a_square_matches_the_ellipsoidal_formula(
    bounds: tuple[float, float, float, float], where: str
) -> None:
    assert geodesic_area_ha(box(*bounds)) == pytest.approx(quadrangle_ha(*bounds), rel=1e-6), where


def test_a_0_01_degree_square_at_pelaihari_is_122_83_ha() -> None:
    assert geodesic_area_ha(box(*PELAIHARI)) == pytest.approx(122.8266, abs=1e-4)


def test_ring_orientation_does_not_change_the_area() -> None:
    square = box(*PELAIHARI)
    clockwise = Polygon(list(square.exterior.coords)[::-1])
    assert geodesic_area_ha(clockwise) == pytest.approx(geodesic_area_ha(square))


def test_a_hole_is_subtracted_and_a_multipolygon_sums_its_parts() -> None:
    shell, hole = box(*PELAIHARI), box(114.752, -3.808, 114.754, -3.806)
    holed = Polygon(shell.exterior.coords, [hole.exterior.coords])
    assert geodesic_area_ha(holed) == pytest.approx(
        geodesic_area_ha(shell) - geodesic_area_ha(hole)
    )
    other = box(114.80, -3.81, 114.81, -3.80)
    both = MultiPolygon([shell, other])
    assert geodesic_area_ha(both) == pytest.approx(
        geodesic_area_ha(shell) + geodesic_area_ha(other)
    )


def test_the_utm_area_of_pelaihari_uses_zone_50_south_and_is_close_to_the_geodesic_area() -> None:
    square = box(*PELAIHARI)
    assert utm_epsg(square) == 32750
    assert utm_area_ha(square) == pytest.approx(geodesic_area_ha(square), rel=2e-3)


@pytest.mark.parametrize(
    ("geometry", "flags"),
    [
        (box(*PELAIHARI), set()),
        (swap_xy(box(*PELAIHARI)), {Flag.SWAPPED}),
        (
            Polygon([(114.75, -3.80), (114.76, -3.81), (114.76, -3.80), (114.75, -3.81)]),
            {Flag.INVALID},
        ),
        (box(500000, 9579000, 500100, 9579100), {Flag.OUTSIDE}),  # UTM metres read as degrees
        (box(2.35, 48.85, 2.36, 48.86), {Flag.OUTSIDE}),  # Paris
        (Point(114.75, -3.8), {Flag.NOT_POLYGON}),
        (Polygon(), {Flag.EMPTY}),
        (None, {Flag.MISSING}),
    ],
    ids=["ok", "swapped", "bow-tie", "utm-as-degrees", "paris", "point", "empty", "none"],
)
def test_check_geometry_flags(geometry: Polygon | None, flags: set[Flag]) -> None:
    assert check_geometry(geometry).flags == flags


def test_a_swapped_geometry_offers_the_swapped_back_version_with_its_area() -> None:
    square = box(*PELAIHARI)
    check = check_geometry(swap_xy(square))
    assert looks_swapped(swap_xy(square))
    assert not looks_swapped(square)
    assert check.area_ha is None
    assert check.swapped is not None
    assert check.swapped.equals(square)
    assert check.swapped_area_ha == pytest.approx(geodesic_area_ha(square))


def test_an_invalid_ring_names_the_fault_and_where_it_is() -> None:
    bow_tie = Polygon([(114.75, -3.80), (114.76, -3.81), (114.76, -3.80), (114.75, -3.81)])
    check = check_geometry(bow_tie)
    assert check.area_ha is None
    assert "Self-intersection" in check.issues[0].reason
    assert "114.755" in check.issues[0].reason


def test_a_3d_polygon_is_accepted_as_2d() -> None:
    square3d = Polygon([(x, y, 12.0) for x, y in box(*PELAIHARI).exterior.coords])
    check = check_geometry(square3d)
    assert check.ok
    assert check.geometry is not None
    assert not check.geometry.has_z


def test_indonesia_is_longitude_94_to_142_and_latitude_minus_11_to_6() -> None:
    assert in_indonesia(box(*PELAIHARI))
    assert not in_indonesia(box(150.0, -3.8, 150.1, -3.7))


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ([("b", box(114.755, -3.81, 114.765, -3.80))], [("a", "b", 0.5)]),
        ([("b", box(114.76, -3.81, 114.77, -3.80))], []),  # shares an edge only
        ([("b", box(114.80, -3.81, 114.81, -3.80))], []),  # apart
        ([("b", box(114.75, -3.81, 114.76, -3.80))], [("a", "b", 1.0)]),  # identical
        (
            [("b", box(114.755, -3.81, 114.765, -3.80)), ("c", box(114.758, -3.81, 114.77, -3.80))],
            [("a", "b", 0.5), ("a", "c", 0.2), ("b", "c", 0.7)],
        ),
    ],
    ids=["half", "touching", "apart", "identical", "three"],
)
def test_overlaps_are_found_pairwise_with_their_area_in_ha(
    others: list[tuple[str, Polygon]], expected: list[tuple[str, str, float]]
) -> None:
    square = box(*PELAIHARI)
    whole = geodesic_area_ha(square)
    found = find_overlaps([("a", square), *others])
    assert [(o.a, o.b) for o in found] == [(a, b) for a, b, _ in expected]
    for overlap, (_, _, share) in zip(found, expected, strict=True):
        assert overlap.area_ha == pytest.approx(whole * share, rel=1e-3)


def test_overlap_search_skips_invalid_geometries() -> None:
    bow_tie = Polygon([(114.75, -3.80), (114.76, -3.81), (114.76, -3.80), (114.75, -3.81)])
    assert find_overlaps([("a", box(*PELAIHARI)), ("b", bow_tie)]) == []


@pytest.mark.parametrize(
    ("computed", "declared", "difference", "pct", "differs"),
    [
        (4.123456, Decimal("4.00"), Decimal("0.1235"), Decimal("3.09"), False),
        (3.5, Decimal("4.00"), Decimal("-0.5000"), Decimal("-12.50"), True),
        (4.4, Decimal("4.00"), Decimal("0.4000"), Decimal("10.00"), False),
        (2.0, None, None, None, False),
    ],
)
def test_the_delineated_area_is_compared_with_the_sk_hectares(
    computed: float,
    declared: Decimal | None,
    difference: Decimal | None,
    pct: Decimal | None,
    differs: bool,
) -> None:
    comparison = compare_area(computed, declared)
    assert (comparison.difference_ha, comparison.difference_pct) == (difference, pct)
    assert comparison.differs is differs


def test_utm_50s_coordinates_are_reprojected_to_lon_lat() -> None:
    # 500 000 m E is zone 50's central meridian, 117° E.
    moved = reproject_to_wgs84(box(500000, 9579000, 500100, 9579100), "EPSG:32750")
    minx, miny, _maxx, maxy = moved.bounds
    assert minx == pytest.approx(117.0, abs=1e-6)
    assert -3.81 < miny < maxy < -3.80
    assert geodesic_area_ha(moved) == pytest.approx(1.0, rel=2e-3)  # 100 m × 100 m


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("EPSG:4326", "EPSG:4326"),
        ("OGC:CRS84", "EPSG:4326"),
        ("+proj=longlat +datum=WGS84 +no_defs", "EPSG:4326"),
        ("EPSG:32750", "EPSG:32750"),
        ("epsg:23845", "EPSG:23845"),  # DGN95 / Indonesia TM-3 zone 50.2
    ],
)
def test_crs_names_are_normalised(given: str, name: str) -> None:
    assert normalise_crs(given) == name


def test_an_unknown_crs_is_a_geometry_error() -> None:
    with pytest.raises(GeometryError, match="unknown CRS"):
        normalise_crs("EPSG:999999")


def test_geojson_round_trips_through_parse_and_to_geojson() -> None:
    square = box(*PELAIHARI)
    data = to_geojson(square)
    assert data["type"] == "Polygon"
    assert isinstance(data["coordinates"][0][0], list)
    assert parse_geojson(data).equals(square)
    assert parse_geojson({"type": "Feature", "properties": {}, "geometry": data}).equals(square)


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        '{"type": "Polygon", "coordinates": [[[114.7, -3.8], [114.8, -3.8]]]}',
        {"type": "Feature", "properties": {}, "geometry": None},
        [1, 2],
        {"type": "Blob"},
    ],
)
def test_what_is_not_a_geojson_geometry_is_a_geometry_error(value: object) -> None:
    with pytest.raises(GeometryError):
        parse_geojson(value)  # type: ignore[arg-type]
