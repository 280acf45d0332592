"""Readers: CSV and XLSX files to header + numbered rows, and the byte-offset fast path giving the
same cells as the csv module."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import xlsxwriter

from sikumuh.io.fastcsv import ByteColumns, read_plain_csv
from sikumuh.io.numbers import DOT_DECIMAL, NumberFormat
from sikumuh.io.readers import ReaderError, Sheet, open_columns, read_sheet, read_table


def _csv(tmp_path: Path, text: str, name: str = "data.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _xlsx(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "d.xlsx") -> Path:
    path = tmp_path / name
    book = xlsxwriter.Workbook(str(path))
    for sheet_name, rows in sheets.items():
        sheet = book.add_worksheet(sheet_name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    sheet.write(i, j, value)
    book.close()
    return path


@pytest.mark.parametrize(
    ("text", "bom"),
    [
        ("a;b\n1;2\n", True),
        ("a,b\n1,2\n", False),
        ("a\tb\r\n1\t2\r\n", False),
        ("a;b\n1;2", False),  # no newline at the end
    ],
    ids=["semicolon-bom", "comma", "tab-crlf", "no-final-newline"],
)
def test_a_csv_is_read_whatever_its_delimiter_bom_and_line_ends(
    tmp_path: Path, text: str, bom: bool
) -> None:
    header, rows = read_table(_csv(tmp_path, text, bom=bom))
    assert header == ["a", "b"]
    assert rows == [(2, {"a": "1", "b": "2"})]


def test_empty_rows_are_skipped_but_still_counted(tmp_path: Path) -> None:
    text = "a;b\n1;2\n\n;;\n  ;  \n3;4\n"
    _, rows = read_table(_csv(tmp_path, text))
    assert [line for line, _ in rows] == [2, 6]


def test_a_quoted_record_over_two_lines_is_numbered_by_its_first_line(tmp_path: Path) -> None:
    _, rows = read_table(_csv(tmp_path, 'a,b\n"x\ny",1\n2,3\n'))
    assert rows == [(2, {"a": "x\ny", "b": "1"}), (4, {"a": "2", "b": "3"})]


def test_short_rows_are_padded_and_unnamed_columns_named_only_when_they_hold_data(
    tmp_path: Path,
) -> None:
    sheet = read_sheet(_csv(tmp_path, "a,,b,\n1\n2,x,3,,9\n"))
    assert sheet.header == ["a", "column_2", "b", "column_5"]
    assert [list(c) for c in sheet.columns] == [["1", "2"], ["", "x"], ["", "3"], ["", "9"]]


def test_an_xlsx_is_read_from_its_data_sheet_with_excel_row_numbers(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        {
            "petunjuk": [["not", "this"]],
            "Data": [["rt", "luas_ha"], [None, None], ["003", 1.5], [None, 0]],
        },
    )
    header, rows = read_table(path)
    assert header == ["rt", "luas_ha"]
    assert rows == [(3, {"rt": "003", "luas_ha": 1.5}), (4, {"rt": "", "luas_ha": 0.0})]


def test_an_xlsx_without_a_data_sheet_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, {"Sheet1": [["rt"], [3]], "Sheet2": [["other"], [1]]})
    assert read_table(path) == (["rt"], [(2, {"rt": 3.0})])


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a;b\n\xff\xfe;1\n", "latin.csv", 'save it as "CSV UTF-8"'),
        (b"\n\na;b\n", "late.csv", "the header must be on line 1"),
        (b"", "empty.csv", "the header must be on line 1"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "not a readable spreadsheet"),
    ],
)
def test_an_unreadable_file_is_one_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=name) as caught:
        read_sheet(path)
    assert message in str(caught.value)


def test_a_missing_file_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read the file"):
        read_sheet(tmp_path / "nowhere.csv")


def test_duplicate_column_names_cannot_become_dicts(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="duplicate column"):
        read_table(_csv(tmp_path, "a,a\n1,2\n"))


def test_a_stream_is_read_under_the_name_given(tmp_path: Path) -> None:
    sheet = read_sheet(io.BytesIO(b"a;b\n1;2\n"), name="upload/templat.csv")
    assert sheet.file == "templat.csv"


def _wide_and_long() -> str:
    """More rows than one block and more columns than one prefetch group; cells of every kind
    and length (8 and 16 bytes: one and two words exactly), long ones in odd columns only."""
    rng = random.Random(7)
    short = ["1.218", "0", "", "12,5", "n/a", " 3 ", "-0,25", "1.218.000,5", "+7", "2024"]
    short += ["0,123456", "12345678", "1.234.567,891234", "63.01.05.2034", "KW-01", "1.2.3"]
    long = [*short, "permen-pupr-14-2018", "0,1234567", "9" * 20]
    rows = [";".join(f"c{k}" for k in range(20))]
    rows += [";".join(rng.choice(long if k % 2 else short) for k in range(20)) for _ in range(5000)]
    return "\n".join(rows) + "\n"


# The fast path: plain CSV as byte offsets. It must answer exactly as the csv-module reader.
PLAIN_FILES = {
    "indonesian": "kode;rt;luas\n63.01;003;1.218,5\n63.02; 004 ;0,5\n",
    "crlf-bom-no-final-newline": "\ufeffkode,rt,luas\r\n63.01,003,1.5\r\n63.02,4,-2",
    "empty-lines": "a;b;c\n1;2;3\n\n;;\n \t;;\n\xa0;;\n4;5;6\n",
    "blank-and-odd-cells": "a;b\n 7 ;x\n\xa08\xa0;\n;-\nn/a; 1.2.3 \n",
    "non-ascii": "nama;v\nKampung Ɓaru;1\nSungai Tabuk;2\n",
    "long-cells": "a;b\n" + "9" * 30 + ";" + "1" + "0" * 11 + ",123456789\n1;2\n",
    "unnamed": "a;;b;\n1;;2;\n3;x;4;\n",
    "single-column": "a\n1\n\n2\n",
    "separators-str-strips": "a;b\n\x1c7\x1f;x\n8;\x1dy\n",
    "wide-and-long": _wide_and_long(),
}


@pytest.mark.parametrize("prefetch", [False, True], ids=["column-by-column", "prefetched"])
@pytest.mark.parametrize("text", PLAIN_FILES.values(), ids=PLAIN_FILES.keys())
def test_a_plain_csv_reads_the_same_by_byte_offsets_as_by_the_csv_module(
    text: str, prefetch: bool
) -> None:
    data = text.encode("utf-8")
    slow = read_sheet(io.BytesIO(data), name="f.csv")
    columns = range(len(slow.header))

    def fast() -> ByteColumns:  # a fresh one per question: each reads its cells from scratch
        table = read_plain_csv(data, "f.csv")
        assert isinstance(table, ByteColumns)
        if prefetch:
            table.prefetch([*columns])
        return table

    assert (fast().header, fast().lines) == (slow.header, slow.lines)
    texts = [slow.texts(j) for j in columns]
    table = fast()
    assert [list(table.text_column(j)) for j in columns] == texts
    assert [table.texts(j) for j in columns] == texts  # again, without prefetched cells
    table = fast()
    for j in columns:
        distinct, index = table.distinct(j)
        assert [distinct[k] for k in index.tolist()] == texts[j]
    fmt = slow.number_format(list(columns))
    table = fast()
    assert table.number_format(list(columns)) == fmt
    for j in columns:
        a, b = table.numbers(j, fmt), slow.numbers(j, fmt)
        assert a.micro.tolist() == b.micro.tolist()
        assert {k: e.reason for k, e in a.errors.items()} == {
            k: e.reason for k, e in b.errors.items()
        }


@pytest.mark.parametrize(
    "text",
    ['a,b\n"1",2\n', "a,b\n1,2,3\n", "a,b\r1,2\r"],
    ids=["quotes", "ragged", "bare-cr"],
)
def test_anything_but_a_plain_csv_is_left_to_the_csv_module(tmp_path: Path, text: str) -> None:
    assert read_plain_csv(text.encode("utf-8"), "f.csv") is None
    assert isinstance(open_columns(_csv(tmp_path, text)), Sheet)


def test_open_columns_takes_the_fast_path_for_a_plain_csv(tmp_path: Path) -> None:
    table = open_columns(_csv(tmp_path, "a;b\n1;2,5\n"))
    assert isinstance(table, ByteColumns)
    fmt = table.number_format([0, 1])
    assert fmt == NumberFormat(decimal_comma=True, evidence="2,5")
    assert table.numbers(1, fmt).micro.tolist() == [2_500_000]
    assert table.numbers(0, DOT_DECIMAL).micro.tolist() == [1_000_000]
