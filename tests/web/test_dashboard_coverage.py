"""The dashboard after the facilitator of Sarang Halang saves one RT for 2022 (the issue's
scenario): it opens on 2021, offers 2022 as provisional, and says 2022's coverage in words."""

from __future__ import annotations

import pytest

from sikumuh.reports.pengurangan_data import pengurangan_data
from sikumuh.surveys.asof import ALL
from tests.conftest import Personas
from tests.surveys.test_as_of_scenario import _facilitator_saves_one_rt_for_2022
from tests.web.test_dashboard_pages import text_of
from tests.web.test_dashboard_support import KABUPATEN, demo, demo_module

__all__ = ["demo", "demo_module"]  # fixtures used by name below


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_the_dashboard_opens_on_2021_and_offers_2022_as_provisional(
    demo: Personas, persona: str
) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    text = text_of(demo.client(persona).get(f"/wilayah/{KABUPATEN}/"))
    assert "Data 2021 lengkap" in text
    assert "2022 (sementara)" in text
    assert "152,56" in text


def test_the_provisional_year_says_how_many_rts_were_updated_and_carried(demo: Personas) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    text = text_of(demo.client("viewer").get(f"/wilayah/{KABUPATEN}/?tahun=2022"))
    assert "Data 2022 sementara: 1 dari" in text
    assert "RT memakai data 2021" in text
    assert "Luas kumuh sekarang 0,00" not in text


@pytest.mark.parametrize("persona", ["facilitator", "outsider"])
def test_who_may_not_see_the_kabupaten_gets_404(demo: Personas, persona: str) -> None:
    # A facilitator sees their desa's dashboard only.
    assert demo.client(persona).get(f"/wilayah/{KABUPATEN}/").status_code == 404


def test_the_reduction_report_states_each_year_s_coverage(demo: Personas) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    data = pengurangan_data(KABUPATEN, status=ALL)
    assert data.years == [2019, 2021, 2022]
    coverages = [row.coverage for row in data.rows]
    assert [c.complete for c in coverages if c] == [True, True, False]
    assert data.latest is not None
    assert data.latest.area.slum_ha > 0
