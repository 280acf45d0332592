"""The checklist form of an uji petik item, in a real browser: fill it, save it, see it stored."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.inspections.models import Checklist
from tests.conftest import Personas, browser_login
from tests.inspections.helpers import SARANG_HALANG, build_works, draw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_fills_and_saves_a_checklist(page: Any, personas: Personas) -> None:
    build_works()
    item = draw(n=6, seed=42).items.filter(desa_code=SARANG_HALANG).first()
    assert item is not None
    browser_login(page, "facilitator")
    page.wait_for_load_state()
    page.goto(f"{page.base_url}/uji-petik/item/{item.pk}/checklist/")
    assert page.locator("#checklist-status").inner_text() == "Belum diperiksa."
    page.fill("#id_volume_planned", "120")
    page.fill("#id_volume_built", "118.5")
    page.select_option("#id_meets_spec", "true")
    page.select_option("#id_quality", "rusak_ringan")
    page.select_option("#id_function", "berfungsi_sebagian")
    page.select_option("#id_kpp_formed", "true")
    page.select_option("#id_kpp_dues_or_schedule", "false")
    page.fill("#id_notes", "Saluran tertutup sedimen di ujung hilir.")
    page.click("#checklist-form button[type=submit]")
    page.wait_for_load_state()
    assert "Checklist" in page.locator(".messages").inner_text()
    assert page.locator("#id_function").input_value() == "berfungsi_sebagian"
    assert "facilitator" in page.locator("#checklist-status").inner_text()
    stored = Checklist.objects.get(sample_item=item)
    assert (stored.function, stored.quality, stored.meets_spec, stored.kpp_dues_or_schedule) == (
        "berfungsi_sebagian",
        "rusak_ringan",
        True,
        False,
    )
    assert str(stored.volume_built) == "118.5000"
