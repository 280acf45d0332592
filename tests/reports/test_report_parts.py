"""The pieces the reports are made of, without a database: formats, tables, charts, the map."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from sikumuh.reports import charts, maps
from sikumuh.reports.filters import format_cell, ha, pct, tanggal
from sikumuh.reports.tables import SHEET_NAME_MAX, Column, Table, sheet_name, workbook

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[114.76, -3.80], [114.77, -3.80], [114.77, -3.79], [114.76, -3.79], [114.76, -3.80]]
    ],
}


@pytest.mark.parametrize(
    ("language", "value", "kind", "expected"),
    [
        ("id", Decimal("47.53"), "ha", "47,53 Ha"),
        ("id", Decimal("12.53"), "pct", "12,53 %"),
        ("id", Decimal("1234.5"), "dec2", "1.234,50"),
        ("id", Decimal("2500000"), "rupiah", "Rp 2.500.000"),
        ("id", dt.date(2021, 11, 4), "date", "4 November 2021"),
        ("id", True, "text", "ya"),
        ("id", None, "ha", "–"),
        ("id", None, "text", ""),
        ("id", "3 / 4", "pct", "3 / 4"),
        ("en", Decimal("47.53"), "ha", "47.53 Ha"),
        ("en", dt.date(2021, 11, 4), "date", "4 November 2021"),
    ],
)
def test_cells_print_in_the_report_s_language(
    language: str, value: object, kind: str, expected: str
) -> None:
    with translation.override(language):
        assert format_cell(value, kind) == expected


def test_the_filters_print_indonesian_figures() -> None:
    with translation.override("id"):
        assert (ha(Decimal("23.17")), pct(Decimal("48.75"))) == ("23,17 Ha", "48,75 %")
        assert tanggal(dt.date(2021, 11, 4)) == "4 November 2021"


def test_a_workbook_heading_carries_the_unit() -> None:
    assert Column("Luas kumuh 2019", "ha").heading == "Luas kumuh 2019 (Ha)"
    assert Column("Persentase", "pct").heading == "Persentase (%)"
    assert Column("Kecamatan").heading == "Kecamatan"


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        Table("t", "T", "T", [Column("a"), Column("b"), Column("c")], rows=[[1, 2]])


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Ringkasan", "Ringkasan"], ["Ringkasan", "Ringkasan 2"]),
        (["a/b: c?"], ["a-b c"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 29 + " 2"]),
    ],
)
def test_sheet_names_are_valid_and_unique(names: list[str], expected: list[str]) -> None:
    taken: set[str] = set()
    result = [sheet_name(n, taken) for n in names]
    assert result == expected
    assert all(len(n) <= SHEET_NAME_MAX for n in result)


def test_the_workbook_keeps_numbers_and_neutralises_formulas() -> None:
    table = Table(
        "t",
        "Lokasi",
        "Lokasi",
        [Column("Nama"), Column("Luas", "ha")],
        rows=[['=HYPERLINK("http://example.com")', Decimal("4.67")]],
        footer=["Total", Decimal("4.67")],
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook([table])))
    rows = book.get_sheet_by_name("Lokasi").to_python()
    assert rows == [
        ["Nama", "Luas (Ha)"],
        ['\'=HYPERLINK("http://example.com")', 4.67],
        ["Total", 4.67],
    ]


def _png(uri: str | None) -> bytes:
    assert uri is not None
    assert uri.startswith("data:image/png;base64,")
    return base64.b64decode(uri.split(",", 1)[1])


def test_charts_are_embedded_pngs_and_none_without_data() -> None:
    series = [charts.Series("Kumuh Ringan", charts.CLASS_COLOURS["kumuh_ringan"], [3.0, 1.0])]
    png = _png(charts.stacked_bars(["2019", "2021"], series, unit="Ha", reference=("SK", 4.0)))
    assert png.startswith(b"\x89PNG")
    assert charts.stacked_bars([], series, unit="Ha") is None
    assert charts.intervals(["a"], [None], [None], [None], unit="%") is None


def test_the_map_draws_polygons_and_is_none_without_any() -> None:
    shape = maps.MapShape(SQUARE, "kumuh_sedang", "TL-01")
    assert _png(maps.location_map([shape], legend=[("kumuh_sedang", "Kumuh Sedang")], north="U"))
    empty = maps.MapShape({"type": "Point", "coordinates": [114.7, -3.8]}, "", "x")
    assert maps.location_map([empty], legend=[], north="U") is None


def test_multipolygons_keep_their_holes() -> None:
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [
            SQUARE["coordinates"],
            [
                SQUARE["coordinates"][0],
                [[114.765, -3.795], [114.766, -3.795], [114.766, -3.794], [114.765, -3.795]],
            ],
        ],
    }
    parts = maps.polygons(geometry)
    assert [len(p) for p in parts] == [1, 2]
    x, y = maps.anchor(parts)
    assert 114.76 <= x <= 114.77
    assert -3.80 <= y <= -3.79


@pytest.mark.parametrize(("span_km", "expected"), [(40.0, 10), (1.0, 0.25), (0.1, 0.05)])
def test_the_scale_bar_has_a_round_length(span_km: float, expected: float) -> None:
    assert maps.nice_length_km(span_km) == expected
