"""An administrator registers a new SK version in a real browser (strict CSP, Indonesian)."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.slums.models import SkDecree
from tests.conftest import PASSWORD, Personas
from tests.slums.test_sk_data import first_version

#: Not this area's: htmx's own indicator <style> (sha256 below), refused by the strict CSP on
#: every page until base.html turns ``includeIndicatorStyles`` off, and the missing favicon.
HTMX_INDICATOR_STYLE = "sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk="


def known_frame_noise(message: str) -> bool:
    # Failed loads are checked by URL below (the console message does not name the file).
    return HTMX_INDICATOR_STYLE in message or message.startswith("Failed to load resource")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_registers_a_new_version_and_compares_it_with_the_previous(
    page: Any, personas: Personas
) -> None:
    v1, places = first_version()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    # Logged in with the next page given, so that this test needs no other area's page.
    page.goto(page.base_url + "/masuk/?next=/wilayah/63.01/sk/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/wilayah/63.01/sk/")
    page.click(f"text={v1.number}")
    page.click("text=Daftarkan versi baru")
    page.fill("#id_number", "188.45/120/2021")
    page.fill("#id_year", "2021")
    page.fill(f"#id_ha_{places['b'].pk}", "2,5")
    page.fill(f"#id_ha_{places['c'].pk}", "")
    page.fill(f"#id_ha_{places['d'].pk}", "1,25")
    page.click("button[type=submit].primary")

    page.wait_for_selector("text=perubahan dari versi sebelumnya")
    assert "sudah didaftarkan sebagai versi baru" in page.content()
    page.click("text=perubahan dari versi sebelumnya")
    page.wait_for_selector("table.sk-diff tr.sk-diff-added")
    assert "20,45 Ha → 8,70 Ha" in page.content()
    assert SkDecree.objects.get(number="188.45/120/2021").supersedes_id == v1.pk
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert [p for p in problems if not known_frame_noise(p)] == [], "\n".join(problems)
