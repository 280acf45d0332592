"""`sikumuh sk export` and `sikumuh sk import` on the Tanah Laut demo: the lampiran round trip,
a new version dropping a location, and which SK is in force in which year."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.cli import main
from sikumuh.demo.build import build_demo
from sikumuh.demo.tanah_laut import SK_NUMBER
from sikumuh.slums.models import SkDecree
from sikumuh.slums.sk_in_force import sk_version_in_force
from sikumuh.surveys.sk_entries import decree_entries, total_ha

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(load_regions_under: Callable[..., int]) -> SkDecree:
    load_regions_under("63.01")
    build_demo(actor=Actor.system("test"))
    return SkDecree.objects.get(kabupaten_id="63.01")


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def export(path: Path, *more: str) -> list[dict[str, str]]:
    code, out, err = call("sk", "export", "--region", "63.01", "-o", str(path), *more)
    assert (code, err) == (0, "")
    assert out.startswith(f"SK {SK_NUMBER} (2020-06-15): 48 lokasi ditulis ke ")
    if path.suffix == ".xlsx":
        return []
    with open(path, encoding="utf-8") as text:
        return list(csv.DictReader(text))


def sk_ha(year: int) -> Decimal:
    decree = sk_version_in_force("63.01", year)
    assert decree is not None
    return total_ha(decree_entries(decree, with_status=False))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_exported_lampiran_imports_back_unchanged(
    demo: SkDecree, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"lampiran{suffix}"
    rows = export(path)
    if rows:
        assert list(rows[0])[:7] == [
            "kode_desa",
            "nama_desa",
            "kecamatan",
            "kode_lokasi",
            "nama_lokasi",
            "tipologi",
            "luas_ha",
        ]
        assert sum(Decimal(r["luas_ha"]) for r in rows) == Decimal("184.92")
    code, out, err = call(
        "sk", "import", str(path), "--region", "63.01", "--number", "X/2023", "--date", "2023-03-01"
    )
    assert (code, err) == (0, "")
    assert out.startswith(
        f"Tidak ada perubahan: berkas mencantumkan lokasi dan luas yang sama dengan SK {SK_NUMBER};"
    )
    assert SkDecree.objects.count() == 1


def test_dropping_a_location_and_importing_it_as_an_sk_of_2023_makes_a_new_version(
    demo: SkDecree, tmp_path: Path
) -> None:
    path = tmp_path / "lampiran.csv"
    rows = export(path)
    dropped = rows.pop(10)
    with open(path, "w", encoding="utf-8", newline="") as text:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = call(
        "sk", "import", str(path), "--region", "63.01", "--number", "188.45/2023",
        "--date", "2023-03-01",
    )  # fmt: skip
    assert (code, err) == (0, "")
    lines = out.splitlines()
    new_total = Decimal("184.92") - Decimal(dropped["luas_ha"])
    assert lines[0] == f"SK 188.45/2023 (2023-03-01) terdaftar sebagai versi baru SK {SK_NUMBER}."
    shown = f"{Decimal(dropped['luas_ha']):.2f}".replace(".", ",")
    assert lines[1] == (
        f"dikeluarkan: {dropped['kode_lokasi']} {dropped['nama_lokasi']}, {shown} ha"
    )
    assert lines[2] == (
        f"total: 184,92 ha → {f'{new_total:.2f}'.replace('.', ',')} ha (47 lokasi tidak berubah)"
    )
    # A later SK never changes an earlier year.
    assert sk_version_in_force("63.01", 2021).number == SK_NUMBER  # type: ignore[union-attr]
    assert sk_ha(2021) == Decimal("184.92")
    assert sk_version_in_force("63.01", 2022).number == SK_NUMBER  # type: ignore[union-attr]
    assert sk_version_in_force("63.01", 2023).number == "188.45/2023"  # type: ignore[union-attr]
    assert sk_ha(2023) == new_total
    # Exporting 2021 still gives the 2020 lampiran, with the dropped location.
    again = export(tmp_path / "2021.csv", "--tahun", "2021")
    assert dropped["kode_lokasi"] in {r["kode_lokasi"] for r in again}


def test_a_refused_file_prints_each_problem_on_one_line_and_exits_1(
    demo: SkDecree, tmp_path: Path
) -> None:
    path = tmp_path / "lampiran.csv"
    path.write_text("kode_desa,kode_lokasi,nama_lokasi,luas_ha\n63.01.03.1001,TL-99,Baru,-1\n")
    code, out, err = call(
        "sk", "import", str(path), "--region", "63.01", "--number", "X", "--date", "2023-03-01"
    )
    assert code == 1
    assert err == ("lampiran.csv, baris 2, kolom luas_ha, nilai '-1': luas harus lebih dari 0 ha\n")
    assert out == "Ditolak: tidak ada yang disimpan (1 kesalahan).\n"
    assert SkDecree.objects.count() == 1


def test_export_of_a_year_before_any_sk_is_one_clear_error_line(
    demo: SkDecree, tmp_path: Path
) -> None:
    code, out, err = call(
        "sk", "export", "--region", "63.01", "--tahun", "2019", "-o", str(tmp_path / "x.csv")
    )
    assert code == 2
    assert err == (
        "sikumuh: kesalahan: Kabupaten Tanah Laut tidak memiliki SK yang berlaku pada tahun 2019\n"
    )
    assert out == ""


def test_import_as_json_gives_the_status_and_the_change(demo: SkDecree, tmp_path: Path) -> None:
    path = tmp_path / "lampiran.csv"
    rows = export(path)
    rows[0]["luas_ha"] = str(Decimal(rows[0]["luas_ha"]) + 1)
    with open(path, "w", encoding="utf-8", newline="") as text:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = call(
        "sk", "import", str(path), "--region", "63.01", "--number", "Y/2024",
        "--date", "2024-01-02", "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["status"], report["previous"], report["problems"]) == (
        "committed",
        SK_NUMBER,
        [],
    )
    assert [c["kode_lokasi"] for c in report["diff"]["changed"]] == [rows[0]["kode_lokasi"]]
    assert report["diff"]["total_after"] == 185.92
