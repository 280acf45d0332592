"""The import wizard and the RT form in a real browser (Playwright driving Chromium)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.demo.build import build_demo
from sikumuh.io.models import ImportRun
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import score_values
from tests.conftest import Personas, browser_login
from tests.jobs.support import work_off
from tests.web.test_rtdata_support import (
    SARANG_HALANG,
    media,
    rt_in,
    sarang_halang_rows,
    template_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["media"]  # fixtures, imported for pytest


@pytest.fixture
def tanah_laut(personas: Personas) -> Personas:
    build_demo(actor=Actor.system("test"))
    return personas


def choose_file(page: Any, name: str, content: bytes) -> None:
    page.set_input_files(
        "#f-file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.click("#upload-form button[type=submit]")


def test_the_wizard_rejects_a_bad_file_with_its_errors_then_accepts_a_good_one(
    page: Any, tanah_laut: Personas, media: Path
) -> None:
    browser_login(page, "facilitator")
    page.goto(page.base_url + f"/wilayah/{SARANG_HALANG}/impor/")
    bad = sarang_halang_rows(2022)
    bad[1]["v_2b"] = -5
    choose_file(page, "salah.csv", template_file(bad))

    errors = page.locator("#import-errors table.problems tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    file, row, column, value = errors.first.locator("td").all_inner_texts()[:4]
    assert (file, row, column) == ("salah.csv", "3", "v_2b")
    assert Decimal(value) == -5
    assert page.locator("#import-refused").is_visible()
    assert page.locator("#count-rejected").inner_text() == "1"

    page.click("text=Unggah file lain")
    choose_file(page, "benar.csv", template_file(sarang_halang_rows(2022)))
    page.locator("#count-new").wait_for()
    assert page.locator("#count-new").inner_text() == "6"
    assert page.locator("#import-errors").count() == 0
    page.click("#import-confirm button[type=submit]")
    page.wait_for_url("**/tugas/*/")  # the import is a job: the worker stores the file
    work_off()
    page.get_by_role("link", name="Riwayat impor ini").click(timeout=10_000)
    page.locator("#run-status").wait_for()
    assert "Tersimpan" in page.locator("#run-status").inner_text()
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6
    assert ImportRun.objects.filter(status="committed", region_code=SARANG_HALANG).count() == 1


def test_the_rt_form_updates_the_total_and_class_as_a_volume_is_typed(
    page: Any, tanah_laut: Personas
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    header = {name: getattr(obs, name) for name in HEADER_FIELDS}

    def expected(**volumes: Any) -> Any:
        values = {**obs.volumes, **{k: str(v) for k, v in volumes.items()}}
        return score_values(header=header, volumes=values, percents={}, rule_set_id=obs.rule_set)

    # Every criterion in its worst band: the total jumps to 80, Kumuh Berat.
    worst = _denominators(obs)
    target = expected(**worst)
    browser_login(page, "facilitator")
    page.goto(page.base_url + f"/rt/{rt.pk}/isian/2021/")
    assert page.locator("#rt-total").inner_text() == str(obs.score.total)
    for code, value in worst.items():
        page.fill(f"#f-v_{code}", str(value))
    page.wait_for_function(
        "text => document.querySelector('#rt-total').innerText === text", arg=str(target.total)
    )
    assert page.locator("#rt-class").inner_text() == target.klass.label_id
    assert "score-5" in page.locator("#res-2b").inner_html()

    page.fill("#f-v_2b", "-5")
    page.locator("#res-2b .field-error").wait_for()
    assert "negatif" in page.locator("#res-2b").inner_text()
    assert page.locator("#rt-total").inner_text() == "–"
    assert Observation.objects.get(pk=obs.pk).volumes == obs.volumes  # nothing saved


def _denominators(obs: Observation) -> dict[str, Decimal]:
    """Each criterion's volume at 100 % of its denominator."""
    from sikumuh.core.criteria import get_rule_set

    return {c.code: getattr(obs, c.denominator) for c in get_rule_set(obs.rule_set).criteria}
