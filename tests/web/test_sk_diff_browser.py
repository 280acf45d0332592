"""Two SK versions compared, in a real browser at desktop width and on a 390 px phone: choosing
a kecamatan narrows the desa list, the change filter and a column head narrow and order the one
table of differences; the page never scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, browser_login
from tests.slums.test_sk_data import two_versions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PELAIHARI, BAJUIN = "63.01.03", "63.01.10"


def shown_codes(page: Any) -> list[str]:
    return list(page.locator("table.sk-diff tbody tr td:nth-child(2)").all_inner_texts())


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_comparison_table_filters_and_sorts(page: Any, personas: Personas, width: int) -> None:
    versions = two_versions()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    url = f"{page.base_url}/sk/{versions.v1.pk}/banding/{versions.v2.pk}/"
    page.goto(url)
    assert shown_codes(page) == ["SK-D", "SK-C", "SK-B"]  # added, removed, changed
    assert fits(page)

    # The kecamatan narrows the desa list at once (tables.js), before anything is sent.
    page.select_option("#tc-kecamatan", BAJUIN)
    kecamatan_of_desa = page.eval_on_selector_all(
        "#tc-desa option[data-kecamatan]",
        "os => os.filter(o => !o.hidden && !o.disabled).map(o => o.dataset.kecamatan)",
    )
    assert kecamatan_of_desa == [BAJUIN]
    page.locator("form.table-filters button[type=submit]").click()
    page.wait_for_url(f"**kecamatan={BAJUIN}**")
    assert shown_codes(page) == ["SK-C"]

    # The change filter and a column head (sorting keeps the filters; a second click reverses).
    page.goto(url)
    page.select_option("#f-perubahan", "changed")
    page.locator("form.table-filters button[type=submit]").click()
    page.wait_for_url("**perubahan=changed**")
    assert shown_codes(page) == ["SK-B"]
    page.goto(url)
    page.locator("a.sort-head", has_text="Selisih").click()
    page.wait_for_url("**sort=selisih**")
    assert shown_codes(page) == ["SK-C", "SK-B", "SK-D"]  # -12,50; -0,50; +1,25
    page.locator("a.sort-head", has_text="Selisih").click()
    page.wait_for_url("**sort=-selisih**")
    assert shown_codes(page) == ["SK-D", "SK-B", "SK-C"]
    assert fits(page)
    assert errors == []
