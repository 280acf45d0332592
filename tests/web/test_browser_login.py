"""Logging in, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_logs_in_and_out_in_bahasa_indonesia(page: Any, personas: Personas) -> None:
    page.goto(page.base_url + "/")
    assert "/masuk/" in page.url
    assert page.locator("h1").inner_text() == "Masuk"
    browser_login(page, "viewer")
    page.wait_for_load_state()
    assert "/masuk/" not in page.url
    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")


def test_a_wrong_password_is_refused_with_a_message(page: Any, personas: Personas) -> None:
    browser_login(page, "viewer", password="salah")
    # Wait for the answer: right after the click the old page is still shown.
    page.locator("[role=alert]").wait_for(state="visible")
    assert "/masuk/" in page.url
