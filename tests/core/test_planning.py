"""The planner's first stage: the cheapest way to graduate one RT (criteria.md §10)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from sikumuh.core.criteria import PERMEN_PUPR_02_2016, PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.decimals import MICRO, to_micro
from sikumuh.core.planning import (
    ACTION_STEP_MICRO,
    Level,
    apply_actions,
    cheapest_choice,
    cheapest_graduation,
    check_plan,
    costs_to_micro,
    criterion_levels,
    make_plan,
)
from sikumuh.core.projection import RtFigures
from sikumuh.core.scoring import score_cell, score_unit
from tests.core.conftest import MakeUnit

R18 = PERMEN_PUPR_14_2018


# (criterion, denominator, volume, unit cost) → [(to score, reduction)], computed by hand with
# the scoring's half-up rounding on 2 dp: a percentage scores 5 from 76.00, 3 from 51.00, 1 from
# 25.00, so "score ≤ 3" means the percentage rounds to ≤ 75.99, i.e. is below 75.995.
LEVEL_CASES = [
    # 1a: 40 of 50 buildings (80 %): ≤ 37 (74 %), ≤ 25 (50 %), ≤ 12 (24 %); whole buildings.
    ("1a", "50", "40", [(3, "3"), (1, "15"), (0, "28")]),
    # 3a: 160 of 200 KK: 151 KK is 75.5 % (the gap above 75 belongs to 3), 152 is 76 %.
    ("3a", "200", "160", [(3, "9"), (1, "59"), (0, "111")]),
    # 2b, the worked example: 605 of 780 m (77.56 %): 592.76 m is 75.9949 % → 75.99 %;
    # 592.77 m is 75.9962 % → 76.00 %; steps of 0.01 m.
    ("2b", "780", "605", [(3, "12.24"), (1, "207.24"), (0, "410.04")]),
    # 4b over 400 m: 303.98 m is exactly 75.995 %, which rounds half-up to 76.00 % (score 5):
    # the reduction must reach 303.97 m, so 16.03 m and not 16.02 m.
    ("4b", "400", "320", [(3, "16.03"), (1, "116.03"), (0, "220.03")]),
    # 1b: 1.2 of 1.5 ha: 1.1399 ha is 75.9933 % → 75.99 %, 1.14 ha is 76 %; steps of 0.0001 ha.
    ("1b", "1.5", "1.2", [(3, "0.0601"), (1, "0.4351"), (0, "0.8251")]),
    # 7a: 1 of 3 buildings (33.33 %, score 1): score 0 needs 0 buildings — the whole volume.
    ("7a", "3", "1", [(0, "1")]),
    # A criterion scoring 0 has nothing to shed.
    ("5a", "60", "10", []),
]


@pytest.mark.parametrize(("code", "denominator", "volume", "expected"), LEVEL_CASES)
def test_each_lower_score_needs_the_smallest_reduction_on_the_criterion_step(
    code: str, denominator: str, volume: str, expected: list[tuple[int, str]]
) -> None:
    levels = criterion_levels(
        R18,
        code,
        volume_micro=to_micro(Decimal(volume)),
        denominator_micro=to_micro(Decimal(denominator)),
        unit_cost_micro=MICRO,
    )
    assert [(lv.to_score, lv.reduction) for lv in levels] == [
        (score, Decimal(reduction)) for score, reduction in expected
    ]


def test_an_action_costs_the_reduction_times_the_unit_cost_rounded_half_up_to_the_rupiah() -> None:
    # 12.24 m × Rp 1,250.50 = Rp 15,306.12 → 15,306; 16.03 m × 0.5 = 8.015 → 8.
    (level, *_rest) = criterion_levels(
        R18,
        "2b",
        volume_micro=605 * MICRO,
        denominator_micro=780 * MICRO,
        unit_cost_micro=to_micro(Decimal("1250.50")),
    )
    assert level.cost == 15_306
    (half, *_rest) = criterion_levels(
        R18,
        "4b",
        volume_micro=320 * MICRO,
        denominator_micro=400 * MICRO,
        unit_cost_micro=to_micro(Decimal("0.5")),
    )
    assert half.cost == 8


# An RT of total 16 (Kumuh Ringan, one point above Tidak Kumuh): 1a, 2b and 3a score 5, 7a 1.
RINGAN = {"1a": 40, "2b": 605, "3a": 54, "7a": 13}

# unit costs → the one action of the cheapest graduation, its rupiah and the total after it
# (5 → 3 sheds two points, 1 → 0 one).
GRADUATION_CASES = [
    # 1a→3: 3 buildings × 10 M = 30 M; 2b→3: 12.24 m × 1 M = 12.24 M; 3a→3: 9 KK × 2 M = 18 M;
    # 7a→0: 1 building × 50 M.
    ({"1a": 10_000_000, "2b": 1_000_000, "3a": 2_000_000, "7a": 50_000_000}, "2b", 12_240_000, 14),
    ({"1a": 10_000_000, "3a": 2_000_000, "7a": 50_000_000}, "3a", 18_000_000, 14),
    ({"7a": 50_000_000}, "7a", 50_000_000, 15),
    ({"1a": 1_000_000, "2b": 1_000_000}, "1a", 3_000_000, 14),
]


@pytest.mark.parametrize(("costs", "code", "rupiah", "total_after"), GRADUATION_CASES)
def test_the_cheapest_graduation_takes_the_cheapest_criterion_that_sheds_enough_points(
    make_unit: MakeUnit, costs: dict[str, int], code: str, rupiah: int, total_after: int
) -> None:
    unit = make_unit(volumes=RINGAN)
    assert score_unit(unit).total == 16
    graduation = cheapest_graduation(unit, R18, costs_to_micro(_dec(costs)))
    assert graduation is not None
    assert [a.code for a in graduation.actions] == [code]
    assert graduation.cost == rupiah
    assert graduation.total_after == total_after
    after = score_unit(apply_actions(unit, graduation.actions))
    assert (after.total, after.klass) == (total_after, SlumClass.TIDAK_KUMUH)


def test_an_rt_that_no_priced_criterion_can_graduate_gets_no_plan(make_unit: MakeUnit) -> None:
    unit = make_unit(volumes={**RINGAN, "1c": 50, "5a": 60, "6a": 60, "6b": 60})  # total 36
    assert cheapest_graduation(unit, R18, costs_to_micro({"7a": Decimal(1)})) is None


def test_an_rt_already_tidak_kumuh_needs_no_plan(make_unit: MakeUnit) -> None:
    unit = make_unit(volumes={"1a": 40})
    assert cheapest_graduation(unit, R18, costs_to_micro({"1a": Decimal(1)})) is None


def test_the_2016_rule_set_graduates_below_19_with_its_own_criteria(make_unit: MakeUnit) -> None:
    # 19 criteria: 1a, 2b, 3a, 4d at 5 → 20, one point above the 2016 Tidak Kumuh bound (< 19).
    unit = make_unit(
        volumes={"1a": 40, "2b": 605, "3a": 54, "4d": 385}, rule_set=PERMEN_PUPR_02_2016
    )
    assert score_unit(unit, PERMEN_PUPR_02_2016).klass is SlumClass.RINGAN
    costs = costs_to_micro({"4d": Decimal(1000), "1a": Decimal(10**9)})
    graduation = cheapest_graduation(unit, PERMEN_PUPR_02_2016, costs)
    assert graduation is not None
    assert [(a.code, a.to_score) for a in graduation.actions] == [("4d", 3)]
    after = score_unit(apply_actions(unit, graduation.actions), PERMEN_PUPR_02_2016)
    assert after.klass is SlumClass.TIDAK_KUMUH


def _dec(costs: dict[str, int]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in costs.items()}


def _brute_force(options: list[tuple[Level, ...]], points: int) -> int | None:
    best: int | None = None
    for pick in itertools.product(*[(None, *levels) for levels in options]):
        chosen = [lv for lv in pick if lv is not None]
        if sum(lv.points for lv in chosen) >= points:
            cost = sum(lv.cost for lv in chosen)
            best = cost if best is None else min(best, cost)
    return best


_level_sets = st.lists(
    st.lists(st.tuples(st.integers(1, 5), st.integers(0, 1000)), min_size=1, max_size=3),
    min_size=0,
    max_size=6,
)


@seed(20261207)
@settings(max_examples=150, deadline=None)
@given(raw=_level_sets, points=st.integers(0, 20))
def test_the_choice_per_rt_costs_what_brute_force_finds(
    raw: list[list[tuple[int, int]]], points: int
) -> None:
    options = [
        tuple(Level(f"c{i}", 0, p, 0, cost) for p, cost in levels) for i, levels in enumerate(raw)
    ]
    chosen = cheapest_choice(options, points)
    expected = _brute_force(options, points)
    if expected is None:
        assert chosen is None
    else:
        assert chosen is not None
        assert sum(lv.points for lv in chosen) >= points
        assert sum(lv.cost for lv in chosen) == expected
        assert len({lv.code for lv in chosen}) == len(chosen)  # one level per criterion


_CRITERION = st.sampled_from([("1a", "unit"), ("2b", "m"), ("1b", "ha"), ("3a", "KK")])


@seed(20261207)
@settings(max_examples=300, deadline=None)
@given(
    criterion=_CRITERION,
    denominator_steps=st.integers(1, 200_000),
    share=st.integers(0, 1000),
)
def test_every_reduction_reaches_its_score_and_one_step_less_would_not(
    criterion: tuple[str, str], denominator_steps: int, share: int
) -> None:
    code, unit = criterion
    step = ACTION_STEP_MICRO[unit]
    denominator = denominator_steps * step
    volume = denominator_steps * share // 1000 * step  # on the step grid, 0 – 100 %
    for level in criterion_levels(
        R18, code, volume_micro=volume, denominator_micro=denominator, unit_cost_micro=MICRO
    ):
        assert level.reduction_micro % step == 0
        _, after, _ = score_cell(volume - level.reduction_micro, denominator, None, R18)
        assert after == level.to_score
        if level.reduction_micro >= step:
            _, short, _ = score_cell(volume - level.reduction_micro + step, denominator, None, R18)
            assert short is not None
            assert short > level.to_score


def _figures(make_unit: MakeUnit, key: int, luas: str, volumes: dict[str, int]) -> RtFigures:
    unit = make_unit(volumes=volumes, header={"luas_ha": luas})
    return RtFigures(key, "63.01.03.1001", "L-01", f"{key:03d}", Decimal(luas), unit, R18)


def test_the_plan_beats_greedy_where_the_best_ratio_blocks_the_big_rt(make_unit: MakeUnit) -> None:
    # Priced: 2b at Rp 500,000 a metre, 3a at Rp 5 M a household. RT 1 (1 ha, total 16)
    # graduates by 2b→3 (12.24 m, Rp 6.12 M: 0.163 ha per M); RT 2 (5 ha, total 16, no road
    # problem) only by 3a→3 (9 KK, Rp 45 M: 0.111 ha per M). With Rp 50 M greedy takes RT 1 and
    # RT 2 no longer fits (1 ha); the optimum takes RT 2 alone (5 ha).
    small = _figures(make_unit, 1, "1", RINGAN)
    big = _figures(make_unit, 2, "5", {"1a": 40, "1c": 40, "3a": 54, "7a": 13})
    costs = {"2b": Decimal(500_000), "3a": Decimal(5_000_000)}
    plan = make_plan([small, big], costs, 50_000_000)
    assert [p.figures.key for p in plan.rts] == [2]
    assert (plan.graduated_ha, plan.cost) == (Decimal(5), 45_000_000)
    assert [p.figures.key for p in plan.greedy_rts] == [1]
    assert (plan.greedy_graduated_ha, plan.greedy_cost) == (Decimal(1), 6_120_000)


def test_a_plan_whose_actions_do_not_graduate_an_rt_is_refused(make_unit: MakeUnit) -> None:
    rt_figures = _figures(make_unit, 1, "1.5", RINGAN)
    plan = make_plan([rt_figures], {"2b": Decimal(1_000_000)}, 20_000_000)
    (planned,) = plan.rts
    (action,) = planned.graduation.actions
    weak = Level(action.code, action.to_score, action.points, action.reduction_micro - 10_000, 1)
    tampered = replace(
        plan, rts=(replace(planned, graduation=replace(planned.graduation, actions=(weak,))),)
    )
    with pytest.raises(AssertionError, match="does not graduate"):
        check_plan(tampered)
    with pytest.raises(AssertionError, match="exceeds the budget"):
        check_plan(replace(plan, budget=1))
