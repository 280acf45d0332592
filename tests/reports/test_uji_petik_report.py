"""The Laporan Uji Petik: on the Tanah Laut demo it states, as computed results, every figure of
the Bappeda news report of 5 November 2021 (seed-facts.md); read back from the PDF's text."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.inspections.models import UjiPetik
from sikumuh.reports.build import uji_petik_report
from sikumuh.reports.common import ReportError
from sikumuh.reports.uji_petik_data import available_years, uji_petik_data
from tests.conftest import Personas
from tests.reports.support import KABUPATEN, PELAIHARI, demo, demo_module, pdf_pages, pdf_text

__all__ = ["demo", "demo_module"]

#: seed-facts.md, as the report prints them (Bahasa Indonesia formats).
SOURCE_FIGURES = (
    "47,53 Ha",
    "24,36 Ha",
    "23,17 Ha",
    "48,75 %",
    "12,53 %",
    "7 kecamatan",
    "35 dari 48 desa",
    "Bajuin",
    "Batu Ampar",
    "Sungai Bakar",
    "Pemalongan",
    "Gunung Mas",
)


@pytest.fixture(scope="module")
def report_2021(demo_module: Personas, django_db_blocker: Any) -> tuple[str, int, float]:
    """The demo's report of 2021, rendered once for the module (it only reads)."""
    with django_db_blocker.unblock():
        started = time.perf_counter()
        report = uji_petik_report(KABUPATEN, 2021)
        elapsed = time.perf_counter() - started
    assert report.filename == "laporan-uji-petik-63.01-2021.pdf"
    return pdf_text(report.content), pdf_pages(report.content), elapsed


def test_the_demo_report_states_every_figure_of_the_source_document(
    report_2021: tuple[str, int, float],
) -> None:
    text, _, _ = report_2021
    missing = [figure for figure in SOURCE_FIGURES if figure not in text]
    assert missing == []


def test_pelaihari_s_reduction_is_given_with_both_of_its_bases(
    report_2021: tuple[str, int, float],
) -> None:
    text, _, _ = report_2021
    assert (
        "Kecamatan Pelaihari: dari 47,53 Ha menjadi 24,36 Ha, berkurang 23,17 Ha = 48,75 % dari "
        "luas kumuh awal kecamatan (47,53 Ha, 2019) = 12,53 % dari luas kumuh dalam SK "
        "Kabupaten Tanah Laut (184,92 Ha)"
    ) in text


def test_the_report_names_the_removed_kecamatan_and_their_desa(
    report_2021: tuple[str, int, float],
) -> None:
    text, _, _ = report_2021
    assert "Status kumuh terhapus di 2 kecamatan (Kecamatan Batu Ampar, Kecamatan Bajuin)" in text
    assert "dan 3 desa (Gunung Mas, Sungai Bakar, Pemalongan)" in text
    assert "FGD telah dilaksanakan di 35 dari 48 desa yang ada di SK Kawasan Kumuh (72,9 %)" in text


def test_the_report_has_a_cover_page_numbers_the_demo_notice_and_the_spot_check(
    demo: Personas, report_2021: tuple[str, int, float]
) -> None:
    text, pages, _ = report_2021
    assert text.startswith("EVALUASI PENANGANAN PERMUKIMAN KUMUH Laporan Uji Petik Kabupaten")
    assert "Tahun Anggaran 2021" in text
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text
    assert text.count("Data demo sintetis") >= pages
    seed = UjiPetik.objects.get(kabupaten_id=KABUPATEN, tahun=[2020, 2021]).seed
    for part in ("Cara sampel ditarik", "Hasil", "Keandalan data", "Temuan dan tindak lanjut",
                 f"Daftar sampel (seed {seed})", "selang kepercayaan 95 %"):  # fmt: skip
        assert part in text


def test_a_kabupaten_report_renders_in_seconds(report_2021: tuple[str, int, float]) -> None:
    _, pages, elapsed = report_2021
    print(f"Laporan Uji Petik 63.01 2021: {pages} pages in {elapsed:.1f} s")
    assert elapsed < 30


def test_without_an_uji_petik_the_spot_check_sections_say_there_is_none(demo: Personas) -> None:
    text = pdf_text(uji_petik_report(KABUPATEN, 2019).content)
    assert "Belum ada uji petik untuk Kabupaten Tanah Laut tahun anggaran 2019" in text
    assert "Luas kumuh per kecamatan, 2019 → 2019" in text


def test_the_figures_come_from_the_selectors(demo: Personas) -> None:
    data = uji_petik_data(KABUPATEN, 2021)
    pelaihari = next(k for k in data.kecamatan if k.code == PELAIHARI)
    assert (pelaihari.before_ha, pelaihari.now_ha) == (Decimal("47.53"), Decimal("24.36"))
    assert pelaihari.reduction is not None
    assert pelaihari.reduction_sk is not None
    assert (pelaihari.reduction.ha, pelaihari.reduction.percent) == (
        Decimal("23.17"),
        Decimal("48.75"),
    )
    assert (pelaihari.reduction_sk.percent, pelaihari.reduction_sk.base_ha) == (
        Decimal("12.53"),
        Decimal("184.92"),
    )
    assert [k.name for k in data.removal.kecamatan] == ["Batu Ampar", "Bajuin"]
    assert sorted(d.name for d in data.removal.desa_in_kecamatan) == [
        "Gunung Mas",
        "Pemalongan",
        "Sungai Bakar",
    ]
    assert (data.progress.sosialisasi_kecamatan, data.progress.fgd_sk_desa) == (7, 35)
    assert data.inspection is not None
    assert data.inspection.view.checked == 41


def test_the_data_are_gathered_in_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    """Whatever the number of locations, RTs and sampled items: region and years (3), the uji
    petik (1), the dashboard (6), the map (2), status removal (3), data collection (4), the
    sample, its redraw, reliability, findings and follow-ups (8)."""
    with django_assert_num_queries(27):
        uji_petik_data(KABUPATEN, 2021)


def test_the_workbook_has_one_sheet_per_table_with_numbers_as_numbers(demo: Personas) -> None:
    report = uji_petik_report(KABUPATEN, 2021, fmt="xlsx")
    assert report.filename.endswith(".xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(report.content))
    assert book.sheet_names[:4] == [
        "Ringkasan",
        "Luas kumuh per kecamatan",
        "Hapus status kumuh",
        "Pendataan",
    ]
    assert "Daftar sampel" in book.sheet_names
    rows = book.get_sheet_by_name("Luas kumuh per kecamatan").to_python()
    assert rows[0][:3] == ["Kecamatan", "Luas SK (Ha)", "Luas kumuh 2019 (Ha)"]
    pelaihari = next(r for r in rows if r[0] == "Pelaihari")
    assert pelaihari[2:] == [47.53, 24.36, 23.17, 48.75, 12.53]


def test_the_report_follows_the_chosen_language(demo: Personas) -> None:
    text = pdf_text(uji_petik_report(KABUPATEN, 2021, language="en").content)
    assert "from 47.53 Ha to 24.36 Ha, a reduction of 23.17 Ha = 48.75 %" in text
    assert "Synthetic demo data" in text


@pytest.mark.parametrize(
    ("code", "tahun", "message"),
    [
        ("63.01.03", 2021, "made for a kabupaten/kota"),
        ("99.99", 2021, "unknown region"),
        ("63.01", 1999, "no RT data and no uji petik for 1999"),
    ],
)
def test_a_report_that_cannot_be_made_says_why(
    demo: Personas, code: str, tahun: int, message: str
) -> None:
    with pytest.raises(ReportError, match=message):
        uji_petik_report(code, tahun)


def test_the_years_offered_are_those_with_rt_data_or_an_uji_petik(demo: Personas) -> None:
    assert available_years(KABUPATEN) == [2019, 2020, 2021]
