"""The ODK import in a real browser (Playwright driving Chromium, strict CSP), from the RT data
import page: the facilitator follows the link, uploads the export, sees the report, confirms,
and the import job links to its run. At desktop width and on a 390 px phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sikumuh.surveys.models import Observation, Status
from tests import factories
from tests.conftest import Personas, browser_login
from tests.io.rt_survey_helpers import answers, odk_central_csv
from tests.jobs.support import work_off
from tests.web.test_rtdata_support import SARANG_HALANG, media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["media"]  # fixtures, imported for pytest


@pytest.fixture
def sarang_halang(personas: Personas, settings: Any) -> Personas:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    here = factories.location("L-01", SARANG_HALANG)
    factories.rt(here, "001")
    factories.rt(here, "002")
    return personas


def fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows


@pytest.mark.parametrize("width", [1280, 390])
def test_an_odk_export_is_uploaded_checked_and_stored_from_the_import_page(
    page: Any, sarang_halang: Personas, media: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "facilitator")
    page.goto(page.base_url + f"/wilayah/{SARANG_HALANG}/impor/")
    page.get_by_role("link", name="Kiriman pendataan RT dari ODK Central").click()
    page.wait_for_url("**/impor/odk/")
    fits(page, width)
    data = odk_central_csv([("a-1", answers()), ("a-2", answers(rt="002"))])
    page.set_input_files(
        "#f-file", files=[{"name": "rt_survey.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/impor/odk/*-*/")
    assert page.locator("#count-new").inner_text() == "2"
    assert "ekspor ODK atau KoboToolbox" in page.inner_text("#import-format")
    fits(page, width)

    page.click("#import-confirm button[type=submit]")
    page.wait_for_url("**/tugas/*/")
    work_off()
    link = page.get_by_role("link", name="Riwayat impor ini")
    link.wait_for(timeout=10_000)
    link.click()
    assert "Tersimpan" in page.locator("#run-status").inner_text()
    fits(page, width)
    assert set(Observation.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert errors == []
