"""The SIM KOTAKU profil layer read without a database: keys, classes, and the rows refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sikumuh.core.criteria import SlumClass
from sikumuh.io.motorkawanku import Candidate
from sikumuh.io.simkotaku import (
    PERCENT_COLUMNS,
    Layer,
    Record,
    parse_kode_rtrw,
    profil_rows,
    slum_class,
)
from sikumuh.io.simkotaku.profil import sumber_year
from tests.io.simkotaku_files import Export, profil_properties


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("12345678-RT002-RW005", "RT002-RW005"),
        (" 12345678-rt2-rw5 ", "RT002-RW005"),
        ("12345678-RT002", None),
        ("1234567-RT002-RW005", None),
        ("", None),
        (None, None),
    ],
)
def test_kode_rtrw_gives_the_rt_label_or_nothing(text: Any, label: str | None) -> None:
    key = parse_kode_rtrw(text)
    assert (key.label if key else None) == label


@pytest.mark.parametrize(
    ("text", "klass"),
    [
        ("Kumuh Ringan", SlumClass.RINGAN),
        ("KUMUH SEDANG", SlumClass.SEDANG),
        ("kumuh  berat", SlumClass.BERAT),
        ("Tidak Kumuh", SlumClass.TIDAK_KUMUH),
        ("tidak_kumuh", SlumClass.TIDAK_KUMUH),
        ("Kumuh", None),
        (None, None),
    ],
)
def test_a_class_is_read_in_any_case(text: Any, klass: SlumClass | None) -> None:
    assert slum_class(text) is klass


KOTA = Candidate("33.75", "Kota Pekalongan")


def test_the_kabupaten_is_recognised_in_the_exports_spelling(
    tmp_path: Path, pekalongan_candidates: tuple[list[Candidate], list[Candidate]]
) -> None:
    kecamatan, desa = pekalongan_candidates
    for spelling in ("KOTA PEKALONGAN", "Kota Pekalongan", "kota  pekalongan", ""):
        layer = _layer(tmp_path, Kota_Kab=spelling)
        data = profil_rows(layer, tahun=None, kecamatan=kecamatan, desa=desa, kabupaten=KOTA)
        assert len(data.rows) == 1, spelling


def _layer(tmp_path: Path, **changes: Any) -> Layer:
    rt = Export(tmp_path).rts[0]
    props = {**profil_properties(rt, 0), **changes}
    columns = {name.lower(): name for name in props}
    return Layer("profil.csv", list(props), [Record("2", props, columns)])


@pytest.mark.parametrize(
    ("changes", "column", "value", "reason"),
    [
        ({"k4_a_p": "-100.0"}, "k4_a_p", "-100.0", "persentase negatif"),
        ({"k2_b_p": "banyak"}, "k2_b_p", "banyak", "bukan angka"),
        ({"k6_c_p": " "}, "k6_c_p", " ", "persentase kosong"),
        ({"Kode_RTRW": "RT002-RW005", "Kode": ""}, "Kode_RTRW", "RT002-RW005", "bukan kode RT"),
        ({"Kelurahan": "Atlantis"}, "Kelurahan", "Atlantis", "kelurahan tidak ditemukan"),
        ({"Sumber": "Data SIM KOTAKU"}, "Sumber", "Data SIM KOTAKU", "tanpa tahun"),
        ({"Kota_Kab": "KABUPATEN BATANG"}, "Kota_Kab", "KABUPATEN BATANG", "bukan Kota Pekalongan"),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_column_and_value_in_indonesian(
    tmp_path: Path,
    pekalongan_candidates: tuple[list[Candidate], list[Candidate]],
    changes: dict[str, Any],
    column: str,
    value: str,
    reason: str,
) -> None:
    kecamatan, desa = pekalongan_candidates
    layer = _layer(tmp_path, **changes)
    data = profil_rows(layer, tahun=None, kecamatan=kecamatan, desa=desa, kabupaten=KOTA)
    assert data.rows == []
    [problem] = [p for p in data.problems if p.severity == "error"]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "profil.csv",
        "2",
        column,
        value,
    )
    assert problem.reason.startswith(reason)


def test_the_year_comes_from_tahun_before_sumber(
    tmp_path: Path, pekalongan_candidates: tuple[list[Candidate], list[Candidate]]
) -> None:
    kecamatan, desa = pekalongan_candidates
    data = profil_rows(_layer(tmp_path), tahun=2021, kecamatan=kecamatan, desa=desa)
    assert [r.tahun for r in data.rows] == [2021]
    data = profil_rows(_layer(tmp_path), tahun=None, kecamatan=kecamatan, desa=desa)
    assert [r.tahun for r in data.rows] == [2020]


@pytest.mark.parametrize(
    ("sumber", "year"),
    [
        ("Data SIM KOTAKU, 25-11-2020", 2020),
        ("Data SIM KOTAKU, 5/1/2019", 2019),
        ("Data SIM KOTAKU, download pada 281120", 2020),  # DDMMYY, as Kebumen's exports
        ("Data SIM KOTAKU, download pada 010221", 2021),
        ("Data SIM KOTAKU, download pada 311320", None),  # no 13th month
        ("Data SIM KOTAKU, download pada 2811200", None),  # seven digits: no date
        ("Data SIM KOTAKU", None),
        (None, None),
    ],
)
def test_the_year_is_read_from_either_date_of_sumber(sumber: str | None, year: int | None) -> None:
    assert sumber_year(sumber) == year


def test_a_ddmmyy_download_date_gives_the_rows_year(
    tmp_path: Path, pekalongan_candidates: tuple[list[Candidate], list[Candidate]]
) -> None:
    kecamatan, desa = pekalongan_candidates
    layer = _layer(tmp_path, Sumber="Data SIM KOTAKU, download pada 281120")
    data = profil_rows(layer, tahun=None, kecamatan=kecamatan, desa=desa)
    assert ([r.tahun for r in data.rows], data.problems) == ([2020], [])


def test_misspelt_kelurahan_are_resolved_and_listed_with_how(
    tmp_path: Path, pekalongan_candidates: tuple[list[Candidate], list[Candidate]]
) -> None:
    kecamatan, desa = pekalongan_candidates
    layer = _layer(tmp_path, Kecamatan="PEKALONGAN SELATAN", Kelurahan="Sekoduwet")
    data = profil_rows(layer, tahun=None, kecamatan=kecamatan, desa=desa)
    assert [r.kode_desa for r in data.rows] == ["33.75.04.1010"]
    assert data.names_summary()["not_exact"][0]["method"] == "similar"


@given(
    percent=st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
    code=st.sampled_from(sorted(PERCENT_COLUMNS)),
)
def test_a_percentage_is_kept_as_given_unless_it_is_negative(
    pekalongan_candidates: tuple[list[Candidate], list[Candidate]], percent: Decimal, code: str
) -> None:
    kecamatan, desa = pekalongan_candidates
    layer = _layer(Path("."), **{PERCENT_COLUMNS[code]: str(percent)})
    data = profil_rows(layer, tahun=None, kecamatan=kecamatan, desa=desa, kabupaten=KOTA)
    scored = profil_rows(
        layer, tahun=None, kecamatan=kecamatan, desa=desa, kabupaten=KOTA, negatives_as_zero=True
    )
    assert [row.percents[code] for row in scored.rows] == [max(percent, Decimal(0))]
    assert [p.severity for p in scored.problems] == (["warning"] if percent < 0 else [])
    if percent < 0:
        assert data.rows == []
        assert [(p.column, p.value) for p in data.problems] == [
            (PERCENT_COLUMNS[code], str(percent))
        ]
    else:
        assert [row.percents[code] for row in data.rows] == [percent]
