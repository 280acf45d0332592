"""The shared table renderer: formula injection neutralised in CSV and XLSX, numbers left alone,
and the column writer giving the row writer's bytes."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from sikumuh.io.bytetexts import ByteTexts
from sikumuh.io.column_writer import Fixed, Labels, write_columns
from sikumuh.io.tables import neutralise, write_table


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 811", "'+62 811"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("KW-01", "KW-01"),
        ("", ""),
        (-5, -5),
        (-5.5, -5.5),
        (Decimal("-5.00"), Decimal("-5.00")),
        (None, None),
    ],
)
def test_only_strings_starting_with_a_formula_trigger_get_an_apostrophe(
    value: Any, expected: Any
) -> None:
    assert neutralise(value) == expected


def _csv(rows: list[list[Any]], header: list[str] | None = None) -> list[str]:
    out = io.StringIO()
    write_table(header or ["a", "b"], rows, out, "csv")
    return out.getvalue().split("\n")[1:-1]


@pytest.mark.parametrize(
    ("row", "line"),
    [
        (["=1+1", -1], "'=1+1,-1"),
        ([Decimal("-0.50"), "-0.50"], "-0.50,'-0.50"),
        (["a,b", 'say "hi"'], '"a,b","say ""hi"""'),
        (["two\nlines", "cr\rhere"], '"two\nlines","cr\rhere"'),
        (["-a,b", None], '"\'-a,b",'),
        ([1.5, True], "1.5,True"),
    ],
)
def test_csv_cells_are_neutralised_then_quoted_when_needed(row: list[Any], line: str) -> None:
    assert "\n".join(_csv([row])) == line


def test_a_row_of_one_empty_cell_is_not_an_empty_line() -> None:
    assert _csv([[""]], header=["a"]) == ['""']


def test_xlsx_keeps_numbers_as_numbers_and_never_writes_a_formula() -> None:
    out = io.BytesIO()
    write_table(
        ["naam", "nilai"], [["=1+1", -5], ["@cmd", Decimal("-0.25")], [None, 3]], out, "xlsx"
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    assert book.get_sheet_by_name("data").to_python() == [
        ["naam", "nilai"],
        ["'=1+1", -5.0],
        ["'@cmd", -0.25],
        ["", 3.0],
    ]
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown table format 'pdf'"):
        write_table(["a"], [], io.StringIO(), "pdf")


def test_the_column_writer_writes_the_bytes_the_row_writer_writes() -> None:
    hundredths = np.array([7756, -500, 0, 5, 10000, -1, 123456789], dtype=np.int64)
    columns: list[Any] = [
        np.array([2, 3, 4, 5, 6, 7, 8], dtype=np.int64),
        ["KW-01", "=cmd", "a,b", 'q"', "", "-", "x\ny"],
        Fixed(hundredths, 2),
        Fixed(hundredths, 0),
        np.array([0, 1, 3, 5, 0, 1, 3], dtype=np.int8),
        np.array([5, 5, 0, 9, 1, 0, 3], dtype=np.int64),  # two digit columns: joined by NumPy
        ["plain"] * 7,
        [None, "x", 1, Decimal("2.50"), -3, "+", ""],
    ]
    header = ["row", "text", "percent", "whole", "score", "digit", "same", "mixed"]
    by_columns = io.StringIO()
    write_columns(header, columns, by_columns, "csv")
    rows = zip(*[c.decimals() if isinstance(c, Fixed) else list(c) for c in columns], strict=True)
    by_rows = io.StringIO()
    write_table(header, rows, by_rows, "csv")
    assert by_columns.getvalue() == by_rows.getvalue()
    assert "77.56,7756,0,5,plain" in by_columns.getvalue()
    assert "-5.00" in by_columns.getvalue()


def _ascii_cells(texts: list[str]) -> ByteTexts:
    width = max(map(len, texts))
    return ByteTexts(np.array(texts, dtype=f"S{width}").view(np.uint8).reshape(len(texts), width))


# Each column kind the writer renders on its own (numbers digit by digit, texts as bytes), next
# to a column of row numbers, against the row writer given the same cells.
COLUMN_KINDS: dict[str, Any] = {
    "labels": Labels(np.array([2, 0, 1, 0, 2]), ["kumuh ringan", "", "=x,y"]),
    "byte texts": _ascii_cells(["63.01", "", "KW-01", "003", "a b"]),
    "byte texts to neutralise": _ascii_cells(["ok", "-5", "x", "", "y"]),
    "byte texts to quote": _ascii_cells(["a,b", "c", "", "d", "e"]),
    "non-ascii text": ["Ɓaru", "", "é,", "x", "ñ"],
    "text with a nul": ["a\x00b", "", "c", "d", "e"],
    "wide range": Fixed(np.array([0, 1_883_997, 7756, -5, 10_000_000]), 2),
    "huge range": np.array([0, 2**62, -(2**63), 5, 2**63 - 1], dtype=np.int64),
    "places beyond six": Fixed(np.array([1, -12_345_678, 0, 10**9, 7]), 7),
    "small unsigned": np.array([0, 1, 255, 3, 9], dtype=np.uint8),
    "empty cells": ["", "", "", "", ""],
}


@pytest.mark.parametrize("column", COLUMN_KINDS.values(), ids=COLUMN_KINDS.keys())
def test_each_column_kind_is_written_as_the_row_writer_writes_it(column: Any) -> None:
    columns: list[Any] = [np.arange(2, 7), column]
    by_columns = io.StringIO()
    write_columns(["row", "x"], columns, by_columns, "csv")
    cells = column.decimals() if isinstance(column, Fixed) else list(column)
    by_rows = io.StringIO()
    write_table(["row", "x"], zip(range(2, 7), cells, strict=True), by_rows, "csv")
    assert by_columns.getvalue() == by_rows.getvalue()


def test_a_table_of_no_rows_is_its_header() -> None:
    out = io.StringIO()
    assert (
        write_columns(
            ["a", "b"], [np.zeros(0, dtype=np.int64), Labels(np.zeros(0, dtype=np.intp), [])], out
        )
        == 0
    )
    assert out.getvalue() == "a,b\n"


def test_the_column_writer_writes_xlsx_through_the_row_writer() -> None:
    out = io.BytesIO()
    write_columns(["p"], [Fixed(np.array([7756]), 2)], out, "xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    assert book.get_sheet_by_name("data").to_python() == [["p"], [77.56]]
