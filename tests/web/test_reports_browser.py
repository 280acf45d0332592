"""The reports page in a real browser (strict CSP, Indonesian): reached from the navigation,
and a click downloads the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.surveys.actions import save_observation
from tests.conftest import Personas, browser_login
from tests.factories import ACTOR, header, location, rt, volumes_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_kabupaten(fast_passwords: None, personas: Personas) -> Personas:
    """One location of two RTs in Sarang Halang, surveyed in 2019 and 2021."""
    loc = location()
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="SK-1",
        year=2019,
        entries=[(loc, Decimal("4.00"))],
    )
    for number, luas, before, after in [
        ("001", "1.50", "0.8", "0.1"),
        ("002", "2.50", "0.5", "0.5"),
    ]:
        unit = rt(loc, number)
        for tahun, share in ((2019, before), (2021, after)):
            h = header(luas)
            save_observation(
                actor=ACTOR, rt=unit, tahun=tahun, header=h, volumes=volumes_at(share, h)
            )
    return personas


def test_a_viewer_finds_the_reports_in_the_navigation_and_downloads_one(
    page: Any, small_kabupaten: Personas
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "viewer")
    page.wait_for_url("**/wilayah/63.01/")
    page.locator("nav.topnav").get_by_role("link", name="Laporan").click()
    page.wait_for_url("**/wilayah/63.01/laporan/")
    assert "Laporan Uji Petik" in page.inner_text("main")
    with page.expect_download() as info:
        page.locator("#report-pengurangan").get_by_role("link", name="XLSX").click()
    assert info.value.suggested_filename == "laporan-pengurangan-kumuh-63.01.xlsx"
    assert errors == []
