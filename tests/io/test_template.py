"""The import template: reading rows and naming every problem; the blank template and its docs."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.core.rows import Problem
from sikumuh.io.template import (
    TEMPLATE_COLUMNS,
    read_template,
    template_markdown,
    write_blank_template,
)
from tests.conftest import REPO

CODES = ("1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c")
CODES += ("5a", "5b", "6a", "6b", "7a", "7b")
COLUMNS = ["kode_desa", "lokasi", "rt", "tahun", *HEADER_FIELDS, *(f"v_{c}" for c in CODES)]
#: The worked example's RT (criteria.md §8), Indonesian number writing.
BASE = {
    "kode_desa": "63.01.01.2001",
    "lokasi": "KW-01",
    "rt": "003",
    "tahun": "2024",
    "luas_ha": "1,5",
    "jumlah_bangunan": "50",
    "jumlah_penduduk": "1.218",
    "jumlah_kk": "60",
    "panjang_jalan_ideal_m": "780",
    "panjang_drainase_ideal_m": "385",
    **{f"v_{c}": "0" for c in CODES},
    "v_2b": "605",
    "v_3a": "54",
    "v_4c": "310",
}


def write_csv(tmp_path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or sorted({*COLUMNS, *(k for r in rows for k in r)}, key=_order)
    path = tmp_path / "templat.csv"
    lines = [";".join(columns)] + [";".join(r.get(c, "") for c in columns) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _order(name: str) -> int:
    names = [c.name for c in TEMPLATE_COLUMNS]
    return names.index(name) if name in names else len(names)


def test_a_good_row_becomes_an_observation_row_with_exact_decimals(tmp_path: Path) -> None:
    rows, problems = read_template(write_csv(tmp_path, [BASE]))
    assert problems == []
    (row,) = rows
    assert (row.file, row.row, row.kode_desa, row.lokasi, row.rt, row.tahun) == (
        "templat.csv",
        "2",
        "63.01.01.2001",
        "KW-01",
        "003",
        2024,
    )
    assert row.header["luas_ha"] == Decimal("1.500000")
    assert row.header["jumlah_penduduk"] == Decimal("1218")  # the file writes decimal commas
    assert row.volumes["2b"] == Decimal("605")
    assert len(row.volumes) == 16
    assert row.percents == {}
    assert row.rule_set == "permen-pupr-14-2018"


@pytest.mark.parametrize(
    ("changes", "column", "value", "reason"),
    [
        ({"kode_desa": ""}, "kode_desa", "", "empty; required"),
        ({"lokasi": "  "}, "lokasi", "", "empty; required"),
        ({"rt": ""}, "rt", "", "empty; required"),
        ({"tahun": "24"}, "tahun", "24", "a year must be four digits"),
        ({"tahun": "2024,0"}, "tahun", "2024,0", "a year must be four digits"),
        ({"tahun": "1999"}, "tahun", "1999", "year outside 2000–2100"),
        ({"tahun": "2101"}, "tahun", "2101", "year outside 2000–2100"),
        ({"rules": "permen-2099"}, "rules", "permen-2099", "unknown rule set"),
        ({"luas_ha": "satu"}, "luas_ha", "satu", "not a number"),
        ({"jumlah_kk": "60,5"}, "jumlah_kk", "60,5", "a count must be a whole number"),
        ({"jumlah_bangunan": "-1"}, "jumlah_bangunan", "-1", "a count must be a whole number"),
        ({"v_2b": "605.5"}, "v_2b", "605.5", "so a dot may only group thousands"),
        ({"v_1a": "n/a"}, "v_1a", "n/a", "not a number"),
        ({"p_1a": "10"}, "p_1a", "10", "v_1a is given too"),
        ({"v_4d": "3"}, "v_4d", "3", "criterion 4d is not in rule set permen-pupr-14-2018"),
    ],
)
def test_a_row_with_an_error_is_left_out_and_the_problem_names_file_row_column_value(
    tmp_path: Path, changes: dict[str, str], column: str, value: str, reason: str
) -> None:
    good = {**BASE, "rt": "001"}
    rows, problems = read_template(write_csv(tmp_path, [good, {**BASE, **changes}]))
    assert [r.rt for r in rows] == ["001"]
    (problem,) = problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "templat.csv",
        "3",
        column,
        value,
    )
    assert reason in problem.reason
    assert problem.severity == "error"


def test_every_error_of_a_row_is_reported_in_column_order(tmp_path: Path) -> None:
    rows, problems = read_template(
        write_csv(tmp_path, [{**BASE, "v_1a": "x", "rt": "", "tahun": "9"}])
    )
    assert rows == []
    assert [p.column for p in problems] == ["rt", "tahun", "v_1a"]


def test_a_fraction_in_a_count_catches_a_misread_thousands_separator(tmp_path: Path) -> None:
    plain = {**BASE, "luas_ha": "1.5", "jumlah_penduduk": "1.218"}  # no decimal comma anywhere
    rows, problems = read_template(write_csv(tmp_path, [plain]))
    assert rows == []
    assert [(p.column, p.value) for p in problems] == [("jumlah_penduduk", "1.218")]


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        (
            [c for c in COLUMNS if c != "tahun"],
            Problem("templat.csv", "1", "tahun", None, "required column is missing"),
        ),
        (
            [c for c in COLUMNS if c != "v_3a"],
            Problem(
                "templat.csv",
                "1",
                "v_3a",
                None,
                "no column for criterion 3a: add v_3a (volume) or p_3a (percentage, legacy data)",
            ),
        ),
        ([*COLUMNS, "RT"], Problem("templat.csv", "1", "rt", "RT", "duplicate column")),
    ],
    ids=["missing", "no-criterion-column", "duplicate"],
)
def test_a_broken_header_rejects_the_whole_file_on_row_1(
    tmp_path: Path, columns: list[str], problem: Problem
) -> None:
    rows, problems = read_template(write_csv(tmp_path, [{**BASE, "RT": "1"}], columns))
    assert rows == []
    assert problems == [problem]


def test_an_unknown_column_is_a_warning_and_the_rows_still_count(tmp_path: Path) -> None:
    rows, problems = read_template(write_csv(tmp_path, [BASE], [*COLUMNS, "Keterangan"]))
    assert len(rows) == 1
    assert problems == [
        Problem(
            "templat.csv",
            "1",
            "Keterangan",
            "Keterangan",
            "unknown column; it is ignored",
            "warning",
        )
    ]


def test_legacy_percentages_stand_in_for_volumes(tmp_path: Path) -> None:
    legacy = {**BASE, "v_1a": "", "p_1a": "12,5"}
    (row,), problems = read_template(write_csv(tmp_path, [legacy]))
    assert problems == []
    assert row.percents == {"1a": Decimal("12.5")}
    assert "1a" not in row.volumes


def test_the_rules_column_and_its_override_choose_the_rule_set(tmp_path: Path) -> None:
    old = {**BASE, "rules": "2016", "v_4d": "1", "v_4e": "2", "v_6c": "3"}
    path = write_csv(tmp_path, [old])
    (row,), _ = read_template(path)
    assert row.rule_set == "permen-pupr-02-2016"
    assert row.volumes["6c"] == Decimal("3")
    rows, problems = read_template(path, rule_set_id="permen-pupr-14-2018")
    assert rows == []
    assert [p.column for p in problems] == ["v_4d", "v_4e", "v_6c"]


def test_the_rt_is_echoed_as_written_from_csv_and_xlsx(tmp_path: Path) -> None:
    xlsx = tmp_path / "templat.xlsx"
    rows = [{**_numbers(BASE), "rt": "003"}, {**_numbers(BASE), "rt": 3}]
    write_blank_template(xlsx, "xlsx", rows)
    read, problems = read_template(xlsx)
    assert problems == []
    assert [r.rt for r in read] == ["003", "3"]
    assert read[0].header["luas_ha"] == Decimal("1.5")
    assert read[0].tahun == 2024


def _numbers(row: dict[str, str]) -> dict[str, Any]:
    """The row as a spreadsheet holds it: numbers as numbers."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("kode_desa", "lokasi", "rt"):
            out[key] = value
        else:
            out[key] = Decimal(value.replace(".", "").replace(",", "."))
    return out


def test_an_unreadable_file_is_one_problem_on_row_1(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"not a workbook")
    rows, problems = read_template(path)
    assert rows == []
    assert [(p.file, p.row) for p in problems] == [("rusak.xlsx", "1")]
    assert "bukan lembar kerja yang dapat dibaca" in problems[0].reason  # Indonesian


def test_the_blank_csv_template_has_the_everyday_columns_and_prefilled_rows() -> None:
    out = io.StringIO()
    write_blank_template(
        out, "csv", [{"kode_desa": "63.01.01.2001", "lokasi": "=1+1", "rt": "003"}]
    )
    header, row = out.getvalue().splitlines()
    assert header.split(",") == [c.name for c in TEMPLATE_COLUMNS if not c.legacy]
    assert row.startswith("63.01.01.2001,'=1+1,003,,")  # formulas neutralised


def test_a_prefilled_legacy_value_brings_its_column_into_the_template() -> None:
    out = io.StringIO()
    write_blank_template(out, "csv", [{"rt": "1", "v_4d": 2}])
    assert "v_4d" in out.getvalue().splitlines()[0].split(",")
    with pytest.raises(ValueError, match="not template columns: bogus"):
        write_blank_template(io.StringIO(), "csv", [{"bogus": 1}])


def test_the_blank_xlsx_template_documents_every_column_on_a_petunjuk_sheet() -> None:
    out = io.BytesIO()
    write_blank_template(out, "xlsx", include_legacy=True)
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    assert book.sheet_names == ["data", "petunjuk"]
    data = book.get_sheet_by_name("data").to_python()
    assert data[0] == [c.name for c in TEMPLATE_COLUMNS]
    guide = book.get_sheet_by_name("petunjuk").to_python()
    assert guide[0] == ["kolom", "wajib", "arti", "meaning", "satuan"]
    documented = {row[0]: row for row in guide[1:]}
    for column in TEMPLATE_COLUMNS:
        assert documented[column.name][2:4] == [column.meaning_id, column.meaning_en]


def test_the_docs_show_the_template_columns_as_the_code_defines_them() -> None:
    assert template_markdown() in (REPO / "docs" / "template.md").read_text(encoding="utf-8")
