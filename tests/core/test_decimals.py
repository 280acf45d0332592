"""Exact input quantization and half-up rounding (the numbers every score rests on)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.decimals import (
    RawValue,
    decimal_to_hundredths,
    format_micro,
    hundredths_to_decimal,
    mean_hundredths,
    parse_micro,
    percent_hundredths,
    round_half_up,
    to_decimal6,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("1.5", "1.500000", id="text"),
        pytest.param(5, "5.000000", id="int"),
        pytest.param(0.1, "0.100000", id="float-via-repr-not-binary"),
        pytest.param(-0.004623000000000044, "-0.004623", id="float-noise-of-real-data"),
        pytest.param(0.0047239999999999505, "0.004724", id="float-noise-up"),
        pytest.param("0.0000005", "0.000001", id="seventh-decimal-tie-rounds-up"),
        pytest.param("-0.0000005", "-0.000001", id="negative-tie-away-from-zero"),
        pytest.param(Decimal("2.1234564"), "2.123456", id="decimal-below-tie"),
        pytest.param(" 7 ", "7.000000", id="text-with-spaces"),
    ],
)
def test_inputs_are_quantized_half_up_to_six_decimals(raw: RawValue, expected: str) -> None:
    assert str(to_decimal6(raw)) == expected


@pytest.mark.parametrize("raw", [None, "", "   "], ids=["none", "empty", "blank"])
def test_missing_inputs_read_as_none(raw: RawValue) -> None:
    assert to_decimal6(raw) is None
    assert parse_micro(raw) is None


@pytest.mark.parametrize(
    "raw",
    [float("nan"), float("inf"), float("-inf"), "nan", Decimal("NaN"), "Infinity", "abc"],
    ids=["nan", "inf", "-inf", "text-nan", "decimal-nan", "text-inf", "not-a-number"],
)
def test_non_finite_or_unreadable_inputs_are_refused(raw: RawValue) -> None:
    with pytest.raises(ValueError, match="not a"):
        to_decimal6(raw)


def test_a_boolean_is_not_a_survey_value() -> None:
    with pytest.raises(TypeError):
        to_decimal6(True)


@pytest.mark.parametrize(
    ("numer", "denom", "expected"),
    [
        pytest.param(5, 2, 3, id="half-up"),
        pytest.param(-5, 2, -3, id="negative-half-away-from-zero"),
        pytest.param(7, 3, 2, id="below-half"),
        pytest.param(-7, 3, -2, id="negative-below-half"),
        pytest.param(8, 3, 3, id="above-half"),
        pytest.param(5, -2, -3, id="negative-denominator"),
        pytest.param(0, 7, 0, id="zero"),
        pytest.param(10**40 + 5, 10, 10**39 + 1, id="beyond-int64"),
    ],
)
def test_round_half_up_is_exact_and_symmetric(numer: int, denom: int, expected: int) -> None:
    assert round_half_up(numer, denom) == expected


def test_round_half_up_refuses_a_zero_denominator() -> None:
    with pytest.raises(ZeroDivisionError):
        round_half_up(1, 0)


@pytest.mark.parametrize(
    ("volume", "denom", "hundredths"),
    [
        pytest.param("3.125", "100", 313, id="3.125->3.13"),
        pytest.param("28.125", "100", 2813, id="28.125->28.13"),
        pytest.param("24.995", "100", 2500, id="24.995->25.00"),
        pytest.param("75.995", "100", 7600, id="75.995->76.00"),
        pytest.param("605", "780", 7756, id="worked-2b-77.56"),
        pytest.param("310", "385", 8052, id="worked-4c-80.52"),
        pytest.param("2", "3", 6667, id="two-thirds"),
        pytest.param("-0.611192", "0.848808", -7201, id="negative-volume"),
    ],
)
def test_percentages_round_half_up_on_the_exact_ratio(
    volume: str, denom: str, hundredths: int
) -> None:
    assert percent_hundredths(parse_micro(volume) or 0, parse_micro(denom) or 0) == hundredths


def test_binary_floats_would_get_the_ties_wrong() -> None:
    # Why the integer path exists: float rounding turns these ties down (banker's rounding
    # on an exact tie; a binary value just below the decimal tie).
    assert round(3.125, 2) == 3.12
    assert round(2.675, 2) == 2.67
    assert percent_hundredths(3_125_000, 100_000_000) == 313
    assert percent_hundredths(2_675_000, 100_000_000) == 268


@pytest.mark.parametrize(
    ("percent", "hundredths"),
    [("77.555", 7756), ("24.995", 2500), ("-1.005", -101), ("100.004999", 10000)],
)
def test_given_percentages_round_half_up_to_two_decimals(percent: str, hundredths: int) -> None:
    assert decimal_to_hundredths(Decimal(percent)) == hundredths


def test_hundredths_render_with_two_decimals() -> None:
    assert str(hundredths_to_decimal(7756)) == "77.56"
    assert str(hundredths_to_decimal(0)) == "0.00"
    assert str(hundredths_to_decimal(-7201)) == "-72.01"


def test_micro_values_render_canonically() -> None:
    assert format_micro(0) == "0.000000"
    assert format_micro(-4623) == "-0.004623"


def test_mean_of_hundredths_rounds_half_up() -> None:
    assert mean_hundredths([1, 2]) == 2
    assert mean_hundredths([0, 5000, 10000]) == 5000
    with pytest.raises(ValueError, match="no values"):
        mean_hundredths([])
