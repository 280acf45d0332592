"""The delineation pages: a region's locations with their polygons and flags, one location's
versions; who may see them (persona checklist) and how many queries they cost."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from sikumuh.core.geometry import swap_xy, to_geojson
from sikumuh.io.geo.export import export_rows
from sikumuh.slums.delineation_actions import save_geometry
from sikumuh.slums.delineation_selectors import delineation_table, location_versions
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.io.geo_files import square
from tests.web.delineation_fixtures import (  # noqa: F401 (fixtures)
    ANGSAU,
    SARANG_HALANG,
    fast_passwords_fixture,
    media_fixture,
    places_fixture,
)

pytestmark = pytest.mark.django_db


def url(code: str = "63.01") -> str:
    return f"/wilayah/{code}/delineasi/"


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("admin", "63.01", 200),
        ("reviewer", "63.01", 200),
        ("viewer", "63.01", 200),
        ("facilitator", SARANG_HALANG, 200),
        ("facilitator", "63.01", 404),  # a desa's facilitator does not see the kabupaten
        ("facilitator", ANGSAU, 404),
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
        ("admin", "not-a-code", 404),
    ],
)
def test_who_sees_the_delineation_page(
    personas: Personas, places: dict[str, Location], persona: str, code: str, status: int
) -> None:
    assert personas.client(persona).get(url(code)).status_code == status


def test_the_page_wants_a_login_and_a_get(personas: Personas, places: dict[str, Location]) -> None:
    assert Client().get(url()).status_code == 302
    assert personas.client("admin").post(url()).status_code == 405


def test_the_page_lists_sk_and_delineated_hectares_versions_and_missing_polygons(
    personas: Personas, places: dict[str, Location]
) -> None:
    html = personas.client("viewer").get(url()).content.decode()
    assert "TL-01" in html
    assert "TL-02" in html
    assert "4,90 Ha" in html  # SK
    assert "4,91 Ha" in html  # 0.002° square at Pelaihari, geodesic
    assert "tidak ada poligon" in html  # TL-02 has none
    assert 'id="delineation-map-data"' in html
    assert "<script>" not in html  # CSP: data only through json_script


def test_the_upload_form_is_shown_to_editors_only(
    personas: Personas, places: dict[str, Location]
) -> None:
    assert 'name="file"' in personas.client("admin").get(url()).content.decode()
    assert 'name="file"' not in personas.client("viewer").get(url()).content.decode()
    assert 'name="file"' not in personas.client("reviewer").get(url()).content.decode()
    facilitator = personas.client("facilitator").get(url(SARANG_HALANG)).content.decode()
    assert 'name="file"' in facilitator
    assert "TL-02" not in facilitator


def test_overlaps_swaps_and_invalid_rings_are_flagged(
    personas: Personas, places: dict[str, Location]
) -> None:
    save_geometry(actor=ACTOR, location=places["TL-02"], geometry=square(114.751, -3.8), source="x")
    three = Location.objects.create(
        kabupaten_id="63.01",
        desa_id=ANGSAU,
        code="TL-03",
        name="Lama",
        polygon=to_geojson(swap_xy(square(114.80, -3.8))),
    )
    rows = {row.location.code: row for row in delineation_table("63.01")}
    assert rows["TL-01"].flags == ["overlap"]
    assert rows["TL-01"].overlaps[0][0] == "TL-02"
    assert rows["TL-03"].flags == ["swapped"]
    html = personas.client("admin").get(url()).content.decode()
    assert "tumpang tindih" in html
    assert "lintang/bujur tertukar" in html
    assert three.pk


def test_the_table_costs_two_queries_and_the_export_three(
    places: dict[str, Location], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # One query of each is the SK in force (slums.sk_in_force.decrees_in_force).
    with django_assert_num_queries(2):
        delineation_table("63.01")
    with django_assert_num_queries(3):
        export_rows("63.01")
    with django_assert_num_queries(1):
        location_versions(places["TL-01"])


def location_url(location: Location) -> str:
    return f"/lokasi/{location.pk}/delineasi/"


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("admin", "TL-01", 200),
        ("reviewer", "TL-01", 200),
        ("viewer", "TL-02", 200),
        ("facilitator", "TL-01", 200),
        ("facilitator", "TL-02", 404),  # Angsau: outside their desa
        ("outsider", "TL-01", 404),
    ],
)
def test_who_sees_a_location_s_versions(
    personas: Personas, places: dict[str, Location], persona: str, code: str, status: int
) -> None:
    response = personas.client(persona).get(location_url(places[code]))
    assert response.status_code == status


def test_a_location_page_answers_404_for_a_bad_id_and_405_for_a_post(
    personas: Personas, places: dict[str, Location]
) -> None:
    assert personas.client("admin").get("/lokasi/999999/delineasi/").status_code == 404
    assert personas.client("admin").post(location_url(places["TL-01"])).status_code == 405


def test_a_location_page_lists_every_version_and_the_areas(
    personas: Personas, places: dict[str, Location]
) -> None:
    save_geometry(
        actor=ACTOR, location=places["TL-01"], geometry=square(114.75, -3.8, 0.003), source="b.kml"
    )
    html = personas.client("admin").get(location_url(places["TL-01"])).content.decode()
    assert "awal.geojson" in html
    assert "b.kml" in html
    assert "11,05 Ha" in html  # version 2, current
    assert "EPSG:32750" in html  # the UTM zone of the comparison area
    assert "Unggah versi baru" in html
    viewer = personas.client("viewer").get(location_url(places["TL-01"])).content.decode()
    assert "Unggah versi baru" not in viewer


def test_a_location_without_polygon_says_so(
    personas: Personas, places: dict[str, Location]
) -> None:
    html = personas.client("admin").get(location_url(places["TL-02"])).content.decode()
    assert "Belum ada poligon yang diunggah untuk lokasi ini." in html


def test_pages_are_in_english_on_request(personas: Personas, places: dict[str, Location]) -> None:
    client = personas.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": url()})
    html = client.get(url()).content.decode()
    assert "locations delineated" in html
    assert "no polygon" in html
