"""An administrator takes a consultant's layer in as the new SK in a real browser (strict CSP,
Indonesian), at desktop and phone width: upload, mapping guessed, checked preview, confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sikumuh.slums.models import SkDecree
from tests.conftest import PASSWORD, Personas
from tests.io import layer_files
from tests.web.test_sk_browser import known_frame_noise


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_maps_checks_and_confirms_a_layer(
    page: Any, personas: Personas, settings: Any, tmp_path: Path, width: int
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    layer = layer_files.shapefile_zip(tmp_path / "delineasi_konsultan.zip", valid_only=True)
    page.set_viewport_size({"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(page.base_url + "/masuk/?next=/wilayah/63.01/sk/lapisan-gis/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/wilayah/63.01/sk/lapisan-gis/")
    page.set_input_files("#id_file", str(layer))
    page.fill("#id_number", "188.45/77/2025")
    page.fill("#id_date", "2025-06-01")
    page.click("button[type=submit].primary")

    page.wait_for_selector("text=Pemeriksaan lapisan GIS")
    assert page.input_value("#id_map_name") == "NAMA_LOKAS"
    assert page.input_value("#id_map_desa") == "DESA_KEL"
    assert "63.01.10.2001" in page.content()  # "DS. BAJUIN" found
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.click("button[value=confirm]")
    page.wait_for_url("**/sk/*/")
    decree = SkDecree.objects.get(number="188.45/77/2025")
    assert decree.entries.count() == 3
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert [p for p in problems if not known_frame_noise(p)] == [], "\n".join(problems)
