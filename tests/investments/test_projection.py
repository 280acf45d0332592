"""The read behind kumuh akhir (`sikumuh projection` and the pages): a region or one location,
its years, its last realised investment year, and the later survey (criteria.md §7, §9)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.investments.models import Investment
from sikumuh.investments.projection import (
    Place,
    later_survey,
    latest_investment_year,
    projection_report,
    years_with_data,
)
from sikumuh.surveys.actions import save_observation
from tests.factories import ACTOR, HEADER, header, location, rt, volumes_at

pytestmark = pytest.mark.django_db

DESA = "63.01.03.1001"


@pytest.fixture
def places(load_regions_under: Callable[..., int]) -> dict[str, Any]:
    """Two locations of one desa, one RT each, observed 2019 (Kumuh Sedang-ish) and 2021."""
    load_regions_under("63.01")
    first, second = location("L-01"), location("L-02")
    units = {"a": rt(first, "001"), "b": rt(second, "001")}
    for unit in units.values():
        for tahun, share in [(2019, "0.8"), (2021, "0.1")]:
            h = header("1.5")
            save_observation(
                actor=ACTOR, rt=unit, tahun=tahun, header=h, volumes=volumes_at(share, h)
            )
    return {"first": first, "second": second, **units}


def test_a_location_counts_its_own_rts_and_investments_only(places: dict[str, Any]) -> None:
    for unit, status in [(places["a"], "realisasi"), (places["b"], "realisasi")]:
        Investment.objects.create(
            location=unit.location,
            rt=unit,
            criterion="2b",
            tahun=2020,
            activity="jalan",
            volume=HEADER["panjang_jalan_ideal_m"],
            status=status,
        )
    whole = projection_report(Place(DESA), 2019, 2021)
    one = projection_report(Place(DESA, places["first"].pk), 2019, 2021)
    assert [u["lokasi"] for u in one.as_json()["units"]] == ["L-01"]
    assert (whole.projection.investments_counted, one.projection.investments_counted) == (2, 1)
    assert one.measured_slum_ha == Decimal("1.5")


def test_years_and_the_last_realised_investment_year(places: dict[str, Any]) -> None:
    unit = places["a"]
    for tahun, status in [(2020, "realisasi"), (2024, "rencana")]:
        Investment.objects.create(
            location=unit.location,
            rt=unit,
            criterion="2b",
            tahun=tahun,
            activity="jalan",
            volume=10,
            status=status,
        )
    assert years_with_data(Place(DESA)) == [2019, 2021]
    assert years_with_data(Place(DESA, places["second"].pk)) == [2019, 2021]
    assert latest_investment_year(Place(DESA)) == 2020  # the plan of 2024 is not realised
    assert latest_investment_year(Place(DESA, places["second"].pk)) is None


def test_the_later_survey_judges_the_invested_rts(places: dict[str, Any]) -> None:
    unit = places["a"]
    Investment.objects.create(
        location=unit.location, rt=unit, criterion="2b", tahun=2020, activity="jalan", volume=10
    )
    report = projection_report(Place(DESA), 2019, 2020)
    outcomes = later_survey(report, 2021)
    assert [o.item.figures.key for o in outcomes.rts] == [unit.pk]
    # Measured 2021 at 10 % of every denominator: Tidak Kumuh, lighter than projected.
    assert outcomes.achieved == 1
