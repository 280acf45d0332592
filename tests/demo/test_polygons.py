"""The demo's synthetic delineations: one polygon per SK location, with its SK hectares, inside
Tanah Laut, none overlapping another; saved as audited version 1 by the demo build."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.geometry import check_geometry, find_overlaps, parse_geojson
from sikumuh.demo.build import build_demo
from sikumuh.demo.polygons import demo_polygons
from sikumuh.demo.tanah_laut import DemoData, generate
from sikumuh.slums.models import Location, LocationGeometry


@functools.cache
def demo() -> tuple[DemoData, dict[str, dict[str, object]]]:
    data = generate()
    return data, demo_polygons(data.locations)


def test_every_one_of_the_48_locations_gets_a_valid_polygon() -> None:
    data, polygons = demo()
    assert len(data.locations) == 48
    assert sorted(polygons) == sorted(loc.code for loc in data.locations)
    for code, polygon in polygons.items():
        assert check_geometry(parse_geojson(polygon)).ok, code


def test_each_polygon_has_its_sk_hectares_within_half_a_percent() -> None:
    data, polygons = demo()
    for location in data.locations:
        area = check_geometry(parse_geojson(polygons[location.code])).area_ha
        assert area is not None
        assert abs(Decimal(repr(area)) - location.sk_ha) <= location.sk_ha * Decimal("0.005"), (
            location.code
        )


def test_no_two_demo_polygons_overlap() -> None:
    _data, polygons = demo()
    assert find_overlaps([(code, parse_geojson(p)) for code, p in polygons.items()]) == []


def test_the_polygons_lie_inside_tanah_laut_and_pelaihari_is_around_its_capital() -> None:
    data, polygons = demo()
    for code, polygon in polygons.items():
        minx, miny, maxx, maxy = parse_geojson(polygon).bounds
        assert 114.45 <= minx <= maxx <= 115.25, code
        assert -4.20 <= miny <= maxy <= -3.55, code
    pelaihari = [loc.code for loc in data.locations if loc.kecamatan_code == "63.01.03"]
    for code in pelaihari:
        centre = parse_geojson(polygons[code]).centroid
        assert abs(centre.x - 114.75) < 0.06
        assert abs(centre.y + 3.80) < 0.06


def test_the_same_seed_gives_the_same_polygons_and_another_seed_others() -> None:
    data, polygons = demo()
    assert demo_polygons(data.locations) == polygons
    assert demo_polygons(data.locations, seed=7) != polygons


@pytest.mark.django_db
def test_the_demo_build_saves_them_as_audited_version_1_once(
    load_regions_under: Callable[..., int],
) -> None:
    load_regions_under("63.01")
    actor = Actor.system("test-demo")
    summary = build_demo(actor=actor)
    assert summary.polygons_created == 48
    assert LocationGeometry.objects.filter(version=1, is_current=True).count() == 48
    assert not Location.objects.filter(polygon__isnull=True).exists()
    assert AuditEntry.objects.filter(action="location.geometry").count() == 48
    again = build_demo(actor=actor)
    assert again.polygons_created == 0
    assert LocationGeometry.objects.count() == 48
