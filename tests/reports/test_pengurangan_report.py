"""The Laporan Pengurangan Luasan Kumuh of a region over the years, each percentage with its
base; the kabupaten's SK base is left out for a reader who may not see the kabupaten."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.reports.build import pengurangan_report
from sikumuh.reports.common import ReportError
from sikumuh.reports.pengurangan_data import pengurangan_data
from tests.conftest import Personas
from tests.reports.support import KABUPATEN, PELAIHARI, SARANG_HALANG, demo, demo_module, pdf_text

__all__ = ["demo", "demo_module"]


def test_the_kabupaten_report_gives_each_year_and_each_kecamatan(demo: Personas) -> None:
    report = pengurangan_report(KABUPATEN)
    assert report.filename == "laporan-pengurangan-kumuh-63.01.pdf"
    text = pdf_text(report.content)
    for part in (
        "Laporan Pengurangan Luasan Kumuh",
        "Kabupaten Tanah Laut",
        "2019–2021",
        "184,92 Ha → 152,56 Ha",
        "Berkurang 32,36 Ha: 17,50 % dari luas kumuh awal (184,92 Ha)",
        "Luas kumuh per kecamatan",
        "Pelaihari",
        "Versi SK Kumuh",
        "Lampiran: lokasi kumuh",
        "Data demo sintetis",
    ):
        assert part in text, part


def test_a_kecamatan_report_measures_against_its_own_baseline_and_the_kabupaten_sk(
    demo: Personas,
) -> None:
    data = pengurangan_data(PELAIHARI)
    assert [r.tahun for r in data.rows] == [2019, 2021]
    latest = data.rows[-1]
    assert latest.reduction is not None
    assert latest.reduction_sk is not None
    assert (latest.reduction.ha, latest.reduction.percent) == (Decimal("23.17"), Decimal("48.75"))
    assert (latest.reduction_sk.percent, latest.reduction_sk.base_ha) == (
        Decimal("12.53"),
        Decimal("184.92"),
    )
    assert latest.change == Decimal("23.17")
    assert {c.name for c in data.children} >= {"Sarang Halang"}


def test_without_the_kabupaten_in_sight_the_sk_base_is_left_out(demo: Personas) -> None:
    text = pdf_text(pengurangan_report(SARANG_HALANG, show_sk_base=False).content)
    assert "Kelurahan Sarang Halang" in text
    assert "184,92" not in text
    assert "luas kumuh SK kabupaten" not in text


def test_the_workbook_has_the_years_the_children_and_the_locations(demo: Personas) -> None:
    report = pengurangan_report(KABUPATEN, fmt="xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(report.content))
    assert book.sheet_names[:3] == ["Per tahun", "Per kecamatan", "Per lokasi"]
    years = book.get_sheet_by_name("Per tahun").to_python()
    assert [row[0] for row in years[1:]] == [2019.0, 2021.0]
    assert years[2][1] == 152.56


def test_the_report_reads_a_dashboard_per_year(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    # region (1), two dashboards (6 + 6), SK versions (1), status removal (3), map (2)
    with django_assert_num_queries(19):
        pengurangan_data(KABUPATEN)


def test_an_unknown_region_is_an_error(demo: Personas) -> None:
    with pytest.raises(ReportError, match="unknown region"):
        pengurangan_report("99.99")
