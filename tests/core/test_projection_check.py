"""Kumuh akhir against a later survey ("did the works do what was planned?") and what each
investment did to its criterion (criteria.md §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.projection import InvestmentVolume, RtFigures, project_region
from sikumuh.core.projection_check import (
    Measured,
    compare,
    did_what_was_planned,
    investment_steps,
)
from tests.core.conftest import MakeUnit

B, S, R, T = SlumClass.BERAT, SlumClass.SEDANG, SlumClass.RINGAN, SlumClass.TIDAK_KUMUH

# (projected class, measured class later) → did the works do what was planned?
RULE = [
    (T, T, True),
    (T, R, False),
    (T, S, False),
    (T, B, False),
    (R, T, True),  # more than planned
    (R, R, True),
    (R, S, False),
    (S, R, True),
    (S, S, True),
    (S, B, False),
    (B, B, True),
    (B, T, True),
    (None, T, None),  # the projection has scoring errors: not judged
    (T, None, None),  # the later survey has scoring errors: not judged
    (None, None, None),
]


@pytest.mark.parametrize(("projected", "measured", "expected"), RULE)
def test_the_works_did_what_was_planned_when_the_measured_class_is_no_heavier(
    projected: SlumClass | None, measured: SlumClass | None, expected: bool | None
) -> None:
    assert did_what_was_planned(projected, measured) is expected


# RT scoring 16 (Kumuh Ringan): 1a, 2b, 3a at 5 and 7a at 1; 13 buildings off 7a → Tidak Kumuh.
RINGAN = {"1a": 40, "2b": 605, "3a": 54, "7a": 13}


def _rt(make_unit: MakeUnit, key: int, luas: str) -> RtFigures:
    unit = make_unit(volumes=RINGAN, header={"luas_ha": luas})
    return RtFigures(
        key, "63.01.03.1001", "L-01", f"{key:03d}", Decimal(luas), unit, PERMEN_PUPR_14_2018
    )


def test_compare_judges_the_invested_and_resurveyed_rts_only(make_unit: MakeUnit) -> None:
    rts = [_rt(make_unit, k, luas) for k, luas in [(1, "1.5"), (2, "2.5"), (3, "1"), (4, "2")]]
    graduate = Decimal(13)
    investments = [InvestmentVolume(k, "7a", 2022, graduate) for k in (1, 2, 4)]
    projection = project_region(rts, investments, base_year=2021, until=2023)
    measured = {
        1: Measured(1, 2023, T, Decimal("1.5")),  # as planned
        2: Measured(2, 2023, R, Decimal("2.4")),  # still Kumuh Ringan: not as planned
        3: Measured(3, 2023, T, Decimal("1")),  # no investment: not judged at all
        4: Measured(4, 2021, R, Decimal("2")),  # the base year itself: not re-surveyed
    }
    outcomes = compare(projection, measured, 2023)
    assert [o.item.figures.key for o in outcomes.rts] == [1, 2]
    assert (outcomes.achieved, len(outcomes.judged), outcomes.not_resurveyed) == (1, 2, 1)
    assert [o.item.figures.key for o in outcomes.missed] == [2]
    assert outcomes.projected_slum_ha == Decimal(0)
    assert outcomes.measured_slum_ha == Decimal("2.4")  # the later survey's area


def test_compare_needs_a_later_year(make_unit: MakeUnit) -> None:
    projection = project_region([_rt(make_unit, 1, "1")], [], base_year=2021, until=2021)
    with pytest.raises(ValueError, match="follow the base year"):
        compare(projection, {}, 2021)


def test_each_investment_takes_its_volume_off_what_the_earlier_left_never_below_zero(
    make_unit: MakeUnit,
) -> None:
    rt = _rt(make_unit, 1, "1.5")
    items = [
        InvestmentVolume(1, "2b", 2022, Decimal(400)),
        InvestmentVolume(1, "2b", 2023, Decimal(300)),  # 205 left: 205 → 0
        InvestmentVolume(1, "7a", 2021, Decimal(5)),  # the base year: not counted
        InvestmentVolume(1, "4d", 2022, Decimal(5)),  # a 2016 criterion: not in this rule set
        InvestmentVolume(1, "3a", 2025, Decimal(5)),  # after until
    ]
    steps = investment_steps(rt, items, base_year=2021, until=2024)
    assert [(s.counted, s.before, s.after) for s in steps] == [
        (True, Decimal(605), Decimal(205)),
        (True, Decimal(205), Decimal(0)),
        (False, None, None),
        (False, None, None),
        (False, None, None),
    ]
