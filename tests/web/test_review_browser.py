"""The review buttons in a real browser: the facilitator submits, the Pokja returns with a
comment (the browser itself refuses an empty one), the admin locks after confirming."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation, YearLock
from tests import factories
from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESA = "63.01.03.1001"


def test_submit_return_with_comment_and_lock_through_the_buttons(
    page: Any, personas: Personas
) -> None:
    rt = factories.rt(factories.location("L-01", DESA), "001")
    save_observation(
        actor=Actor.of(personas["facilitator"]),
        rt=rt,
        tahun=2021,
        header=factories.HEADER,
        volumes=factories.volumes_at("0.5"),
    )

    browser_login(page, "facilitator")
    page.goto(f"{page.base_url}/wilayah/{DESA}/tinjauan/")
    page.click("button[value=submit]")
    page.wait_for_selector(".messages li")
    assert "diajukan ke Pokja" in page.locator(".messages li").inner_text()
    assert Observation.objects.get().status == "submitted"
    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")

    browser_login(page, "reviewer")
    page.goto(f"{page.base_url}/wilayah/63.01/tinjauan/")
    page.click("button[value=return]")  # empty comment: the browser does not send the form
    assert Observation.objects.get().status == "submitted"
    page.fill("textarea[name=comment]", "RT 001: luas belum sesuai peta")
    page.click("button[value=return]")
    page.wait_for_selector(".messages li")
    assert Observation.objects.get().status == "returned"
    assert "RT 001: luas belum sesuai peta" in page.locator(".review-comment").inner_text()
    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")

    Observation.objects.update(status="approved")
    browser_login(page, "admin")
    page.goto(f"{page.base_url}/wilayah/63.01/tinjauan/")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Kunci tahun ini?" → no
    page.click("text=Kunci tahun")
    assert not YearLock.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Kunci tahun")
    page.wait_for_selector(".lock-state.locked")
    assert YearLock.objects.get().locked
