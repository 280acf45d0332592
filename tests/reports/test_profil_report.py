"""The Profil Kawasan Kumuh of one location: identity, map, criteria, trend, handling."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.reports.build import profil_report
from sikumuh.reports.common import ReportError
from sikumuh.reports.profil_data import location_or_error, profil_data
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.factories import location
from tests.reports.support import demo, demo_module, pdf_text

__all__ = ["demo", "demo_module"]


def demo_location(code: str) -> Location:
    return Location.objects.get(kabupaten_id="63.01", code=code)


def test_the_profile_of_a_slum_location_gives_its_class_criteria_and_handling(
    demo: Personas,
) -> None:
    loc = demo_location("TL-20")  # Bawah Layung, Kecamatan Kurau: unhandled, still kumuh
    report = profil_report(loc.pk)
    assert report.filename == "profil-kawasan-kumuh-TL-20.pdf"
    text = pdf_text(report.content)
    for part in (
        "Profil Kawasan Kumuh",
        "Kawasan Bawah Layung (TL-20)",
        "Desa Bawah Layung, Kecamatan Kurau, Kabupaten Tanah Laut",
        "Data demo sintetis",
        "Pola penanganan",
        "Pemugaran bila lahannya legal; Pemukiman Kembali bila tidak",
        "1a Ketidakteraturan bangunan",
        "Total nilai dan tingkat kekumuhan",
        "Cakupan pelayanan dasar (2021)",
        "Kewenangan (menurut luas) Pemerintah Kabupaten/Kota (3,80 Ha)",
    ):
        assert part in text, part


def test_a_location_whose_status_may_be_removed_says_so(demo: Personas) -> None:
    text = pdf_text(profil_report(demo_location("TL-41").pk).content)  # Sungai Bakar, Bajuin
    assert "memenuhi kedua syarat (Tidak Kumuh, semua pelayanan dasar di atas 80 %)" in text
    assert "Pencegahan: lokasi sudah Tidak Kumuh" in text


def test_the_investments_that_explain_an_improvement_are_listed(demo: Personas) -> None:
    data = profil_data(location_or_error(demo_location("TL-41").pk))
    assert data.investments
    assert {i.tahun for i in data.investments} <= {2020, 2021}
    assert data.first_year == 2019
    assert data.latest_year == 2021


def test_a_location_without_data_or_polygon_still_gets_a_profile(
    load_regions_under: Callable[..., int],
) -> None:
    load_regions_under("63.01")
    text = pdf_text(profil_report(location("L-99").pk).content)
    assert "Lokasi ini belum memiliki delineasi (poligon)." in text
    assert "Belum ada data RT." in text
    assert "Data demo sintetis" not in text


def test_the_profile_workbook_holds_the_criteria_as_numbers(demo: Personas) -> None:
    report = profil_report(demo_location("TL-20").pk, fmt="xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(report.content))
    assert book.sheet_names == [
        "Lokasi",
        "Kriteria",
        "Tren",
        "Pelayanan dasar",
        "RT",
        "Investasi",
        "SK",
    ]
    criteria = book.get_sheet_by_name("Kriteria").to_python()
    assert criteria[0][:4] == ["Aspek", "Kriteria", "Persentase 2019 (%)", "Nilai 2019"]
    assert isinstance(criteria[1][2], float)


def test_the_profile_reads_in_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    loc = location_or_error(demo_location("TL-20").pk)
    # observations, RTs, SK entries, the SK versions in force, investments, RT shapes
    with django_assert_num_queries(6):
        profil_data(loc)


def test_an_unknown_location_is_an_error(demo: Personas) -> None:
    with pytest.raises(ReportError, match="no slum location with id 999999"):
        profil_report(999999)
