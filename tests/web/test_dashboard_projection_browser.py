"""The kumuh akhir panel in a real browser (strict CSP, Indonesian): loaded by htmx after the
kabupaten dashboard, its year selector swapping the panel in place, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, browser_login
from tests.web.test_dashboard_browser import fast_passwords, offline, real, tanah_laut

__all__ = ["fast_passwords", "tanah_laut"]  # fixtures used by name below

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_panel_loads_after_the_dashboard_and_changes_its_base_year(
    page: Any, tanah_laut: Personas, width: int
) -> None:
    problems = offline(page)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "viewer")
    page.goto(page.base_url + "/wilayah/63.01/")
    panel = page.locator("#kumuh-akhir")
    panel.locator("p.projection-sentence").wait_for()
    assert "Menurut data RT per 2021" in panel.inner_text()
    panel.get_by_role("link", name="2019", exact=True).click()
    page.locator("#kumuh-akhir p.outcome-sentence").wait_for()
    text = page.locator("#kumuh-akhir").inner_text()
    assert "Pekerjaan mencapai yang direncanakan di" in text
    assert page.url.endswith("/wilayah/63.01/")  # swapped in place, the page stays
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # "(0 RT)" never breaks inside: each count stays on one line.
    counts = page.locator("#kumuh-akhir table.projection-classes td span.muted")
    assert counts.count() >= 2
    for i in range(counts.count()):
        box = counts.nth(i).evaluate("e => e.getClientRects().length")
        assert box == 1, counts.nth(i).inner_text()
    assert real(problems) == [], "\n".join(problems)


def test_the_rt_page_lists_the_investments_on_a_phone(page: Any, tanah_laut: Personas) -> None:
    from sikumuh.investments.models import Investment

    problems = offline(page)
    page.set_viewport_size({"width": 390, "height": 844})
    rt = Investment.objects.filter(rt__desa_id="63.01.03.1001").order_by("rt_id").first().rt
    browser_login(page, "facilitator")
    page.goto(page.base_url + f"/rt/{rt.pk}/?tahun=2019")
    assert page.locator("table.rt-investments tbody tr").count() >= 1
    assert "Pekerjaan mencapai yang direncanakan." in page.locator("#kumuh-akhir").inner_text()
    # The section fits the phone (its table scrolls inside its own frame).
    right = page.evaluate("document.querySelector('#kumuh-akhir').getBoundingClientRect().right")
    assert right <= 390
    # The table's title is read whole on the phone, not cut off by the table's scrolling frame.
    title = page.locator("#rt-investments-title")
    assert title.inner_text() == "Investasi mana mengubah kriteria mana"
    box = title.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("e => e.scrollWidth <= e.clientWidth", title.element_handle())
    assert real(problems) == [], "\n".join(problems)


# Where an element's top is in the page (not the window: the page may scroll meanwhile).
TOP = "sel => document.querySelector(sel).getBoundingClientRect().top + window.scrollY"
HEIGHT = "sel => document.querySelector(sel).getBoundingClientRect().height"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("url", "after"), [("/wilayah/63.01/", "#children-title"), ("location", "#rts-title")]
)
def test_the_map_does_not_move_when_the_panel_arrives(
    page: Any, tanah_laut: Personas, width: int, url: str, after: str
) -> None:
    """The panel came above the map and pushed it down by ~400 px (630 on a phone) when it
    arrived: it now has its box below the map, kept at about its size while it loads."""
    from sikumuh.slums.models import Location

    if url == "location":
        url = f"/lokasi/{Location.objects.get(name='Kawasan Sarang Halang').pk}/"
    problems = offline(page)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "viewer")
    page.wait_for_load_state("networkidle")  # the home page's own panel has come
    held: list[Any] = []
    page.route(lambda u: "/kumuh-akhir/" in u, lambda route: held.append(route))  # answered later
    page.goto(page.base_url + url)
    page.wait_for_selector("#map[data-ready=true]")
    while not held:
        page.wait_for_timeout(50)
    assert len(held) == 1
    assert page.get_attribute("#kumuh-akhir", "aria-busy") == "true"
    before = {sel: page.evaluate(TOP, sel) for sel in ("#map", "#kumuh-akhir", after)}
    kept = page.evaluate(HEIGHT, "#kumuh-akhir")
    held[0].continue_()
    page.locator("#kumuh-akhir p.projection-sentence").wait_for()
    after_load = {sel: page.evaluate(TOP, sel) for sel in ("#map", "#kumuh-akhir", after)}
    arrived = page.evaluate(HEIGHT, "#kumuh-akhir")
    assert after_load["#map"] == before["#map"]
    assert after_load["#kumuh-akhir"] == before["#kumuh-akhir"]
    # What follows moves by a fifth of the panel at most (it moved by all of it).
    assert abs(after_load[after] - before[after]) <= arrived / 5, (kept, arrived)
    assert real(problems) == [], "\n".join(problems)
