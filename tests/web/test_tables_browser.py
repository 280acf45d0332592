"""The long tables' filters in a real browser, at desktop width and on a 390 px phone: choosing
a kecamatan narrows the desa list, the filters and the search narrow the rows, a column head
sorts; the controls stay inside the screen."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PELAIHARI, SARANG_HALANG = "63.01.03", "63.01.03.1001"


@pytest.fixture
def tanah_laut(personas: Personas, settings: Any) -> Personas:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(actor=Actor.system("test"))
    return personas


def visible_desa(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            "#tc-desa option[data-kecamatan]",
            "os => os.filter(o => !o.hidden && !o.disabled).map(o => o.dataset.kecamatan)",
        )
    )


def totals_of(page: Any) -> list[int]:
    cells = page.locator("table.rt-table tbody td.num:nth-child(5)").all_inner_texts()
    return [int(t) for t in cells if t.strip().isdigit()]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_rt_table_filters_search_and_sort(page: Any, tanah_laut: Personas, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    page.goto(page.base_url + "/wilayah/63.01/data-rt/")

    everywhere = visible_desa(page)
    assert len(set(everywhere)) > 1  # desa of several kecamatan
    page.select_option("#tc-kecamatan", PELAIHARI)
    narrowed = visible_desa(page)
    assert narrowed
    assert set(narrowed) == {PELAIHARI}
    assert len(narrowed) < len(everywhere)
    # The controls fit the screen.
    for selector in ("#tc-q", "#tc-kecamatan", "#tc-desa"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width

    page.select_option("#tc-desa", SARANG_HALANG)
    page.locator("form.rt-filters button[type=submit]").click()
    page.wait_for_url(f"**desa={SARANG_HALANG}**")
    desa_cells = page.locator("table.rt-table tbody tr td:first-child").all_inner_texts()
    assert desa_cells
    assert all(SARANG_HALANG in cell for cell in desa_cells)
    assert page.input_value("#tc-kecamatan") == PELAIHARI  # kept after the reload

    # A column head sorts (the filters kept), a second click reverses.
    page.locator("a.sort-head", has_text="Total").click()
    page.wait_for_url("**sort=total**")
    assert f"desa={SARANG_HALANG}" in page.url
    totals = [
        int(t)
        for t in page.locator("table.rt-table tbody td.num:nth-child(5)").all_inner_texts()
        if t.strip().isdigit()
    ]
    assert totals == sorted(totals)
    page.locator("a.sort-head", has_text="Total").click()
    page.wait_for_url("**sort=-total**")
    totals = [
        int(t)
        for t in page.locator("table.rt-table tbody td.num:nth-child(5)").all_inner_texts()
        if t.strip().isdigit()
    ]
    assert totals == sorted(totals, reverse=True)

    # The search narrows further; nothing matches a nonsense word.
    page.fill("#tc-q", "zzzz-tidak-ada")
    page.locator("form.rt-filters button[type=submit]").click()
    page.wait_for_url("**q=zzzz**")
    assert (
        "Tidak ada RT yang cocok" in page.inner_text("table.rt-table")
        or page.locator("table.rt-table tbody tr td.muted").count() == 1
    )
    assert errors == []
