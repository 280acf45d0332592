"""Kumuh akhir: investments reduce volumes (never below zero), then the unit is rescored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.projection import project_after_investment, project_and_score, sum_investments
from sikumuh.core.scoring import UnitInput

HEADER = {
    "luas_ha": 1.5,
    "jumlah_bangunan": 50,
    "jumlah_penduduk": 210,
    "jumlah_kk": 60,
    "panjang_jalan_ideal_m": 780,
    "panjang_drainase_ideal_m": 385,
}
WORKED_VOLUMES = {
    **dict.fromkeys(PERMEN_PUPR_14_2018.codes, 0),
    "2b": 605,
    "3a": 54,
    "4c": 310,
    "1a": 45,
    "1c": 30,
    "4b": 200,
    "5a": 50,
    "6a": 36,
    "7a": 15,
    "7b": 30,
}


@pytest.fixture
def worked() -> UnitInput:
    return UnitInput.from_values(header=HEADER, volumes=WORKED_VOLUMES)


def test_an_investment_reduces_the_volume_of_its_criterion(worked: UnitInput) -> None:
    projected = project_after_investment(worked, {"2b": Decimal(300)})
    assert projected.volumes["2b"] == Decimal("305.000000")
    assert projected.volumes["3a"] == worked.volumes["3a"]
    assert projected.header == worked.header


def test_an_investment_larger_than_the_volume_leaves_zero(worked: UnitInput) -> None:
    assert project_after_investment(worked, {"4c": Decimal(500)}).volumes["4c"] == Decimal(0)


def test_a_criterion_without_investment_keeps_even_a_negative_volume(worked: UnitInput) -> None:
    unit = UnitInput(header=worked.header, volumes={**worked.volumes, "4a": Decimal("-0.5")})
    assert project_after_investment(unit, {"2b": Decimal(1)}).volumes["4a"] == Decimal("-0.5")


def test_a_percentage_only_criterion_keeps_its_percentage_with_a_warning(
    worked: UnitInput,
) -> None:
    volumes = {k: v for k, v in worked.volumes.items() if k != "3a"}
    unit = UnitInput(header=worked.header, volumes=volumes, percents={"3a": Decimal(90)})
    projection = project_and_score(unit, {"3a": Decimal(20)})
    assert projection.projected.percent["3a"] == Decimal("90.00")
    assert [w.code for w in projection.projected.warnings] == ["cannot_project_percent"]
    assert projection.projected.ok


def test_a_negative_investment_is_refused(worked: UnitInput) -> None:
    with pytest.raises(ValueError, match="2b"):
        project_after_investment(worked, {"2b": Decimal(-1)})


def test_investments_are_summed_per_criterion_exactly() -> None:
    items = [("2b", Decimal("0.1")), ("2b", Decimal("0.2")), ("3a", Decimal(5))]
    assert sum_investments(items) == {"2b": Decimal("0.3"), "3a": Decimal(5)}


def test_the_worked_example_drops_to_kumuh_ringan_after_road_and_water_works(
    worked: UnitInput,
) -> None:
    # 605 m of road repaired (2b 77.56 % → 0 %), 44 KK connected (3a 90 % → 16.67 %).
    projection = project_and_score(worked, {"2b": Decimal(605), "3a": Decimal(44)})
    assert (projection.baseline.total, projection.baseline.klass) == (38, SlumClass.SEDANG)
    assert projection.projected.score["2b"] == 0
    assert projection.projected.percent["3a"] == Decimal("16.67")
    assert (projection.projected.total, projection.projected.klass) == (28, SlumClass.RINGAN)
    assert projection.total_change == -10


def test_the_total_change_is_unknown_when_a_total_is(worked: UnitInput) -> None:
    broken = UnitInput(header=worked.header, volumes={**worked.volumes, "1a": None})
    assert project_and_score(broken, {}).total_change is None
