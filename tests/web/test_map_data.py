"""The map data: a valid GeoJSON FeatureCollection of the in-scope locations with a polygon."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sikumuh.core.criteria import SlumClass
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.web.test_dashboard_support import (
    KABUPATEN,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

PROPERTIES = {"id", "code", "name", "desa", "klass", "klass_label", "slum_ha", "url"}


def square(lon: float, lat: float, size: float = 0.004) -> dict[str, Any]:
    """A small GeoJSON square, (lon, lat) order as RFC 7946 wants."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def pelaihari_squares(demo: Personas) -> list[Location]:
    """Only the Pelaihari locations have a polygon: squares near the town (114.75, −3.80)."""
    Location.objects.filter(kabupaten_id=KABUPATEN).update(polygon=None)
    located = list(Location.objects.filter(desa__code__startswith=PELAIHARI + ".").order_by("code"))
    for i, location in enumerate(located):
        location.polygon = square(114.74 + 0.006 * i, -3.80)
    Location.objects.bulk_update(located, ["polygon"])
    return located


def features(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    return list(body["features"])


def test_the_map_data_are_geojson_features_with_their_class_and_a_link(
    demo: Personas, pelaihari_squares: list[Location]
) -> None:
    found = features(demo.client("admin").get(f"/wilayah/{KABUPATEN}/peta.geojson"))
    assert [f["id"] for f in found] == [loc.pk for loc in pelaihari_squares]
    for feature, location in zip(found, pelaihari_squares, strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == location.polygon
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert 114 < lon < 115
        assert -4 < lat < -3
        props = feature["properties"]
        assert set(props) == PROPERTIES
        assert props["url"] == f"/lokasi/{location.pk}/"
        assert props["klass"] in {c.value for c in SlumClass}
        assert props["klass_label"] == SlumClass(props["klass"]).label_id
        assert isinstance(props["slum_ha"], float)


def test_a_facilitator_gets_only_the_locations_of_their_desa(
    demo: Personas, pelaihari_squares: list[Location]
) -> None:
    found = features(demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/peta.geojson"))
    mine = [loc.pk for loc in pelaihari_squares if loc.desa_id == SARANG_HALANG]
    assert [f["id"] for f in found] == mine
    assert demo.client("facilitator").get(f"/wilayah/{PELAIHARI}/peta.geojson").status_code == 404


def test_the_baseline_year_colours_every_location_kumuh(
    demo: Personas, pelaihari_squares: list[Location]
) -> None:
    response = demo.client("viewer").get(f"/wilayah/{PELAIHARI}/peta.geojson?tahun=2019")
    assert json.loads(response.content)["tahun"] == 2019
    classes = {f["properties"]["klass"] for f in features(response)}
    assert SlumClass.TIDAK_KUMUH.value not in classes
    latest = features(demo.client("viewer").get(f"/wilayah/{PELAIHARI}/peta.geojson"))
    assert SlumClass.TIDAK_KUMUH.value in {f["properties"]["klass"] for f in latest}


def test_the_national_map_draws_the_polygons_without_location_classes(
    demo: Personas, pelaihari_squares: list[Location]
) -> None:
    demo["admin"].is_superuser = True
    demo["admin"].save()
    found = features(demo.client("admin").get("/wilayah/ID/peta.geojson"))
    assert len(found) == len(pelaihari_squares)
    assert {f["properties"]["klass"] for f in found} == {None}


def test_a_region_without_polygons_has_an_empty_collection(demo: Personas) -> None:
    Location.objects.filter(kabupaten_id=KABUPATEN).update(polygon=None)
    assert features(demo.client("admin").get(f"/wilayah/{KABUPATEN}/peta.geojson")) == []
