"""Kumuh akhir of a region from a base year (criteria.md §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.projection import (
    InvestmentVolume,
    RtFigures,
    by_class,
    project_region,
    slum_ha,
)
from tests.core.conftest import MakeUnit


def _rt(make_unit: MakeUnit, key: int, luas: str, volumes: dict[str, int]) -> RtFigures:
    unit = make_unit(volumes=volumes, header={"luas_ha": luas})
    return RtFigures(
        key, "63.01.03.1001", "L-01", f"{key:03d}", Decimal(luas), unit, PERMEN_PUPR_14_2018
    )


# RT 1 (1.5 ha) scores 16 (Kumuh Ringan): 1a, 2b, 3a at 5, 7a at 1. RT 2 (2.5 ha) the same.
RINGAN = {"1a": 40, "2b": 605, "3a": 54, "7a": 13}


@pytest.fixture
def rts(make_unit: MakeUnit) -> list[RtFigures]:
    return [_rt(make_unit, 1, "1.5", RINGAN), _rt(make_unit, 2, "2.5", RINGAN)]


def test_investments_after_the_base_year_up_to_until_graduate_their_rt(
    rts: list[RtFigures],
) -> None:
    investments = [
        InvestmentVolume(1, "7a", 2022, Decimal(20)),  # 13 → 0 (never below 0): 7a 1 → 0
        InvestmentVolume(2, "7a", 2021, Decimal(13)),  # the base year itself: not counted
        InvestmentVolume(2, "7a", 2025, Decimal(13)),  # after until: not counted
        InvestmentVolume(None, "2b", 2022, Decimal(605)),  # location-level: money only
        InvestmentVolume(99, "2b", 2022, Decimal(605)),  # an RT without figures as of 2021
    ]
    result = project_region(rts, investments, base_year=2021, until=2024)
    assert (result.investments_counted, result.location_level, result.without_figures) == (1, 1, 1)
    first, second = result.units
    assert first.projection.projected.klass is SlumClass.TIDAK_KUMUH
    assert first.projection.projected.total == 15
    assert second.projection.projected.total == 16
    assert slum_ha(result, projected=False) == Decimal("4.0")
    assert slum_ha(result, projected=True) == Decimal("2.5")
    classes = by_class(result)
    assert classes["kumuh_ringan"].measured_rt == 2
    assert (classes["tidak_kumuh"].projected_ha, classes["tidak_kumuh"].projected_rt) == (
        Decimal("1.5"),
        1,
    )


def test_an_investment_in_a_criterion_outside_the_rt_rule_set_changes_nothing(
    rts: list[RtFigures],
) -> None:
    result = project_region(
        rts, [InvestmentVolume(1, "4d", 2022, Decimal(5))], base_year=2021, until=2022
    )
    assert result.units[0].projection.projected.total == 16


def test_until_before_the_base_year_is_refused(rts: list[RtFigures]) -> None:
    with pytest.raises(ValueError, match="before the base year"):
        project_region(rts, [], base_year=2022, until=2021)
