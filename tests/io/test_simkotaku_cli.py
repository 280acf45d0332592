"""`sikumuh import simkotaku PROFIL [STATUS] --region CODE`: a summary, the differences, the
problems, an exit status; `--format json` prints the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation
from tests.io.import_cli import call
from tests.io.simkotaku_files import Export

pytestmark = pytest.mark.django_db


def test_an_export_is_imported_with_names_and_differences_listed(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.status[1] = (56, "KUMUH SEDANG")
    export.rts[3].percents["4a"] = "-100.0"
    profil, status = export.write_profil(".geojson"), export.write_status(".zip")
    args = ("simkotaku", str(profil), str(status), "--region", "33.75", "--skip-invalid")
    code, out = call(*args)
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == ["status: tersimpan, baris yang salah dilewati", "baris: 4", "baru: 3"]
    assert "nama kelurahan: 4 dari 4 ditemukan" in lines
    assert "    Sekoduwet (PEKALONGAN SELATAN) → 33.75.04.1010 Sokoduwet [similar]" in lines
    assert (
        "delineasi_kumuh_akhir.zip: 2 selisih dengan angka sikumuh pada 4 baris, 0 peringatan"
        in lines
    )
    assert (
        "    delineasi_kumuh_akhir.zip, baris 2, 33750115-RT003-RW001, kolom skor_awal: "
        "tertulis 56, dihitung 57"
    ) in lines
    assert (
        "    delineasi_kumuh_akhir.zip, baris 4, 33750412-RT010-RW003: "
        "tidak ada RT valid dengan kode ini di lapisan profil"
    ) in lines
    assert (
        "batas wilayah: 0 lokasi dan 3 RT diisi, 0 tidak berubah, 0 tanpa lokasi/RT tersimpan"
        in lines
    )


def test_a_negative_percentage_exits_1_with_one_indonesian_line_naming_it(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts[0].percents["4a"] = "-100.0"
    code, out = call("simkotaku", str(export.write_profil(".csv")), "--region", "33.75")
    assert code == 1
    assert (
        "profil_kumuh_basis.csv, baris 2, kolom k4_a_p, nilai '-100.0': "
        "persentase negatif: kesalahan data SIM KOTAKU, bukan nilai"
    ) in out.splitlines()
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("flags", "code", "line", "stored"),
    [
        ((), 1, "persentase negatif: kesalahan data SIM KOTAKU, bukan nilai", 0),
        (("--negatives-as-zero",), 0, "persentase negatif dinilai 0, seperti oleh SIM KOTAKU", 4),
    ],
)
def test_negatives_as_zero_scores_a_negative_percentage_as_0_with_a_warning(
    kota_pekalongan: Region,
    tmp_path: Path,
    flags: tuple[str, ...],
    code: int,
    line: str,
    stored: int,
) -> None:
    export = Export(tmp_path)
    export.rts[0].percents["4a"] = "-100.0"
    profil = str(export.write_profil(".csv"))
    assert call("simkotaku", profil, "--region", "33.75", *flags)[0] == code
    out = call("simkotaku", profil, "--region", "33.75", *flags)[1]
    assert f"profil_kumuh_basis.csv, baris 2, kolom k4_a_p, nilai '-100.0': {line}" in out
    assert Observation.objects.count() == stored


@pytest.mark.parametrize(
    ("sumber", "code", "status"),
    [
        ("Data SIM KOTAKU", 1, "status: ditolak, tidak ada yang disimpan"),
        ("Data SIM KOTAKU, download pada 281120", 0, "status: tersimpan"),
    ],
)
def test_skip_invalid_with_every_row_rejected_says_so_and_exits_1(
    kota_pekalongan: Region, tmp_path: Path, sumber: str, code: int, status: str
) -> None:
    export = Export(tmp_path)
    profil = export.write(
        "profil.csv", [({**p, "Sumber": sumber}, g) for p, g in export.profil_features()]
    )
    found, out = call("simkotaku", str(profil), "--region", "33.75", "--skip-invalid")
    assert (found, out.splitlines()[0]) == (code, status), out


def test_json_output_is_the_report_with_tahun_applied(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    profil = Export(tmp_path).write_profil(".csv")
    args = ("simkotaku", str(profil), "--region", "33.75", "--tahun", "2021", "--format", "json")
    code, out = call(*args)
    report = json.loads(out)
    assert (code, report["kind"], report["status"], report["created"]) == (
        0,
        "simkotaku",
        "committed",
        4,
    )
    assert report["kelurahan_names"]["resolved"] == 4
    assert set(Observation.objects.values_list("tahun", flat=True)) == {2021}
    code, out = call(*args)
    assert json.loads(out)["status"] == "unchanged"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("tidak-ada.csv", "tidak-ada.csv: berkas tidak ada"),
        ("profil.kml", "profil.kml: bukan berkas GeoJSON, Shapefile dalam zip, atau CSV"),
    ],
)
def test_an_unusable_file_is_refused_in_one_line(
    kota_pekalongan: Region, tmp_path: Path, name: str, message: str
) -> None:
    path = tmp_path / name
    if name.endswith(".kml"):
        path.write_text("<kml/>", encoding="utf-8")
    assert call("simkotaku", str(path), "--region", "33.75") == (2, message)
