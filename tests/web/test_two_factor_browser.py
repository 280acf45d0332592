"""Two-factor sign-in in a real browser, on a desktop and on a 390 px phone: enrol from the QR
page's secret, see the recovery codes once, then log in with the password and a code."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_a_facilitator_enrols_and_logs_in_with_a_code(
    page: Any, personas: Personas, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "facilitator")
    page.wait_for_url(lambda url: "/masuk/" not in url)
    assert "Fasilitator · Kel. Sarang Halang" in page.locator(".who").inner_text()
    page.goto(page.base_url + "/akun/2fa/")
    assert page.locator(".qr svg").is_visible()
    assert fits_the_width(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button[type=submit].primary")
    page.locator("#recovery-codes").wait_for(state="visible")
    assert page.locator("#recovery-codes li").count() == 10
    assert fits_the_width(page)
    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")

    browser_login(page, "facilitator")
    page.wait_for_url("**/masuk/kode/")
    assert page.locator("h1").inner_text() == "Kode masuk"
    assert fits_the_width(page)
    page.fill("#id_code", "000000")
    page.click("button[type=submit].primary")
    page.locator("[role=alert]").wait_for(state="visible")
    # The enrolment spent this step's code; the next step's is accepted (clock drift).
    page.fill("#id_code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.goto(page.base_url + "/akun/")
    assert page.locator("h1").inner_text() == "Akun saya"
