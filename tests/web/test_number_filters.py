"""The number filters (`ha`, `pct`, `num`, `rupiah` of the pages, the same of the reports) print
exactly what Django's ``floatformat(value, "<places>g")`` printed before them: that output is
the spec, checked over a table of hard cases and a few thousand generated values, in both
languages of the site."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sikumuh.core.numbers import group_number
from sikumuh.reports import filters as report_filters
from sikumuh.web.templatetags import sikumuh as web_filters

PLACES = (-4, -2, -1, 0, 1, 2, 3, 4, 6)
LANGUAGES = ("id", "en")

VALUES: tuple[Any, ...] = (
    0,
    1,
    -1,
    7,
    999,
    1000,
    -1000,
    1234567,
    -987654321,
    10**18,
    10**200 - 1,
    -(10**30),
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    0.005,
    -0.005,
    0.015,
    0.125,
    1.125,
    2.675,
    -2.675,
    1.005,
    0.1 + 0.2,
    1 / 3,
    -2 / 3,
    99.995,
    99.994999,
    999.995,
    1234.5678,
    -1234.5678,
    1e-10,
    -1e-10,
    1.5e-7,
    1e15,
    1.2345e16,
    -9.87e21,
    123456789012.345,
    47.53,
    12.53,
    100.0,
    Decimal("0"),
    Decimal("-0"),
    Decimal("0.00"),
    Decimal("-0.00"),
    Decimal("-0.004"),
    Decimal("-0.005"),
    Decimal("0.005"),
    Decimal("0.0049999"),
    Decimal("0.015"),
    Decimal("0.025"),
    Decimal("1.005"),
    Decimal("2.675"),
    Decimal("-2.675"),
    Decimal("5"),
    Decimal("5.000"),
    Decimal("-5.000"),
    Decimal("5.5"),
    Decimal("77.56"),
    Decimal("100.00"),
    Decimal("47.529999"),
    Decimal("12.345"),
    Decimal("-12.345"),
    Decimal("1234.5"),
    Decimal("1234567.891234"),
    Decimal("999999.995"),
    Decimal("-999999.995"),
    Decimal("0.000001"),
    Decimal("1E+3"),
    Decimal("1.5E+3"),
    Decimal("1E+25"),
    Decimal("-1.23456789E+20"),
    Decimal("1E-30"),
    Decimal("123456789012345678901234567890.123456"),
)
#: What the fast path leaves to floatformat itself: it must still print floatformat's text.
ODD_VALUES: tuple[Any, ...] = (
    math.nan,
    math.inf,
    -math.inf,
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    Decimal("1E+250"),
    Decimal("1" * 201),
    10**200,
    -(10**201),
    True,
    False,
    "12.5",
    "abc",
)


def reference(value: Any, places: int) -> str:
    return str(floatformat(value, f"{places}g"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("places", PLACES)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_number_text_is_floatformats_text(value: Any, places: int, language: str) -> None:
    with translation.override(language):
        assert report_filters.number_text(value, places) == reference(value, places)


@pytest.mark.parametrize("places", [0, 2, -2])
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_odd_values_are_left_to_floatformat(value: Any, places: int) -> None:
    with translation.override("id"):
        assert report_filters.number_text(value, places) == reference(value, places)


def test_group_number_declines_what_it_does_not_handle() -> None:
    for value in ODD_VALUES:
        assert group_number(value, 2, ",", ".") is None, value
    assert group_number(Decimal("1.5"), 21, ",", ".") is None  # beyond MAX_PLACES


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("-0.004"), 2, "0,00"),
        (2.675, 2, "2,68"),
        (Decimal("3"), -2, "3"),
        (Decimal("3.5"), -2, "3,50"),
        (1250000, 0, "1.250.000"),
        (-1250000.5, 0, "-1.250.001"),
    ],
)
def test_group_number_in_bahasa_indonesia(value: Any, places: int, expected: str) -> None:
    assert group_number(value, places, ",", ".") == expected


def test_other_separators_are_swapped_at_once() -> None:
    assert group_number(Decimal("1234567.5"), 1, ".", ",") == "1,234,567.5"
    assert group_number(Decimal("1234567.5"), 1, ",", " ") == "1 234 567,5"


def _old_web_filters(value: Any, places: int) -> dict[str, str]:
    """The pages' filters as they were: floatformat behind each."""
    if value is None:
        return dict.fromkeys(("ha", "pct", "num", "rupiah"), "–")
    return {
        "ha": f"{floatformat(value, '2g')} Ha",
        "pct": f"{floatformat(value, '2g')} %",
        "num": str(floatformat(value, f"{places}g")),
        "rupiah": f"Rp {floatformat(value, '0g')}",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [None, *VALUES], ids=repr)
def test_the_filters_print_what_they_printed(value: Any, language: str) -> None:
    with translation.override(language):
        for places in (0, 2, -2):
            old = _old_web_filters(value, places)
            assert web_filters.ha(value) == report_filters.ha(value) == old["ha"]
            assert web_filters.pct(value) == report_filters.pct(value) == old["pct"]
            assert web_filters.num(value, places) == old["num"]
            assert report_filters.num(value, places) == old["num"]
            assert web_filters.rupiah(value) == old["rupiah"]


def test_in_a_template_the_arguments_arrive_as_before() -> None:
    template = Template(
        "{% load sikumuh %}{{ a|ha }}|{{ a|pct }}|{{ a|num }}|{{ a|num:-2 }}|{{ a|num:2 }}"
        "|{{ a|rupiah }}|{{ n|ha }}"
    )
    with translation.override("id"):
        text = template.render(Context({"a": Decimal("1234.565"), "n": None}))
    assert text == "1.234,57 Ha|1.234,57 %|1.235|1.234,57|1.234,57|Rp 1.235|–"


_finite_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: len(d.as_tuple().digits) + abs(int(d.as_tuple().exponent)) <= 200
)


@settings(max_examples=1500, deadline=None)
@given(
    value=st.one_of(
        _finite_decimals,
        st.decimals(min_value=-(10**9), max_value=10**9, places=3),
        st.floats(allow_nan=False, allow_infinity=False),
        st.floats(min_value=-1e6, max_value=1e6).map(lambda f: round(f, 3)),
        st.integers(min_value=-(10**40), max_value=10**40),
    ),
    places=st.integers(min_value=-6, max_value=6),
    language=st.sampled_from(LANGUAGES),
)
def test_generated_values_match_floatformat(value: Any, places: int, language: str) -> None:
    with translation.override(language):
        assert report_filters.number_text(value, places) == reference(value, places)
