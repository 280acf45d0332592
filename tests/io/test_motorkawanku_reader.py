"""Reading a motorkawanku export into rows, investments and outlines, without a database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sikumuh.io.motorkawanku import (
    Candidate,
    MotorkawankuData,
    MotorkawankuError,
    location_code,
    read_motorkawanku,
)
from sikumuh.io.motorkawanku.geometry import polygons_of, ring_from_latlng
from sikumuh.io.motorkawanku.investments import funding_source

Candidates = tuple[list[Candidate], list[Candidate]]
# `export` is the `Export` builder of tests/io/conftest.py (edit `files`, then `write()`).


def read(directory: Path, candidates: Candidates) -> MotorkawankuData:
    kecamatan, desa = candidates
    return read_motorkawanku(directory, "33.75", kecamatan=kecamatan, desa=desa)


def test_each_kumuh_rt_record_becomes_one_row_with_the_rts_header_and_volumes(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    data = read(export.write(), pekalongan_candidates)
    assert len(data.rows) == 6
    row = data.rows[0]
    assert (row.file, row.row, row.source_ref) == ("kumuhRT.json", "1", "kumuhRT.json#1")
    assert (row.kode_desa, row.lokasi, row.lokasi_name, row.rt, row.tahun) == (
        "33.75.01.1003",
        "KWS-01",
        "Podosugih",
        "RT001-RW002",
        2019,
    )
    assert row.header["luas_ha"] == Decimal("1.5")
    assert row.header["panjang_drainase_ideal_m"] == Decimal(385)
    assert row.volumes["2b"] == Decimal(605)
    assert set(row.volumes) == {
        "1a",
        "1b",
        "1c",
        "2a",
        "2b",
        "3a",
        "3b",
        "4a",
        "4b",
        "4c",
        "5a",
        "5b",
        "6a",
        "6b",
        "7a",
        "7b",
    }
    assert data.problems == []


def test_location_codes_are_stable_and_sortable() -> None:
    assert [location_code(i) for i in (1, 9, 27, 130)] == ["KWS-01", "KWS-09", "KWS-27", "KWS-130"]


def test_stray_empty_spreadsheet_columns_are_ignored(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["rtrw.json"][0]["__EMPTY_7"] = "x"
    data = read(export.write(), pekalongan_candidates)
    assert data.problems == []
    assert set(data.rts[1].header) == {
        "luas_ha",
        "jumlah_bangunan",
        "jumlah_penduduk",
        "jumlah_kk",
        "panjang_jalan_ideal_m",
        "panjang_drainase_ideal_m",
    }


def test_an_unresolved_kawasan_is_reported_and_rejects_each_of_its_records(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["kawasan.json"][1]["kawasan"] = "Atlantis"
    data = read(export.write(), pekalongan_candidates)
    assert not data.resolutions[2].resolved
    assert len(data.rows) == 4
    errors = [p for p in data.problems if p.severity == "error"]
    assert [(p.file, p.row, p.column) for p in errors] == [
        ("kumuhRT.json", "3", "kawasan"),
        ("kumuhRT.json", "6", "kawasan"),
    ]
    assert "kawasan 2 'Atlantis' (Pekalongan Timur) could not be placed" in errors[0].reason


def test_a_record_of_an_unknown_rt_is_an_error_on_that_record(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["kumuhRT.json"][0]["rt"] = 99
    data = read(export.write(), pekalongan_candidates)
    (problem,) = data.problems
    assert (problem.row, problem.column, problem.value) == ("1", "rt", "99")
    assert "RT id 99 is not in rtrw.json" in problem.reason


def test_a_missing_required_file_is_refused_with_its_name(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    del export.files["rtrw.json"]
    with pytest.raises(MotorkawankuError, match=r"missing rtrw\.json"):
        read(export.write(), pekalongan_candidates)


def test_optional_files_may_be_absent(export: Any, pekalongan_candidates: Candidates) -> None:
    for name in ("kumuhKawasan.json", "investasi.json", "kriteria.json", "latlng.json"):
        del export.files[name]
    data = read(export.write(), pekalongan_candidates)
    assert (len(data.rows), data.investments, data.polygons) == (6, [], None)


def test_investments_take_their_unit_from_the_catalogue_and_their_rt_by_id_or_label(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    data = read(export.write(), pekalongan_candidates)
    first, second = data.investments
    assert (first.lokasi, first.rt, first.criterion, first.tahun, first.activity) == (
        "KWS-01",
        "RT001-RW002",
        "2b",
        2021,
        "Jalan Beton",
    )
    assert (first.volume, first.unit, first.funding_source, first.cost) == (
        Decimal(100),
        "m",
        "apbd",
        Decimal(90000000),
    )
    assert first.source_ref == "investasi.json#1"
    assert (second.rt, second.unit, second.volume, second.funding_source, second.cost) == (
        "RT001-RW001",
        "KK",
        Decimal("12.5"),
        "",
        None,
    )
    assert data.investment_problems == []


def test_an_investment_in_an_rt_outside_the_kawasan_is_kept_for_the_location_with_a_warning(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["investasi.json"][1]["idRTRW"] = "RT009-RW009"
    data = read(export.write(), pekalongan_candidates)
    assert data.investments[1].rt is None
    (problem,) = data.investment_problems
    assert (problem.severity, problem.column, problem.value) == ("warning", "idRTRW", "RT009-RW009")


def test_an_investment_whose_rt_belongs_to_another_kawasan_is_an_error(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["investasi.json"][0]["idRTRW"] = 3
    data = read(export.write(), pekalongan_candidates)
    assert len(data.investments) == 1
    (problem,) = data.investment_problems
    assert problem.reason == "RT id 3 (RT001-RW001) belongs to kawasan 2, not to idKawasan 1"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("APBD II (KOTA/KAB)", "apbd"),
        ("APBD I (PROVINSI)", "apbd_provinsi"),
        ("APBD PROVINSI", "apbd_provinsi"),
        ("APBN PUSAT (Kementrian PUPR)", "apbn"),
        ("DANA KELURAHAN / ADK / APBD KEL", "dana_desa"),
        ("SWADAYA", "swadaya"),
        ("", ""),
        ("Hibah luar negeri", None),
    ],
)
def test_funding_source_texts_map_to_the_products_sources(text: str, source: str | None) -> None:
    assert funding_source(text) == source


def test_outlines_are_turned_from_lat_lon_into_closed_geojson_lon_lat_rings() -> None:
    ring = ring_from_latlng([[-6.88, 109.66], [-6.88, 109.67], [-6.89, 109.67]])
    assert ring == [[109.66, -6.88], [109.67, -6.88], [109.67, -6.89], [109.66, -6.88]]


def test_a_two_point_multipolygon_is_not_an_area() -> None:
    assert polygons_of("MultiPolygon", [[[-6.88, 109.69], [-6.88, 109.70]]]) == []


def test_outlines_are_matched_to_kawasan_by_name_even_misspelled(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    data = read(export.write(), pekalongan_candidates)
    assert data.polygons is not None
    assert data.polygons.locations["KWS-02"]["type"] == "Polygon"
    assert data.polygons.locations["KWS-02"]["coordinates"][0][0] == [109.66, -6.88]
    assert data.polygons.rts[("KWS-01", "RT001-RW002")]["type"] == "Polygon"
    assert data.polygons.names["Kalibaros"] == "KWS-02 [normalised]"


def test_the_pekalongan_export_places_all_27_kawasan(
    pekalongan_dir: Path, pekalongan_candidates: Candidates
) -> None:
    data = read(pekalongan_dir, pekalongan_candidates)
    assert all(r.resolved for r in data.resolutions.values())
    not_exact = {
        r.kawasan: (r.kode_desa, str(r.method))
        for r in data.resolutions.values()
        if r.method != "exact"
    }
    assert not_exact == {"Pasir Kraton Kramat": ("33.75.01.1008", "normalised")}
    assert (len(data.kawasan), len(data.rts), len(data.rows)) == (27, 432, 2160)
    assert data.problems == []


def test_the_pekalongan_outlines_cover_every_kawasan_and_418_rts(
    pekalongan_dir: Path, pekalongan_candidates: Candidates
) -> None:
    polygons = read(pekalongan_dir, pekalongan_candidates).polygons
    assert polygons is not None
    assert len(polygons.locations) == 27
    assert len(polygons.rts) == 418
    assert sorted(n for n, how in polygons.names.items() if "exact" not in how) == [
        "Kalibaros",
        "Kandang panjang",
        "Noyotaansari",
        "Sekoduwet",
    ]
    assert len(polygons.problems) == 12  # the two-point "MultiPolygon" lines
