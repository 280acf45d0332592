"""The map in a real browser with the tile server unreachable: one path per polygon, in its
class colour, with its label."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import Location
from sikumuh.surveys.dashboard import map_locations
from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PELAIHARI = "63.01.03"
CLASS_VARS = {
    "kumuh_berat": "--berat",
    "kumuh_sedang": "--sedang",
    "kumuh_ringan": "--ringan",
    "tidak_kumuh": "--tidak",
}


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Before the personas are made: PBKDF2 costs ~0.6 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def square(lon: float, lat: float, size: float = 0.004) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_the_map_draws_each_polygon_in_its_class_colour_with_its_label_without_tiles(
    page: Any, personas: Personas
) -> None:
    build_demo(actor=Actor.system("test"))
    Location.objects.filter(kabupaten_id="63.01").update(polygon=None)
    chosen = list(Location.objects.filter(desa__code__startswith=PELAIHARI + ".").order_by("code"))
    chosen = [chosen[0], chosen[5], chosen[6]]  # one Kumuh Ringan, two Tidak Kumuh in 2021
    for i, location in enumerate(chosen):
        location.polygon = square(114.74 + 0.006 * i, -3.80)
    Location.objects.bulk_update(chosen, ["polygon"])
    expected = {m.name: m.klass.value for m in map_locations(PELAIHARI, 2021) if m.klass}
    assert len(expected) == 3
    assert len(set(expected.values())) > 1

    tiles: list[str] = []
    base = page.base_url

    def only_local(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            tiles.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    browser_login(page, "viewer")
    page.goto(base + f"/wilayah/{PELAIHARI}/")
    page.wait_for_selector("#map[data-ready=true]")
    assert page.get_attribute("#map", "data-features") == "3"

    paths = page.locator("#map path.map-location")
    assert paths.count() == 3
    colours = page.evaluate(
        "vars => Object.fromEntries(Object.entries(vars).map(([k, v]) => "
        "[k, getComputedStyle(document.documentElement).getPropertyValue(v).trim()]))",
        CLASS_VARS,
    )
    drawn = sorted(
        (path.get_attribute("class") or "", path.get_attribute("fill") or "")
        for path in paths.all()
    )
    wanted = sorted(
        (f"map-location {klass} leaflet-interactive", colours[klass]) for klass in expected.values()
    )
    assert drawn == wanted
    labels = page.locator("#map .map-label:not(.map-label-hidden)").all_inner_texts()
    assert sorted(labels) == sorted(expected)
    assert tiles, "the map asked the tile server (refused here) for tiles"
    assert page.locator("#map img.leaflet-tile-loaded").count() == 0
