"""`sikumuh import investments FILE --region CODE`: one summary line, one line per problem in
Indonesian naming file, row, column and value; exit 1 when refused."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sikumuh.cli import base, imports
from sikumuh.investments.models import Investment
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "kode_desa;lokasi;rt;tahun;kriteria;volume;satuan;kegiatan;sumber_dana;biaya_rp\n"
ROW = "63.01.03.1001;L-01;001;2023;2b;120,5;m;Pengaspalan jalan;apbd;1.250.000\n"


@pytest.fixture
def rt_001(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")
    factories.rt(factories.location("L-01", "63.01.03.1001"), "001")


def call(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="sikumuh")
    imports.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", "investments", *argv])
    out, err = io.StringIO(), io.StringIO()
    try:
        code = int(args.run(args, out, err))
    except base.CommandError as exc:
        return exc.exit_code, str(exc)
    return code, out.getvalue()


def test_an_indonesian_csv_is_stored_and_a_second_run_is_unchanged(
    rt_001: None, tmp_path: Path
) -> None:
    path = tmp_path / "investasi.csv"
    path.write_text(HEADER + ROW)
    assert call(str(path), "--region", "63.01") == (
        0,
        "tersimpan: 1 baris, 1 baru, 0 diubah, 0 tidak berubah, 0 ditolak\n",
    )
    assert Investment.objects.get().volume == pytest.approx(120.5)
    code, out = call(str(path), "--region", "63.01")
    assert (code, out.split(":")[0]) == (0, "tidak berubah")


def test_a_refused_file_exits_1_with_one_indonesian_line_per_problem(
    rt_001: None, tmp_path: Path
) -> None:
    path = tmp_path / "investasi.csv"
    path.write_text(HEADER + ROW.replace(";120,5;", ";-3;"))
    code, out = call(str(path), "--region", "63.01")
    assert code == 1
    assert out.splitlines()[1] == (
        "kesalahan: investasi.csv, baris 2, kolom volume, nilai '-3': volume harus lebih dari nol"
    )
    assert Investment.objects.count() == 0


def test_json_output_and_skip_invalid(rt_001: None, tmp_path: Path) -> None:
    path = tmp_path / "investasi.csv"
    path.write_text(HEADER + ROW + ROW.replace(";001;", ";009;"))
    code, out = call(str(path), "--region", "63.01", "--skip-invalid", "--format", "json")
    report = json.loads(out)
    assert (code, report["status"], report["created"], report["rejected"]) == (0, "partial", 1, 1)


def test_a_missing_file_is_one_clear_line(rt_001: None, tmp_path: Path) -> None:
    assert call(str(tmp_path / "nope.csv"), "--region", "63.01") == (
        2,
        "nope.csv: berkas tidak ada",
    )
