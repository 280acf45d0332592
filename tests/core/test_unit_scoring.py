"""Scoring one unit: bands, ties, classes, bad data and the worked example (criteria.md §3–§8)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_02_2016, PERMEN_PUPR_14_2018, RuleSet, SlumClass
from sikumuh.core.issues import Issue
from sikumuh.core.scoring import UnitInput, classify, score_percent, score_unit

MakeUnit = Callable[..., UnitInput]

# percentage → (rounded, score): ties, band edges and the gaps between bands (criteria.md §3).
PERCENT_TABLE = [
    ("3.125", "3.13", 0),
    ("28.125", "28.13", 1),
    ("24.99", "24.99", 0),
    ("24.995", "25.00", 1),
    ("25.00", "25.00", 1),
    ("50.00", "50.00", 1),
    ("50.5", "50.50", 1),
    ("50.99", "50.99", 1),
    ("51.00", "51.00", 3),
    ("75.00", "75.00", 3),
    ("75.5", "75.50", 3),
    ("75.99", "75.99", 3),
    ("75.995", "76.00", 5),
    ("76.56", "76.56", 5),
    ("100", "100.00", 5),
    ("0", "0.00", 0),
]


@pytest.mark.parametrize(
    ("percent", "rounded", "score"), PERCENT_TABLE, ids=[f"{p}->{s}" for p, _, s in PERCENT_TABLE]
)
def test_a_percentage_scores_by_the_band_it_reaches_after_half_up_rounding(
    percent: str, rounded: str, score: int
) -> None:
    assert score_percent(Decimal(percent)) == score
    assert score_percent(Decimal(percent), PERMEN_PUPR_02_2016) == score


@pytest.mark.parametrize(
    ("percent", "rounded", "score"), PERCENT_TABLE, ids=[f"{p}->{r}" for p, r, _ in PERCENT_TABLE]
)
def test_a_volume_over_a_denominator_of_100_gives_that_percentage_and_score(
    make_unit: MakeUnit, percent: str, rounded: str, score: int
) -> None:
    # 1b is ha of dense area over luas_ha: volume = percent when luas_ha = 100.
    result = score_unit(make_unit(volumes={"1b": percent}, header={"luas_ha": 100}))
    assert result.percent["1b"] == Decimal(rounded)
    assert str(result.percent["1b"]) == rounded
    assert result.score["1b"] == score


CLASS_2018 = [
    (0, SlumClass.TIDAK_KUMUH),
    (15, SlumClass.TIDAK_KUMUH),
    (16, SlumClass.RINGAN),
    (37, SlumClass.RINGAN),
    (38, SlumClass.SEDANG),
    (59, SlumClass.SEDANG),
    (60, SlumClass.BERAT),
    (80, SlumClass.BERAT),
]
CLASS_2016 = [
    (18, SlumClass.TIDAK_KUMUH),
    (19, SlumClass.RINGAN),
    (44, SlumClass.RINGAN),
    (45, SlumClass.SEDANG),
    (70, SlumClass.SEDANG),
    (71, SlumClass.BERAT),
    (95, SlumClass.BERAT),
]


@pytest.mark.parametrize(
    ("rule_set", "total", "klass"),
    [(PERMEN_PUPR_14_2018, t, k) for t, k in CLASS_2018]
    + [(PERMEN_PUPR_02_2016, t, k) for t, k in CLASS_2016],
    ids=[f"2018-{t}-{k.short_code}" for t, k in CLASS_2018]
    + [f"2016-{t}-{k.short_code}" for t, k in CLASS_2016],
)
def test_a_total_falls_in_its_class_band(rule_set: RuleSet, total: int, klass: SlumClass) -> None:
    assert classify(total, rule_set) is klass


@pytest.mark.parametrize(
    ("rule_set", "total"),
    [(PERMEN_PUPR_14_2018, 81), (PERMEN_PUPR_14_2018, -1), (PERMEN_PUPR_02_2016, 96)],
    ids=["2018-81", "2018-negative", "2016-96"],
)
def test_a_total_outside_the_rule_sets_range_is_refused(rule_set: RuleSet, total: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        classify(total, rule_set)


def test_the_worked_example_of_criteria_md_scores_38_kumuh_sedang(make_unit: MakeUnit) -> None:
    # criteria.md §8: 2b 605 m, 3a 54 KK, 4c 310 m as given; the other 13 volumes are chosen
    # to bring the total to 38.
    unit = make_unit(
        volumes={
            "2b": 605,
            "3a": 54,
            "4c": 310,
            "1a": 45,  # 90.00 % → 5
            "1c": 30,  # 60.00 % → 3
            "4b": 200,  # 51.95 % → 3
            "5a": 50,  # 83.33 % → 5
            "6a": 36,  # 60.00 % → 3
            "7a": 15,  # 30.00 % → 1
            "7b": 30,  # 60.00 % → 3
        }
    )
    result = score_unit(unit)
    assert (result.percent["2b"], result.score["2b"]) == (Decimal("77.56"), 5)
    assert (result.percent["3a"], result.score["3a"]) == (Decimal("90.00"), 5)
    assert (result.percent["4c"], result.score["4c"]) == (Decimal("80.52"), 5)
    assert result.total == 38
    assert result.klass is SlumClass.SEDANG
    assert result.ok
    assert result.rule_set_id == "permen-pupr-14-2018"
    assert result.aspect_means[4] == Decimal("44.16")  # (0 + 51.95 + 80.52) / 3
    assert result.sectoral_mean == Decimal("42.09")


def test_zero_volume_over_zero_denominator_is_zero_percent(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(header={"panjang_jalan_ideal_m": 0}))
    assert (result.percent["2a"], result.score["2a"]) == (Decimal("0.00"), 0)
    assert result.ok
    assert result.total == 0
    assert result.klass is SlumClass.TIDAK_KUMUH


def test_a_volume_above_its_denominator_scores_5_uncapped_with_a_warning(
    make_unit: MakeUnit,
) -> None:
    result = score_unit(make_unit(volumes={"2b": 900}))
    assert (result.percent["2b"], result.score["2b"]) == (Decimal("115.38"), 5)
    assert result.ok
    assert result.total == 5
    assert result.warnings == (
        Issue(
            "volume_above_denominator",
            "2b",
            "volume",
            "900.000000",
            "Criterion 2b: volume 900.000000 is above its denominator panjang_jalan_ideal_m = "
            "780.000000; the percentage is above 100 and scores 5.",
        ),
    )
    assert result.aspect_means[2] == Decimal("50.00")  # capped at 100 before averaging


def test_a_negative_volume_is_an_error_but_still_shows_its_zero_score(
    make_unit: MakeUnit,
) -> None:
    # Real data (Pekalongan RT 1, 2019): 4a volume -0.611192 ha over 0.848808 ha.
    result = score_unit(make_unit(volumes={"4a": -0.611192}, header={"luas_ha": 0.848808}))
    assert (result.percent["4a"], result.score["4a"]) == (Decimal("-72.01"), 0)
    assert [e.code for e in result.errors] == ["negative_volume"]
    assert result.errors[0].value == "-0.611192"
    assert (result.total, result.klass, result.ok) == (None, None, False)
    assert result.aspect_means[4] == Decimal("0.00")  # clipped to 0 before averaging


def test_float_noise_of_real_data_is_quantized_before_it_is_judged(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(volumes={"4a": -0.004623000000000044}))
    assert result.errors[0].value == "-0.004623"
    tiny = score_unit(make_unit(volumes={"4a": -0.0000004}))  # rounds to -0.000000: not negative
    assert tiny.ok


def test_a_nonzero_volume_over_a_zero_denominator_is_an_error_without_percent(
    make_unit: MakeUnit,
) -> None:
    result = score_unit(make_unit(volumes={"4b": 20}, header={"panjang_drainase_ideal_m": 0}))
    assert (result.percent["4b"], result.score["4b"]) == (None, None)
    assert [(e.code, e.criterion, e.value) for e in result.errors] == [
        ("volume_over_zero_denominator", "4b", "20.000000")
    ]
    assert result.total is None
    assert result.aspect_means[4] is None
    assert result.sectoral_mean is None


def test_a_missing_value_is_an_error(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(volumes={"6b": None}))
    assert [(e.code, e.criterion, e.field) for e in result.errors] == [
        ("missing_value", "6b", "volume")
    ]
    assert result.score["6b"] is None
    assert result.total is None


def test_a_criterion_absent_from_the_input_is_missing(make_unit: MakeUnit) -> None:
    unit = make_unit()
    partial = UnitInput(
        header=unit.header, volumes={k: v for k, v in unit.volumes.items() if k != "7b"}
    )
    assert [e.code for e in score_unit(partial).errors] == ["missing_value"]


def test_a_missing_denominator_is_an_error_for_every_criterion_that_needs_it(
    make_unit: MakeUnit,
) -> None:
    result = score_unit(make_unit(header={"jumlah_kk": None}))
    assert [(e.code, e.criterion, e.field) for e in result.errors] == [
        ("missing_denominator", code, "jumlah_kk") for code in ("3a", "3b", "5a", "5b", "6a", "6b")
    ]


def test_a_denominator_not_needed_may_be_missing(make_unit: MakeUnit) -> None:
    assert score_unit(make_unit(header={"jumlah_penduduk": None})).ok


def test_a_negative_denominator_is_an_error(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(header={"jumlah_bangunan": -3}))
    assert {e.code for e in result.errors} == {"negative_denominator"}
    assert len(result.errors) == 4  # 1a 1c 7a 7b


@pytest.mark.parametrize(
    ("percent", "rounded", "score", "warnings", "errors"),
    [
        pytest.param("77.555", "77.56", 5, [], [], id="half-up"),
        pytest.param(24.995, "25.00", 1, [], [], id="float-tie"),
        pytest.param("120", "120.00", 5, ["percent_above_100"], [], id="above-100-warns"),
        pytest.param("-3", "-3.00", 0, [], ["negative_percent"], id="negative-is-error"),
    ],
)
def test_a_given_percentage_is_used_when_there_is_no_volume(
    make_unit: MakeUnit,
    percent: str,
    rounded: str,
    score: int,
    warnings: list[str],
    errors: list[str],
) -> None:
    result = score_unit(make_unit(percents={"1a": percent}))
    assert (result.percent["1a"], result.score["1a"]) == (Decimal(rounded), score)
    assert [w.code for w in result.warnings] == warnings
    assert [e.code for e in result.errors] == errors


def test_a_volume_wins_over_a_given_percentage(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(volumes={"1a": 10}, percents={"1a": 90}))
    assert result.percent["1a"] == Decimal("20.00")


def test_the_2016_rule_set_scores_19_criteria(make_unit: MakeUnit) -> None:
    unit = make_unit(volumes={"4d": 385, "4e": 200, "6c": 60}, rule_set=PERMEN_PUPR_02_2016)
    result = score_unit(unit, PERMEN_PUPR_02_2016)
    assert len(result.score) == 19
    assert (result.score["4d"], result.score["4e"], result.score["6c"]) == (5, 3, 5)
    assert result.total == 13
    assert result.klass is SlumClass.TIDAK_KUMUH  # below 19 in 2016
    assert result.rule_set_id == "permen-pupr-02-2016"


def test_2016_data_scored_with_the_2018_rule_set_is_refused(make_unit: MakeUnit) -> None:
    unit = make_unit(volumes={"4d": 1}, rule_set=PERMEN_PUPR_02_2016)
    with pytest.raises(ValueError, match="4d"):
        score_unit(unit, PERMEN_PUPR_14_2018)


def test_a_2018_unit_scored_with_2016_misses_the_three_extra_criteria(make_unit: MakeUnit) -> None:
    result = score_unit(make_unit(), PERMEN_PUPR_02_2016)
    assert [(e.code, e.criterion) for e in result.errors] == [
        ("missing_value", "4d"),
        ("missing_value", "4e"),
        ("missing_value", "6c"),
    ]


def test_an_unknown_header_field_is_refused() -> None:
    with pytest.raises(ValueError, match="luas_m2"):
        UnitInput(header={"luas_m2": Decimal(1)}, volumes={})


def test_a_unit_input_keeps_its_own_copy_of_the_values() -> None:
    volumes: dict[str, Decimal | None] = {"1a": Decimal(1)}
    unit = UnitInput(header={}, volumes=volumes)
    volumes["1a"] = Decimal(2)
    assert unit.volumes["1a"] == Decimal(1)
