"""The planner page in a real browser (strict CSP, Indonesian), at desktop width and on a 390 px
phone: a plan is run from the form, its table lists the RTs it graduates (each linked to its RT
page) and its map outlines the location it acts in."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.slums.models import Location
from tests.cli.test_planning import desa  # noqa: F401  (the fixture: 8 RTs of Sarang Halang)
from tests.conftest import Personas, browser_login
from tests.web.test_map_browser import square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("desa")
@pytest.mark.parametrize("width", [1280, 390])
def test_a_viewer_runs_a_plan_and_sees_its_table_and_its_map(
    page: Any, personas: Personas, width: int
) -> None:
    Location.objects.update(polygon=square(114.74, -3.80))
    base = page.base_url
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "viewer")
    page.wait_for_url("**/wilayah/63.01/")
    page.goto(base + "/wilayah/63.01/investasi/")
    page.click("#plan-link")
    page.wait_for_url("**/investasi/rencana/")
    assert page.input_value("#id_biaya_2b") == "750.000"  # the default table, Indonesian
    assert page.locator("#plan-save-costs").count() == 0  # a viewer saves no costs
    page.fill("#id_budget", "1.000.000.000")
    page.click("#plan-run")
    page.wait_for_url("**/investasi/rencana/?tugas=*")
    rows = page.locator("#plan-rts tbody tr")
    assert rows.count() >= 2
    assert "Sarang Halang" in rows.first.inner_text()
    assert "Rp " in page.inner_text("#plan-cost")
    assert page.inner_text("#plan-ha").endswith("Ha")
    page.wait_for_selector("#plan-map[data-ready=true]")
    assert page.get_attribute("#plan-map", "data-features") == "1"
    assert page.locator("#plan-map path.map-planned").count() == 1
    assert page.locator("a.plan-export-xlsx").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows
    # The comparison is read without scrolling: greedy's figures are on the screen too.
    greedy = page.locator("#greedy-ha").bounding_box()
    assert greedy is not None
    assert greedy["x"] + greedy["width"] <= width
    assert errors == []
    first_rt = rows.first.locator("td[data-label=RT] a")  # each RT links to its page
    number = first_rt.inner_text()
    first_rt.click()
    page.wait_for_url("**/rt/*/")
    assert f"RT {number}" in page.inner_text("h1")
