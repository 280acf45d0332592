"""The reports page in a real browser (strict CSP, Indonesian): reached from the navigation, a
click starts the report's job, whose page (polled by htmx) turns into a download link once the
worker has made the file; at desktop width and on a 390 px phone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.surveys.actions import save_observation
from tests.conftest import Personas, browser_login
from tests.factories import ACTOR, header, location, rt, volumes_at
from tests.jobs.support import work_off

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


@pytest.mark.parametrize("width", [1280, 390])
def test_a_viewer_asks_for_a_report_and_downloads_it_when_the_job_is_done(
    page: Any, small_kabupaten: Personas, settings: Any, tmp_path: Any, width: int
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "viewer")
    page.wait_for_url("**/wilayah/63.01/")
    # The RT data are not approved yet: the official report has no period to offer.
    page.goto(page.base_url + "/wilayah/63.01/laporan/?status=all")
    assert "Laporan Uji Petik" in page.inner_text("main")
    page.locator("#report-pengurangan").get_by_role("button", name="XLSX").click()
    # The progress shows on the reports page itself (htmx), polled until the file is made.
    page.locator("#report-progress #job-status").wait_for()
    assert "Menunggu pekerja mengambil tugas ini" in page.inner_text("#job-status")
    work_off()  # the worker makes the file; the page learns it at its next poll
    link = page.locator("a.job-download")
    link.wait_for(state="visible", timeout=10_000)
    assert "Tugas selesai." in page.inner_text("#job-status")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "laporan-pengurangan-kumuh-63.01.xlsx"
    assert errors == []
