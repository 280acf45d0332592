"""On a phone (issue 12, point 2) the parts that were off the screen stay on it. That no page
of any demo role scrolls sideways is checked by the crawl of test_indonesian_browser.py."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation, Status
from tests.conftest import Personas, browser_login
from tests.web.crawl import PHONE, WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SARANG_HALANG = "63.01.03.1001"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def first_rt() -> int:
    return RtUnit.objects.filter(desa_id=SARANG_HALANG).order_by("location__code", "rt")[0].pk


def right_edge(page: Any, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("e => e.getBoundingClientRect().right"))


def test_on_a_phone_the_score_columns_and_the_review_buttons_are_on_the_screen(
    page: Any, personas: Personas
) -> None:
    build_demo(actor=Actor.system("test"))
    page.set_viewport_size(PHONE)
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    page.goto(page.base_url + f"/rt/{first_rt()}/?tahun=2021")
    # The criteria table: its last column (the score) inside the screen, no sideways scrolling.
    assert right_edge(page, "table.criteria tbody tr.criterion td:last-child") <= PHONE["width"]
    # A desa-year awaiting the Pokja: its row offers Setujui and Kembalikan.
    Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2021).update(
        status=Status.SUBMITTED
    )
    page.goto(page.base_url + "/wilayah/63.01/tinjauan/")
    assert page.locator("button[value=approve]").count() == 1
    for button in ("button[value=approve]", "button[value=return]"):
        assert page.locator(button).is_visible()
        assert right_edge(page, button) <= PHONE["width"]
    assert page.evaluate(WIDTH) <= PHONE["width"] + 1


def test_on_a_phone_the_live_score_docks_at_the_bottom_below_the_form(
    page: Any, personas: Personas
) -> None:
    build_demo(actor=Actor.system("test"))
    page.set_viewport_size(PHONE)
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    page.goto(page.base_url + f"/rt/{first_rt()}/isian/2021/")
    panel = page.locator("#rt-score")
    box = panel.bounding_box()
    assert box is not None
    # Docked: its bottom edge is the screen's bottom edge, and it takes at most 40 % of it.
    assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1
    assert box["height"] <= 0.4 * PHONE["height"] + 1
    first = page.locator("#rt-form input:not([type=hidden])").first.bounding_box()
    assert first is not None
    assert first["y"] + first["height"] <= box["y"], "the panel covers the first input"
