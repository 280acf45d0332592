"""Dashboards in a real browser (strict CSP, Indonesian): drill-down by clicking, the chart, an
outsider refused, a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Not this area's: htmx's own indicator <style>, refused by the strict CSP on every page.
HTMX_INDICATOR_STYLE = "sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk="


def offline(page: Any) -> list[str]:
    """Refuse every request that is not to the test server (map tiles included, as on a machine
    without internet) and collect the page's script errors, CSP violations included."""
    base = page.base_url
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               else route.abort())  # fmt: skip
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def real(problems: list[str]) -> list[str]:
    """Errors other than the frame's known noise and the refused outside requests."""
    return [
        p for p in problems
        if HTMX_INDICATOR_STYLE not in p and not p.startswith("Failed to load resource")
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Before the personas are made: PBKDF2 costs ~0.6 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tanah_laut(fast_passwords: None, personas: Personas) -> Personas:
    build_demo(actor=Actor.system("test"))
    return personas


def test_an_admin_drills_down_from_the_kabupaten_to_an_rt_by_clicking(
    page: Any, tanah_laut: Personas
) -> None:
    problems = offline(page)
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    page.wait_for_selector("canvas[data-chart][data-ready=true]")
    page.locator("table.children").get_by_role("link", name="Pelaihari", exact=True).click()
    page.wait_for_url("**/wilayah/63.01.03/")
    assert "48,75 % dari luas kumuh awal Kecamatan Pelaihari" in page.inner_text("main")
    page.locator("table.children").get_by_role("link", name="Sarang Halang").click()
    page.wait_for_url("**/wilayah/63.01.03.1001/")
    page.locator("table.children").get_by_role("link", name="Kawasan Sarang Halang").click()
    page.wait_for_url("**/lokasi/*/")
    page.locator("table.rts a.rt-year").first.click()
    page.wait_for_url("**/rt/*/?tahun=*")
    assert page.locator("table.criteria tr.criterion").count() == 16
    # Kabupaten, kecamatan, desa, location: the province is outside the admin's scope.
    assert page.locator("nav.breadcrumbs a").count() == 4
    assert real(problems) == [], "\n".join(problems)


def test_an_outsider_gets_the_not_found_page(page: Any, tanah_laut: Personas) -> None:
    browser_login(page, "outsider")
    response = page.goto(page.base_url + "/wilayah/63.01/")
    assert response is not None
    assert response.status == 404


def test_the_kecamatan_dashboard_fits_a_phone_screen(page: Any, tanah_laut: Personas) -> None:
    problems = offline(page)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "viewer")
    page.goto(page.base_url + "/wilayah/63.01.03/")
    page.wait_for_selector("#map[data-ready=true]")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator(".stat").first.is_visible()
    assert real(problems) == [], "\n".join(problems)
