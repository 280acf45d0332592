"""Region codes: the national code holds everything; a code holds the codes that start with it
and a dot; survey years are 2000–2100."""

from __future__ import annotations

import pytest

from sikumuh.regions.codes import NATIONAL, covers, is_inside, level, valid_year


@pytest.mark.parametrize(
    ("holder", "code", "expected"),
    [
        (NATIONAL, "63.01", True),
        ("63", "63.01.10", True),
        ("63.01", "63.01", True),
        ("63.01", "63.010", False),
        ("63.01", "63", False),
    ],
)
def test_a_code_covers_itself_and_what_lies_inside_it(
    holder: str, code: str, expected: bool
) -> None:
    assert covers(holder, code) is expected


def test_a_location_without_a_desa_lies_only_in_the_country() -> None:
    assert is_inside(NATIONAL, None)
    assert not is_inside("63.01", None)
    assert is_inside("63.01", "63.01.10.2001")


@pytest.mark.parametrize(("code", "expected"), [(NATIONAL, 0), ("63", 1), ("63.01.10.2001", 4)])
def test_the_national_level_is_zero(code: str, expected: int) -> None:
    assert level(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021", 2021), (2000, 2000), ("2100", 2100), ("1999", None), ("2101", None), ("x", None)],
)
def test_a_survey_year_lies_in_2000_to_2100(text: object, expected: int | None) -> None:
    assert valid_year(text) == expected
