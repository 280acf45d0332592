"""The issue's scenario in a real browser: after the facilitator's single 2022 RT, the Tanah
Laut dashboard opens on 2021, offers 2022 as provisional, and 2022 says its coverage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, browser_login
from tests.surveys.test_as_of_scenario import _facilitator_saves_one_rt_for_2022
from tests.web.test_dashboard_browser import fast_passwords, offline, real, tanah_laut

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["fast_passwords", "tanah_laut"]  # fixtures used by name below


def test_the_dashboard_opens_on_the_complete_year_and_offers_the_provisional_one(
    page: Any, tanah_laut: Personas
) -> None:
    _facilitator_saves_one_rt_for_2022(tanah_laut)
    problems = offline(page)
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    assert "Data 2021 lengkap" in page.locator("#coverage").inner_text()
    years = page.locator('nav.years[aria-label="Tahun"]')
    assert "2022 (sementara)" in years.inner_text()
    years.get_by_role("link", name="2022").click()
    page.wait_for_url("**/wilayah/63.01/?tahun=2022")
    coverage = page.locator("#coverage").inner_text()
    assert "Data 2022 sementara: 1 dari" in coverage
    assert "RT memakai data 2021" in coverage
    assert real(problems) == []
