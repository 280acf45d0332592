"""The CSV for Excel in Indonesia (`;`, decimal comma, UTF-8 BOM), the plain numbers of every
export (no "184.920000000000") and the XLSX number formats (issue 12)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.io.exporters import plain_rows
from sikumuh.io.tables import EXCEL_CSV, excel_field, write_table


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (Decimal("184.92"), "184,92"),
        (Decimal("0.61"), "0,61"),
        (1.5, "1,5"),
        (2021, "2021"),
        (-5, "-5"),
        ("Ujung Batu", "Ujung Batu"),
        ("a;b", '"a;b"'),
        ("1,5", "1,5"),  # text stays text; a comma needs no quotes here
        ('say "hi"', '"say ""hi"""'),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("-5", "'-5"),
        (True, "True"),
    ],
)
def test_excel_cells(value: Any, cell: str) -> None:
    assert excel_field(value) == cell


def test_the_excel_csv_opens_with_a_bom_and_separates_with_semicolons() -> None:
    out = io.StringIO()
    rows = plain_rows([["63.01.03.1001", Decimal("184.920000000000"), Decimal("7.3000"), 12]])
    assert write_table(["kode_desa", "luas_ha", "sk_ha", "rt"], rows, out, EXCEL_CSV) == 1
    assert out.getvalue() == "\ufeffkode_desa;luas_ha;sk_ha;rt\n63.01.03.1001;184,92;7,3;12\n"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("184.920000000000"), Decimal("184.92")),
        (Decimal("7.3000"), Decimal("7.3")),
        (Decimal("18.000000"), Decimal("18")),
        (Decimal("1E+3"), Decimal("1000")),
        (0.1 + 0.2, Decimal("0.30000000000000004")),
        (2021, 2021),
        ("184.920000000000", "184.920000000000"),  # text is not touched
        (None, None),
    ],
)
def test_every_number_of_an_export_is_plain(value: Any, written: Any) -> None:
    [[cell]] = list(plain_rows([[value]]))
    assert cell == written
    assert str(cell) == str(written)


def test_the_plain_csv_has_no_database_places() -> None:
    out = io.StringIO()
    write_table(["ha"], plain_rows([[Decimal("184.920000000000")]]), out, "csv")
    assert out.getvalue() == "ha\n184.92\n"


def test_xlsx_numbers_carry_a_number_format() -> None:
    from openpyxl import load_workbook

    out = io.BytesIO()
    write_table(["tahun", "ha", "rt"], [[2021, Decimal("0.61"), Decimal("12")]], out, "xlsx")
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    year, area, count = sheet[2]
    assert (year.value, year.number_format) == (2021, "General")  # never "2.021"
    assert (area.value, area.number_format) == (0.61, "#,##0.0#####")
    assert (count.value, count.number_format) == (12, "#,##0")
