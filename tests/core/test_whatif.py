"""What would change a unit's class: band arithmetic from the rule set, checked by re-scoring."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_02_2016, PERMEN_PUPR_14_2018, RuleSet, SlumClass
from sikumuh.core.decimals import percent_hundredths
from sikumuh.core.scoring import UnitInput, score_unit
from sikumuh.core.whatif import (
    ClassBand,
    Step,
    class_bands,
    criterion_steps,
    explain,
    max_hundredths_for_score,
    max_volume_micro,
)
from tests.core.conftest import WORKED_HEADER, MakeUnit

D = Decimal
M = 1_000_000


@pytest.mark.parametrize(
    ("rule_set", "bands"),
    [
        (PERMEN_PUPR_14_2018, [(SlumClass.BERAT, 60, 80), (SlumClass.SEDANG, 38, 59),
                               (SlumClass.RINGAN, 16, 37), (SlumClass.TIDAK_KUMUH, 0, 15)]),
        (PERMEN_PUPR_02_2016, [(SlumClass.BERAT, 71, 95), (SlumClass.SEDANG, 45, 70),
                               (SlumClass.RINGAN, 19, 44), (SlumClass.TIDAK_KUMUH, 0, 18)]),
    ],
    ids=["2018", "2016"],
)  # fmt: skip
def test_class_bands_come_from_the_rule_set(
    rule_set: RuleSet, bands: list[tuple[SlumClass, int, int]]
) -> None:
    assert class_bands(rule_set) == tuple(ClassBand(*band) for band in bands)


@pytest.mark.parametrize(
    ("score", "limit"),
    [(5, None), (3, 7599), (1, 5099), (0, 2499)],
)
def test_the_highest_percentage_of_a_score_is_just_below_the_next_band(
    score: int, limit: int | None
) -> None:
    assert max_hundredths_for_score(PERMEN_PUPR_14_2018, score) == limit


@pytest.mark.parametrize(
    ("limit", "denominator", "largest"),
    [
        pytest.param(7599, 780 * M, 592_760_999, id="road-75.99%-of-780m"),
        pytest.param(5099, 60 * M, 30_596_999, id="kk-50.99%-of-60"),
        pytest.param(2499, 50 * M, 12_497_499, id="buildings-24.99%-of-50"),
        pytest.param(7599, 1_500_000, 1_139_924, id="area-75.99%-of-1.5ha"),
    ],
)
def test_the_largest_volume_of_a_band_rounds_inside_it_and_one_micro_more_does_not(
    limit: int, denominator: int, largest: int
) -> None:
    assert max_volume_micro(limit, denominator) == largest
    score_at = score_unit_percent(largest, denominator)
    score_above = score_unit_percent(largest + 1, denominator)
    assert score_at < score_above


def score_unit_percent(volume_micro: int, denominator_micro: int) -> int:
    return PERMEN_PUPR_14_2018.score_for_hundredths(
        percent_hundredths(volume_micro, denominator_micro)
    )


# The worked example's road (criteria.md §8): 605 m of 780 m ideal road damaged, 77.56 % → 5.
@pytest.mark.parametrize(
    ("to_score", "reduction", "target", "max_percent", "cost"),
    [
        (3, "13", "592", "75.99", "1.66"),
        (1, "208", "397", "50.99", "26.66"),
        (0, "411", "194", "24.99", "52.69"),
    ],
)
def test_each_lower_band_of_a_criterion_names_the_whole_metres_to_fix(
    to_score: int, reduction: str, target: str, max_percent: str, cost: str
) -> None:
    steps = criterion_steps(
        PERMEN_PUPR_14_2018, "2b", score=5, hundredths=7756,
        volume_micro=605 * M, denominator_micro=780 * M,
    )  # fmt: skip
    step = next(s for s in steps if s.to_score == to_score)
    assert (step.reduction, step.target_volume) == (D(reduction), D(target))
    assert step.max_percent == D(max_percent)
    assert step.cost == D(cost)
    assert step.points == 5 - to_score
    assert step.unit == "m"


def test_an_area_criterion_is_reduced_by_whole_hundredths_of_a_hectare() -> None:
    (step, *_) = criterion_steps(
        PERMEN_PUPR_14_2018, "1b", score=5, hundredths=8000,
        volume_micro=1_200_000, denominator_micro=1_500_000,
    )  # fmt: skip
    assert (step.reduction, step.target_volume) == (D("0.07"), D("1.13"))
    assert step.unit == "ha"


def test_percentage_only_data_get_a_percentage_target_and_no_volume() -> None:
    (step, *_) = criterion_steps(
        PERMEN_PUPR_14_2018, "1a", score=5, hundredths=8000,
        volume_micro=None, denominator_micro=50 * M,
    )  # fmt: skip
    assert step.reduction is None
    assert step.target_volume is None
    assert (step.max_percent, step.cost) == (D("75.99"), D("4.01"))


def test_a_criterion_scoring_zero_has_no_step() -> None:
    steps = criterion_steps(
        PERMEN_PUPR_14_2018, "1a", score=0, hundredths=2000,
        volume_micro=10 * M, denominator_micro=50 * M,
    )  # fmt: skip
    assert steps == ()


# A Kumuh Ringan RT (total 21) on the worked-example header: three criteria at 5, two at 3.
RINGAN_VOLUMES = {"2b": 605, "3a": 54, "4c": 310, "1a": 26, "5a": 31}


def test_a_ringan_rt_needs_six_points_for_tidak_kumuh_and_gets_the_cheapest_three_steps(
    make_unit: MakeUnit,
) -> None:
    result = explain(make_unit(volumes=RINGAN_VOLUMES), PERMEN_PUPR_14_2018)
    assert result is not None
    assert (result.total, result.klass) == (21, SlumClass.RINGAN)
    assert result.band == ClassBand(SlumClass.RINGAN, 16, 37)
    assert [(s.code, s.cost) for s in result.next_steps] == [
        ("2b", D("1.66")),
        ("5a", D("1.67")),
        ("1a", D("2.00")),
        ("4c", D("4.68")),
        ("3a", D("15.00")),
    ]
    (target,) = result.targets
    assert (target.klass, target.max_total, target.points_needed) == (SlumClass.TIDAK_KUMUH, 15, 6)
    assert [(s.code, s.to_score) for s in target.plan] == [("1a", 1), ("2b", 3), ("5a", 1)]
    assert target.cost == D("5.33")


@pytest.mark.parametrize(
    ("share", "klass", "targets"),
    [
        pytest.param("1", SlumClass.BERAT, [(SlumClass.SEDANG, 21), (SlumClass.TIDAK_KUMUH, 65)],
                     id="berat-80"),
        pytest.param("0.6", SlumClass.SEDANG, [(SlumClass.RINGAN, 11), (SlumClass.TIDAK_KUMUH, 33)],
                     id="sedang-48"),
        pytest.param("0.3", SlumClass.RINGAN, [(SlumClass.TIDAK_KUMUH, 1)], id="ringan-16"),
        pytest.param("0.1", SlumClass.TIDAK_KUMUH, [], id="tidak-kumuh-0"),
    ],
)  # fmt: skip
def test_targets_are_the_next_lower_class_and_tidak_kumuh(
    make_unit: MakeUnit, share: str, klass: SlumClass, targets: list[tuple[SlumClass, int]]
) -> None:
    unit = _at_share(make_unit, share)
    result = explain(unit, PERMEN_PUPR_14_2018)
    assert result is not None
    assert result.klass is klass
    assert [(t.klass, t.points_needed) for t in result.targets] == targets


@pytest.mark.parametrize("share", ["1", "0.8", "0.6", "0.52", "0.3"])
def test_applying_a_plan_and_rescoring_reaches_the_target_class(
    make_unit: MakeUnit, share: str
) -> None:
    unit = _at_share(make_unit, share)
    result = explain(unit, PERMEN_PUPR_14_2018)
    assert result is not None
    for target in result.targets:
        rescored = score_unit(_apply(unit, target.plan), PERMEN_PUPR_14_2018)
        assert rescored.total is not None
        assert rescored.total <= target.max_total
        assert rescored.klass is target.klass


def test_a_unit_with_errors_has_no_what_if(make_unit: MakeUnit) -> None:
    assert explain(make_unit(volumes={"1a": -1}), PERMEN_PUPR_14_2018) is None


def test_a_2016_unit_uses_the_2016_bands(make_unit: MakeUnit) -> None:
    unit = make_unit(volumes=dict.fromkeys(PERMEN_PUPR_02_2016.codes, 0) | RINGAN_VOLUMES,
                     rule_set=PERMEN_PUPR_02_2016)  # fmt: skip
    result = explain(unit, PERMEN_PUPR_02_2016)
    assert result is not None
    assert (result.total, result.klass) == (21, SlumClass.RINGAN)
    assert result.band == ClassBand(SlumClass.RINGAN, 19, 44)
    assert [(t.klass, t.points_needed) for t in result.targets] == [(SlumClass.TIDAK_KUMUH, 3)]


def _at_share(make_unit: MakeUnit, share: str) -> UnitInput:
    volumes = {}
    for criterion in PERMEN_PUPR_14_2018.criteria:
        denominator = D(str(WORKED_HEADER[criterion.denominator]))
        volumes[criterion.code] = denominator * D(share)
    return make_unit(volumes=volumes)


def _apply(unit: UnitInput, plan: tuple[Step, ...]) -> UnitInput:
    volumes = dict(unit.volumes)
    for step in plan:
        assert step.target_volume is not None
        volumes[step.code] = step.target_volume
    return UnitInput(header=unit.header, volumes=volumes)
