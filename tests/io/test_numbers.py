"""Reading numbers from cells: Indonesian and plain writing, one format per file, and the
vectorised column reader agreeing with the per-cell definition on every cell."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from sikumuh.core.batch import MISSING
from sikumuh.core.decimals import to_micro
from sikumuh.io.numbers import (
    DOT_DECIMAL,
    NumberError,
    NumberFormat,
    detect_format,
    parse_column,
    parse_number,
)

INDONESIAN = NumberFormat(decimal_comma=True, evidence="0,5")


@pytest.mark.parametrize(
    ("cell", "fmt", "expected"),
    [
        ("1.218,50", INDONESIAN, "1218.50"),
        ("1.218", INDONESIAN, "1218"),
        ("1.218.000", INDONESIAN, "1218000"),
        ("1.218.000,5", INDONESIAN, "1218000.5"),
        ("0,5", INDONESIAN, "0.5"),
        ("12,75", INDONESIAN, "12.75"),
        ("-0,25", INDONESIAN, "-0.25"),
        ("1218", INDONESIAN, "1218"),
        ("1218.5", DOT_DECIMAL, "1218.5"),
        ("1.218", DOT_DECIMAL, "1.218"),
        ("+3", DOT_DECIMAL, "3"),
        ("  42  ", DOT_DECIMAL, "42"),
        ("\xa07,5\xa0", INDONESIAN, "7.5"),
        ("0.1234565", DOT_DECIMAL, "0.123457"),  # half-up at the 6th decimal
        ("0,0000005", INDONESIAN, "0.000001"),
        ("-0.0000005", DOT_DECIMAL, "-0.000001"),
        (1218.5, INDONESIAN, "1218.5"),  # spreadsheet numbers are numbers, whatever the file
        (0.1, DOT_DECIMAL, "0.1"),  # through repr, not the binary expansion
        (-0.004623000000000044, DOT_DECIMAL, "-0.004623"),
        (3, DOT_DECIMAL, "3"),
    ],
)
def test_a_number_cell_reads_as_its_decimal_quantized_to_six_places(
    cell: object, fmt: NumberFormat, expected: str
) -> None:
    assert parse_number(cell, fmt) == Decimal(expected)
    assert parse_number(cell, fmt).as_tuple().exponent == -6  # type: ignore[union-attr]


@pytest.mark.parametrize("cell", ["", "   ", "-", " - ", None])
def test_an_empty_cell_or_a_dash_is_missing(cell: object) -> None:
    assert parse_number(cell, DOT_DECIMAL) is None
    assert parse_number(cell, INDONESIAN) is None


@pytest.mark.parametrize(
    ("cell", "fmt", "reason"),
    [
        ("abc", DOT_DECIMAL, "not a number"),
        ("n/a", INDONESIAN, "not a number"),
        ("1 218", DOT_DECIMAL, "not a number"),
        ("1e3", DOT_DECIMAL, "not a number"),
        ("1_000", DOT_DECIMAL, "not a number"),
        (".5", DOT_DECIMAL, "not a number"),
        ("5.", DOT_DECIMAL, "not a number"),
        ("--1", DOT_DECIMAL, "not a number"),
        ("+", DOT_DECIMAL, "not a number"),
        ("١٢", DOT_DECIMAL, "not a number"),  # Arabic-Indic digits: ASCII only
        ("nan", DOT_DECIMAL, "not a number"),
        ("1,5", DOT_DECIMAL, "decimal comma in a file read with a decimal point"),
        ("1,218.50", DOT_DECIMAL, "not a number"),
        ("1,218.50", INDONESIAN, "not a number"),
        ("1218.5", INDONESIAN, "it writes decimals with a comma (e.g. '0,5')"),
        ("12.18", INDONESIAN, "so a dot may only group thousands"),
        ("1000000000000", DOT_DECIMAL, "too large"),
        (float("nan"), DOT_DECIMAL, "not a finite number"),
        (float("inf"), DOT_DECIMAL, "not a finite number"),
        (True, DOT_DECIMAL, "true/false"),
    ],
)
def test_garbage_is_refused_with_an_error_naming_the_value(
    cell: object, fmt: NumberFormat, reason: str
) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(cell, fmt)
    assert reason in caught.value.reason
    assert str(cell).strip() in str(caught.value) or repr(cell) in str(caught.value)


@pytest.mark.parametrize(
    ("columns", "decimal_comma", "evidence"),
    [
        ([["1.5", "2"], ["3"]], False, None),
        ([["1.218", "250"]], False, None),  # the ambiguous cell alone: decimal point
        ([["1.218"], ["7", " 0,5 "]], True, "0,5"),
        ([["1.218.000"]], True, "1.218.000"),
        ([["1,2,3", "1..2"]], False, None),  # garbage is no evidence
        ([[1.5, 2.0, ""]], False, None),  # spreadsheet numbers say nothing
    ],
)
def test_the_number_format_is_chosen_per_file(
    columns: list[list[object]], decimal_comma: bool, evidence: str | None
) -> None:
    assert detect_format(columns) == NumberFormat(decimal_comma, evidence)


def test_the_ambiguous_thousands_cell_depends_on_the_rest_of_the_file() -> None:
    plain = detect_format([["1.218", "12.5"]])
    indonesian = detect_format([["1.218", "12,5"]])
    assert parse_number("1.218", plain) == Decimal("1.218")
    assert parse_number("1.218", indonesian) == Decimal("1218")


def _scalar(cell: object, fmt: NumberFormat) -> int | str:
    try:
        number = parse_number(cell, fmt)
    except NumberError as exc:
        return exc.reason
    return MISSING if number is None else to_micro(number)


def _vector(cells: list[object], fmt: NumberFormat) -> list[int | str]:
    column = parse_column(cells, fmt)
    return [
        column.errors[i].reason if i in column.errors else int(column.micro[i])
        for i in range(len(cells))
    ]


TRICKY = [
    *("", " ", "-", " - ", "+", "--1", "1", "-1", "+1", "0", "-0", "1.5", "1,5", "1.218"),
    *("1.218,50", "1.218.000", "1.218.000,5", "12.18", "1218.5", ".5", "5.", ",5", "5,"),
    *("1,2,3", "1.2.3", "1..2", "1e5", "1_000", "nan", "inf", "١٢", "\xa01,5\xa0", "1 000"),
    *("0.1234565", "0.12345649999999999", "-0.0000005", "999999999999", "1000000000000"),
    *("999999999999.9999995", "0000000000000001", "1\x00", "1\x002", "12345678901234.5"),
    *("1,218.50", "1.2185", "-1.218", "1234.567", "123.456", "0,0000005", "7,9999995"),
    *("1.000,", "abc", "3,125", "24,995", "  42  ", "1.000.000.000,123456789", "x" * 30),
    # Edges of the vectorised reader's grammar: 12 integer digits and 6 decimals at most.
    *("123.456.789.012", "1.234.567.890.123", "999.999.999.999,999999", "999999999999.999999"),
    *("1.2345", "12.34", "1,", "1.,5", "1,.5", "-+1", "1-", "1..234", "+,5", "-1.234,5"),
    *("12345678", "1234567,8", "0,123456", "0.123456", "1.234.56", "1234.567,5", "-", "+0,0"),
    # Short numbers padded past the vectorised reader's width (a CSV read cell by cell).
    *("7" + " " * 30, "\t" * 30 + "1,5", " " * 30 + "-", "1\x00" + " " * 30),
]


@pytest.mark.parametrize("fmt", [DOT_DECIMAL, INDONESIAN], ids=["plain", "indonesian"])
def test_the_column_reader_agrees_with_the_cell_reader_on_tricky_cells(fmt: NumberFormat) -> None:
    cells: list[object] = [*TRICKY, 1.5, 3.0, float("nan"), True, None, 5, 1e13, -2.5e-7]
    assert _vector(cells, fmt) == [_scalar(c, fmt) for c in cells]
    assert _vector(list(TRICKY), fmt) == [_scalar(c, fmt) for c in TRICKY]


@pytest.mark.parametrize("fmt", [DOT_DECIMAL, INDONESIAN], ids=["plain", "indonesian"])
def test_the_column_reader_agrees_with_the_cell_reader_on_random_cells(fmt: NumberFormat) -> None:
    rng = random.Random(2021)

    def cell() -> str:
        whole = str(rng.randrange(0, 10 ** rng.randrange(1, 14)))
        if fmt.decimal_comma and rng.random() < 0.5:
            reverse = whole[::-1]
            whole = ".".join(reverse[i : i + 3] for i in range(0, len(reverse), 3))[::-1]
        fraction = "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 10)))
        text = rng.choice(["", "", "-", "+"]) + whole
        text += ("," if fmt.decimal_comma else ".") + fraction if fraction else ""
        if rng.random() < 0.05:  # a typo somewhere
            text = text.replace(rng.choice(text), rng.choice(".,-x 9"), 1)
        return text

    cells: list[object] = [cell() for _ in range(5000)]
    assert _vector(cells, fmt) == [_scalar(c, fmt) for c in cells]


def test_a_mostly_empty_column_is_read_like_a_full_one() -> None:
    cells: list[object] = [""] * 1000
    cells[10], cells[500] = "12,5", "x"
    column = parse_column(cells, INDONESIAN)
    assert int(column.micro[10]) == 12_500_000
    assert set(column.errors) == {500}
    assert (column.micro == MISSING).sum() == 999
