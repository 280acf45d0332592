"""Delineation in a real browser: the map draws the demo's polygons, and an upload is previewed on
a map before it is confirmed (no console error: the Content Security Policy holds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import LocationGeometry
from tests.conftest import Personas, browser_login
from tests.io.geo_files import square, write
from tests.web.delineation_fixtures import fast_passwords_fixture, media_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


#: Not this area's: htmx's own indicator <style>, refused by the strict CSP on every page.
HTMX_INDICATOR_STYLE = "sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk="


@pytest.fixture
def no_tiles(settings: Any) -> None:
    settings.TILE_URL = ""  # the tests make no request to the internet


def console_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return errors


def real(errors: list[str]) -> list[str]:
    """Errors but the frame's known htmx noise and Chromium's unnamed "Failed to load resource"
    (the browser's own /favicon.ico): failed loads of the page are caught by URL instead."""
    return [
        e
        for e in errors
        if HTMX_INDICATOR_STYLE not in e and not e.startswith("Failed to load resource")
    ]


def test_the_delineation_map_shows_the_48_demo_polygons(
    page: Any, personas: Personas, media: Path, no_tiles: None
) -> None:
    build_demo(actor=Actor.system("test"))
    errors = console_errors(page)
    browser_login(page, "viewer")
    page.goto(page.base_url + "/wilayah/63.01/delineasi/")
    page.wait_for_selector("#delineation-map.drawn")
    assert page.locator("#delineation-map").get_attribute("data-features") == "48"
    assert page.locator("#delineation-map path.leaflet-interactive").count() == 48
    assert real(errors) == []


def test_an_upload_is_previewed_on_a_map_then_confirmed(
    page: Any, personas: Personas, media: Path, no_tiles: None, tmp_path: Path
) -> None:
    build_demo(actor=Actor.system("test"))
    errors = console_errors(page)
    path = write(
        tmp_path / "batas-tl11.geojson", [({"kode": "TL-11"}, square(114.77, -3.80, 0.0024))]
    )
    browser_login(page, "facilitator")
    page.goto(page.base_url + "/wilayah/63.01.03.1001/delineasi/")
    page.set_input_files("#id_file", str(path))
    page.click("text=Periksa file")
    page.wait_for_selector("#upload-map.drawn")
    assert page.locator("#upload-map path.leaflet-interactive").count() == 1
    assert LocationGeometry.objects.filter(location__code="TL-11").count() == 1
    page.click("text=Konfirmasi dan simpan")
    page.wait_for_url("**/wilayah/63.01.03.1001/delineasi/")
    assert "disimpan sebagai versi baru" in page.locator(".messages").inner_text()
    assert LocationGeometry.objects.filter(location__code="TL-11").count() == 2
    assert real(errors) == []


def test_a_name_holding_html_is_shown_as_text_in_the_map_tooltip(
    page: Any, personas: Personas, media: Path, no_tiles: None, tmp_path: Path
) -> None:
    name = '<img src="x" id="injected">Kawasan'
    path = write(tmp_path / "batas.geojson", [({"kode": name}, square(114.77, -3.80, 0.0024))])
    errors = console_errors(page)
    browser_login(page, "facilitator")
    page.goto(page.base_url + "/wilayah/63.01.03.1001/delineasi/")
    page.set_input_files("#id_file", str(path))
    page.click("text=Periksa file")
    page.wait_for_selector("#upload-map.drawn")
    page.hover("#upload-map path.leaflet-interactive")
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip is not None
    assert name in tooltip.inner_text()
    assert page.locator("#injected").count() == 0
    assert real(errors) == []
