"""Stratified estimates of proportions and the data-reliability summary, against hand-computed
cases (no database). Each case writes its arithmetic out."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from sikumuh.core.estimates import (
    ResurveyRecord,
    reliability,
    stratified_proportion,
    stratum_variance,
)


def answers(key: str, yes: int, no: int) -> list[tuple[str, bool]]:
    return [(key, True)] * yes + [(key, False)] * no


def test_two_strata_by_hand() -> None:
    # A: N=10, n=4, 3 yes → p̂_A = 0.75; fpc = 1 − 4/10 = 0.6
    #    Var_A = 0.6 × 0.75 × 0.25 / 3 = 0.0375
    # B: N=30, n=6, 3 yes → p̂_B = 0.5; fpc = 1 − 6/30 = 0.8
    #    Var_B = 0.8 × 0.5 × 0.5 / 5 = 0.04
    # W_A = 10/40 = 0.25, W_B = 0.75
    # p̂ = 0.25 × 0.75 + 0.75 × 0.5 = 0.5625
    # Var = 0.0625 × 0.0375 + 0.5625 × 0.04 = 0.00234375 + 0.0225 = 0.02484375
    # se = √0.02484375 = 0.157619…; CI = 0.5625 ± 1.96 × 0.157619 = [0.25357, 0.87143]
    result = stratified_proportion({"A": 10, "B": 30}, answers("A", 3, 1) + answers("B", 3, 3))
    assert result.p == pytest.approx(0.5625)
    assert result.variance == pytest.approx(0.02484375)
    assert result.se == pytest.approx(math.sqrt(0.02484375))
    assert result.low == pytest.approx(0.5625 - 1.96 * math.sqrt(0.02484375))
    assert result.low == pytest.approx(0.25357, abs=1e-5)
    assert result.high == pytest.approx(0.87143, abs=1e-5)
    assert (result.answered, result.positive, result.population) == (10, 6, 40)
    a, b = result.strata
    assert (a.p, a.variance) == (pytest.approx(0.75), pytest.approx(0.0375))
    assert a.low == pytest.approx(0.75 - 1.96 * math.sqrt(0.0375))
    assert (b.p, b.variance) == (pytest.approx(0.5), pytest.approx(0.04))
    assert not result.conservative


def test_a_census_stratum_adds_no_variance_and_a_single_answer_adds_the_bound() -> None:
    # C: N=3, n=3 (visited completely), 2 yes → p̂_C = 2/3, fpc = 0 → Var_C = 0
    # D: N=5, n=1, 1 yes → p̂_D = 1; n_h − 1 = 0: Var_D = 1/4 (the bound), flagged
    # W_C = 3/8, W_D = 5/8; p̂ = 3/8 × 2/3 + 5/8 × 1 = 7/8 = 0.875
    # Var = (5/8)² × 1/4 = 25/256 = 0.09765625; se = 0.3125
    # CI = 0.875 ± 0.6125 = [0.2625, 1.4875] → clipped to [0.2625, 1]
    result = stratified_proportion({"C": 3, "D": 5}, answers("C", 2, 1) + answers("D", 1, 0))
    assert result.p == pytest.approx(0.875)
    assert result.variance == pytest.approx(25 / 256)
    assert (result.low, result.high) == (pytest.approx(0.2625), 1.0)
    assert result.conservative
    assert [s.conservative for s in result.strata] == [False, True]
    assert result.strata[0].variance == 0


def test_a_stratum_without_answers_is_left_out_and_named() -> None:
    # E: N=10, no answer; F: N=10, n=2, 1 yes → p̂_F = 0.5, Var_F = 0.8 × 0.25 / 1 = 0.2
    # Covered population: F alone (W_F = 1): p̂ = 0.5, Var = 0.2
    result = stratified_proportion({"E": 10, "F": 10}, answers("F", 1, 1))
    assert result.p == pytest.approx(0.5)
    assert result.variance == pytest.approx(0.2)
    assert result.uncovered == ("E",)
    assert result.population == 10
    assert result.strata[0].p is None


def test_all_yes_gives_a_zero_width_interval_at_one() -> None:
    result = stratified_proportion({"G": 20}, answers("G", 5, 0))
    assert (result.p, result.low, result.high) == (1.0, 1.0, 1.0)


def test_no_answer_at_all_gives_no_estimate() -> None:
    result = stratified_proportion({"H": 4}, [])
    assert result.p is None
    assert result.uncovered == ("H",)


def test_answers_for_an_unknown_stratum_or_more_answers_than_items_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown stratum"):
        stratified_proportion({"A": 2}, answers("B", 1, 0))
    with pytest.raises(ValueError, match="3 answers for 2 items"):
        stratified_proportion({"A": 2}, answers("A", 3, 0))


@pytest.mark.parametrize(
    ("population", "answered", "positive", "variance", "bound"),
    [
        (10, 4, 3, Fraction(3, 80), False),  # 0.6 × 3/4 × 1/4 / 3
        (10, 10, 3, Fraction(0), False),  # census
        (10, 1, 0, Fraction(1, 4), True),  # one answer: the bound
        (1, 1, 1, Fraction(0), False),  # one item, visited: no variance, no bound
        (100, 2, 1, Fraction(98, 100) * Fraction(1, 4), False),  # 0.98 × 1/4 / 1 = 0.245
    ],
)
def test_stratum_variance_table(
    population: int, answered: int, positive: int, variance: Fraction, bound: bool
) -> None:
    assert stratum_variance(population, answered, positive) == (variance, bound)


def record(
    rt: str,
    desa: str,
    faskel: str,
    reported: dict[str, str],
    found: dict[str, str],
    pct_reported: dict[str, str],
    pct_found: dict[str, str],
    before: str,
    after: str,
) -> ResurveyRecord:
    def dec(values: dict[str, str]) -> dict[str, Decimal | None]:
        return {k: Decimal(v) for k, v in values.items()}

    return ResurveyRecord(
        rt,
        desa,
        faskel,
        dec(reported),
        dec(found),
        dec(pct_reported),
        dec(pct_found),
        before,
        after,
    )


def test_reliability_by_hand() -> None:
    # RT 1 (desa X, faskel Ani): 2a 100 → 110 m (road 40.0 → 44.0 %: 4 pp, within 5);
    #                            4b 50 → 80 m (drain 20.0 → 32.0 %: 12 pp, outside)
    # RT 2 (desa Y, faskel Ani): 2a 0 → 0 (0 pp, within); 4b not measured
    # RT 3 (desa Y, faskel Budi): 2a 200 → 150 (50.0 → 37.5 %: 12.5 pp, outside)
    # 2a: 3 compared, |Δ| = 10, 0, 50 → mean 20; relative 10/100, 50/200 → mean 0.175;
    #     pp 4, 0, 12.5 → mean 5.5; within 2
    # 4b: 1 compared, |Δ| 30, relative 0.6, pp 12, within 0
    # Ani: 3 compared, 2 within; Budi: 1, 0. Desa X: 2, 1; Y: 2, 1. Overall 4, 2.
    records = [
        record(
            "1",
            "X",
            "Ani",
            {"2a": "100", "4b": "50"},
            {"2a": "110", "4b": "80"},
            {"2a": "40", "4b": "20"},
            {"2a": "44", "4b": "32"},
            "kumuh_ringan",
            "kumuh_sedang",
        ),
        record(
            "2",
            "Y",
            "Ani",
            {"2a": "0", "4b": "10"},
            {"2a": "0"},
            {"2a": "0", "4b": "4"},
            {"2a": "0"},
            "kumuh_ringan",
            "kumuh_ringan",
        ),
        record(
            "3",
            "Y",
            "Budi",
            {"2a": "200"},
            {"2a": "150"},
            {"2a": "50"},
            {"2a": "37.5"},
            "kumuh_sedang",
            "kumuh_sedang",
        ),
    ]
    summary = reliability(records, ["2a", "4b"])
    road, drain = summary.criteria
    assert (road.compared, road.mean_abs, road.mean_rel, road.mean_abs_pp, road.within) == (
        3,
        Decimal(20),
        Decimal("0.175"),
        Decimal("5.5"),
        2,
    )
    assert (drain.compared, drain.mean_abs, drain.mean_rel, drain.within) == (
        1,
        Decimal(30),
        Decimal("0.6"),
        0,
    )
    assert [(r.label, r.compared, r.within) for r in summary.by_facilitator] == [
        ("Ani", 3, 2),
        ("Budi", 1, 0),
    ]
    assert [(r.label, r.share) for r in summary.by_desa] == [
        ("X", Fraction(1, 2)),
        ("Y", Fraction(1, 2)),
    ]
    assert summary.overall.share == Fraction(1, 2)
    assert summary.changed_class == 1
    assert summary.class_changes[("kumuh_ringan", "kumuh_sedang")] == 1
    assert summary.rts == 3


@pytest.mark.parametrize(
    ("tolerance", "within"), [(Decimal(0), 1), (Decimal(4), 2), (Decimal(13), 4)]
)
def test_the_tolerance_is_a_parameter(tolerance: Decimal, within: int) -> None:
    records = [
        record(
            "1",
            "X",
            "Ani",
            {"2a": "100", "4b": "50"},
            {"2a": "110", "4b": "80"},
            {"2a": "40", "4b": "20"},
            {"2a": "44", "4b": "32"},
            "a",
            "a",
        ),
        record("2", "Y", "Ani", {"2a": "0"}, {"2a": "0"}, {"2a": "0"}, {"2a": "0"}, "a", "a"),
        record(
            "3", "Y", "Budi", {"2a": "200"}, {"2a": "150"}, {"2a": "50"}, {"2a": "37.5"}, "a", "a"
        ),
    ]
    assert reliability(records, ["2a", "4b"], tolerance_pp=tolerance).overall.within == within


def test_a_found_volume_without_a_reported_one_is_noted_not_compared() -> None:
    summary = reliability(
        [record("9", "X", "Ani", {}, {"2a": "5"}, {}, {"2a": "1"}, "a", "a")], ["2a"]
    )
    assert summary.overall.compared == 0
    assert "no reported volume" in summary.notes[0]
