"""The RT form's review state in a real browser, at desktop and phone (390 px) widths: a locked
year reads as such (who, when, the note; no save button), and a change to approved data is
saved only once the facilitator ticks the confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.review import lock_year
from tests.conftest import Personas, browser_login
from tests.web.test_rtdata_support import SARANG_HALANG, rt_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 900), (390, 844)]
NOTE = "Data dasar 2019 untuk SK, final."


@pytest.fixture
def tanah_laut(personas: Personas) -> Personas:
    build_demo(actor=Actor.system("test"))
    return personas


def fits(page: Any, selector: str) -> None:
    """The element is shown and lies inside the viewport's width (nothing to scroll sideways)."""
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    assert page.locator(selector).is_visible()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width


def test_a_locked_year_reads_as_locked_with_its_reason_at_both_widths(
    page: Any, tanah_laut: Personas
) -> None:
    lock_year(
        actor=Actor.of(tanah_laut["admin"]),
        kabupaten=Region.objects.get(code="63.01"),
        tahun=2019,
        note=NOTE,
    )
    rt = rt_in(SARANG_HALANG)
    browser_login(page, "facilitator")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{page.base_url}/rt/{rt.pk}/isian/2019/")
        page.locator("#rt-locked").wait_for()
        fits(page, "#rt-locked")
        text = page.locator("#rt-locked").inner_text()
        assert "Tahun 2019 terkunci" in text
        assert "Dikunci oleh admin pada" in text
        assert page.locator("#rt-lock-note").inner_text() == NOTE
        assert page.locator("#rt-form button[type=submit]").count() == 0
        assert page.locator("#f-v_2b").is_disabled()


def test_approved_data_are_saved_only_after_the_confirmation_at_both_widths(
    page: Any, tanah_laut: Personas
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    browser_login(page, "facilitator")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{page.base_url}/rt/{rt.pk}/isian/2021/")
        page.locator("#rt-approved-warning").wait_for()
        fits(page, "#rt-approved-warning")
        warning = page.locator("#rt-approved-warning").inner_text()
        assert "Data ini sudah disetujui Pokja." in warning
        assert "ke tahap tinjauan" in warning
        page.fill("#f-v_2b", "0")
        page.click("#rt-form button[type=submit]")
        page.locator("#save-error").wait_for()
        fits(page, "#save-error")
        assert "Centang konfirmasi" in page.locator("#save-error").inner_text()
        assert Observation.objects.get(pk=obs.pk).volumes == obs.volumes

    assert page.input_value("#f-v_2b") == "0"  # what was typed is kept
    page.check("#f-confirm_review")
    page.click("#rt-form button[type=submit]")
    page.locator(".messages li").wait_for()
    stored = Observation.objects.get(pk=obs.pk)
    assert stored.status == Status.DRAFT
    assert stored.volumes["2b"] == "0"
    assert page.locator("#rt-approved-warning").count() == 0
