"""`sikumuh import motorkawanku DIR --region CODE`: a summary, the problems, an exit status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation
from tests.io.import_cli import call

pytestmark = pytest.mark.django_db

# `export` is the `Export` builder of tests/io/conftest.py (edit `files`, then `write()`).


def test_a_clean_export_is_imported_with_a_one_line_per_count_summary(
    kota_pekalongan: Region, export: Any
) -> None:
    code, out = call("motorkawanku", str(export.write()), "--region", "33.75")
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == ["status: tersimpan", "baris: 6", "baru: 6", "diperbarui: 0"]
    assert "nama kawasan: 2 ditemukan, 0 tidak ditemukan (2 exact)" in lines
    assert "investasi: tersimpan, 2 baru, 0 diperbarui, 0 tidak berubah, 0 ditolak" in lines
    assert Observation.objects.count() == 6


def test_a_rejected_import_exits_1_and_lists_errors_before_warnings(
    kota_pekalongan: Region, export: Any
) -> None:
    export.files["kumuhRT.json"][0]["2an"] = 0.25
    export.files["rtrw.json"][1]["jumlahPenduduk"] = "banyak"  # no criterion divides by it
    code, out = call("motorkawanku", str(export.write()), "--region", "33.75")
    assert code == 1
    assert "1 baris ditolak: angka tersimpan tidak dapat dihitung ulang (rekaman rusak)" in out
    errors, warnings = out.split("kesalahan (")[1].split("peringatan (")
    assert errors.startswith("2):\nkumuhRT.json, baris 1, kolom 2an, nilai '0.25': ")
    assert warnings == (
        "1):\nrtrw.json, baris 2, kolom jumlahPenduduk, nilai 'banyak': bukan angka\n"
    )
    assert Observation.objects.count() == 0


def test_the_json_format_prints_the_report(kota_pekalongan: Region, export: Any) -> None:
    code, out = call("motorkawanku", str(export.write()), "--region", "33.75", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert (report["kind"], report["status"], report["created"]) == ("motorkawanku", "committed", 6)
    assert report["integrity"]["cells_reproduced_consistent"] == 96
    assert report["names"]["resolutions"][1]["kode_desa"] == "33.75.02.1012"


def test_an_unknown_region_is_one_clear_line(kota_pekalongan: Region, export: Any) -> None:
    code, message = call("motorkawanku", str(export.write()), "--region", "99.99")
    assert (code, message) == (2, "'99.99' is not a kabupaten/kota code in the database")


def test_a_missing_directory_is_one_clear_line(kota_pekalongan: Region, tmp_path: Path) -> None:
    code, message = call("motorkawanku", str(tmp_path / "nowhere"), "--region", "33.75")
    assert code == 2
    assert message.endswith("nowhere is not a directory")


def test_pekalongan_with_skip_invalid_reports_both_kinds_of_rejection(
    kota_pekalongan: Region, pekalongan_dir: Path
) -> None:
    code, out = call("motorkawanku", str(pekalongan_dir), "--region", "33.75", "--skip-invalid")
    assert code == 0
    lines = out.splitlines()
    assert lines[:6] == [
        "status: tersimpan, baris yang salah dilewati",
        "baris: 2160",
        "baru: 1904",
        "diperbarui: 0",
        "tidak berubah: 0",
        "ditolak: 256",
    ]
    assert "250 baris ditolak: angka tersimpan tidak dapat dihitung ulang (rekaman rusak)" in lines
    assert "6 baris ditolak: volume negatif pada 4a" in lines
    assert (
        "sel yang dapat dihitung ulang: 30560 dari 30560 dalam 1910 rekaman konsisten; "
        "250 rekaman tidak sah (50 RT)" in lines
    )


CODES = ("1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c",
         "5a", "5b", "6a", "6b", "7a", "7b")  # fmt: skip


def template_csv(path: Path, *rows: tuple[str, str]) -> Path:
    """A template CSV of RTs (rt, v_4a) in Medono: the worked example's header, 2b at 77.56 %."""
    header = "kode_desa,lokasi,rt,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,"
    header += "panjang_jalan_ideal_m,panjang_drainase_ideal_m," + ",".join(f"v_{c}" for c in CODES)
    lines = [header]
    for rt, v_4a in rows:
        volumes = dict.fromkeys(CODES, "0") | {"2b": "605", "4a": v_4a}
        lines.append(
            f"33.75.01.1002,L-01,{rt},2019,1.5,50,200,60,780,385,"
            + ",".join(volumes[c] for c in CODES)
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_template_file_is_imported_all_or_nothing(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    path = template_csv(tmp_path / "rt.csv", ("001", "0.2"), ("002", "-0.5"))
    code, out = call("template", str(path))
    assert code == 1
    assert out.splitlines()[:2] == ["status: ditolak, tidak ada yang disimpan", "baris: 2"]
    assert "rt.csv, baris 3, kolom v_4a" in out
    assert Observation.objects.count() == 0
    code, out = call("template", str(path), "--skip-invalid")
    assert (code, out.splitlines()[:3]) == (
        0,
        ["status: tersimpan, baris yang salah dilewati", "baris: 2", "baru: 1"],
    )
    assert Observation.objects.count() == 1
