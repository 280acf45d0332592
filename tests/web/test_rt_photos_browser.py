"""The RT pages show a phone submission's GPS point and its photos in a real browser, at desktop
and phone width: the thumbnails load through the scoped view and the page does not overflow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.io.odk_rt_import import import_rt_submissions
from sikumuh.surveys.models import Observation
from tests.conftest import Personas, browser_login
from tests.factories import location, rt
from tests.io.rt_survey_helpers import answers, odk_central_csv
from tests.io.test_odk_photos import export_zip, jpeg, png
from tests.web.test_dashboard_browser import offline, real
from tests.web.test_rtdata_support import media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["media"]  # fixtures, imported for pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def submitted(personas: Personas, media: Path) -> Observation:
    rt(location("L-01", "63.01.03.1001"), "001")
    submission = answers(titik="-3.80123 114.76543 20 5", foto_2b="jalan.jpg", foto_4a="air.png")
    data = export_zip(
        odk_central_csv([("b-1", submission)]), {"media/jalan.jpg": jpeg(), "media/air.png": png()}
    )
    report = import_rt_submissions(
        data, actor=Actor.system(), file_name="rt.zip", region_code="63.01"
    )
    assert report.ok, report.errors
    return Observation.objects.get()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/rt/{rt}/", "/rt/{rt}/isian/{tahun}/"])
def test_the_rt_pages_show_the_point_and_the_thumbnails(
    page: Any, submitted: Observation, width: int, path: str
) -> None:
    problems = offline(page)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, "facilitator")
    page.goto(page.base_url + path.format(rt=submitted.rt_id, tahun=submitted.tahun))
    assert page.locator("#rt-gps").inner_text() == "Titik GPS: -3,80123, 114,76543 (±5 m)"
    thumbnails = page.locator("#rt-photos img")
    assert thumbnails.count() == 2
    for k in range(2):
        thumbnails.nth(k).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbnails.nth(k).element_handle()
        )
    # The point and the photos fit the screen (the pages' own wide tables scroll in a frame).
    for section in ("#rt-gps", "#rt-photos"):
        right = page.evaluate(f"document.querySelector('{section}').getBoundingClientRect().right")
        assert right <= width, section
    assert real(problems) == [], "\n".join(problems)
