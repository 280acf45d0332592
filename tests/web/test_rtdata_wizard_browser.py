"""The import wizard on jobs in a real browser (Playwright driving Chromium, strict CSP): an
upload shows its check's progress until the worker has checked the file, then the report; the
confirmation shows the import job, which links to the import run; a hostile workbook's refusal
is shown on the review page. At desktop width and on a 390 px phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.surveys.models import Observation
from tests.conftest import Personas, browser_login
from tests.io import payloads
from tests.jobs.support import work_off
from tests.web.test_rtdata_support import SARANG_HALANG, media, sarang_halang_rows, template_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["media"]  # fixtures, imported for pytest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def tanah_laut(personas: Personas, settings: Any) -> Personas:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(actor=Actor.system("test"))
    return personas


def upload_workbook(page: Any, width: int, name: str, content: bytes) -> list[str]:
    """Log in as the facilitator at ``width``, upload ``content``: the page's script errors."""
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_login(page, "facilitator")
    page.goto(page.base_url + f"/wilayah/{SARANG_HALANG}/impor/")
    page.set_input_files("#f-file", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/impor/*-*/")
    assert "Menunggu pekerja mengambil tugas ini" in page.inner_text("#job-status")
    return errors


def fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows


@pytest.mark.parametrize("width", [1280, 390])
def test_an_upload_is_checked_then_stored_by_jobs_while_the_pages_follow(
    page: Any, tanah_laut: Personas, media: Path, width: int
) -> None:
    content = template_file(sarang_halang_rows(2022), "xlsx")
    errors = upload_workbook(page, width, "rt-2022.xlsx", content)
    fits(page, width)
    work_off()  # the worker checks the file; the page learns it at its next poll
    page.locator("#count-new").wait_for(timeout=10_000)
    assert page.locator("#count-new").inner_text() == "6"
    assert page.locator("#job-status").count() == 0
    fits(page, width)

    page.click("#import-confirm button[type=submit]")
    page.wait_for_url("**/tugas/*/")
    work_off()
    link = page.get_by_role("link", name="Riwayat impor ini")
    link.wait_for(timeout=10_000)
    assert "Tugas selesai." in page.inner_text("#job-status")
    fits(page, width)
    link.click()
    assert "Tersimpan" in page.locator("#run-status").inner_text()
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6
    assert errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_far_cell_workbook_is_refused_on_the_review_page(
    page: Any, tanah_laut: Personas, media: Path, width: int
) -> None:
    errors = upload_workbook(page, width, "jauh.xlsx", payloads.FAR_CELL)
    work_off()
    refusal = page.locator(".job-error")
    refusal.wait_for(timeout=10_000)
    assert refusal.inner_text().startswith("jauh.xlsx: ")
    assert "lebih dari 200 kolom" in refusal.inner_text()
    assert page.locator("#import-refused-file a").is_visible()
    fits(page, width)
    assert errors == []
