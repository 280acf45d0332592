"""`sikumuh report uji-petik|profil|pengurangan`: files written, one line said, errors clear."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.cli import main
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.reports.support import demo, demo_module, pdf_text

__all__ = ["demo", "demo_module"]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_uji_petik_report_is_written_as_a_pdf(demo: Personas, tmp_path: Path) -> None:
    target = tmp_path / "laporan.pdf"
    code, out, err = call(
        "report", "uji-petik", "--region", "63.01", "--tahun", "2021", "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"wrote {target} (")
    assert " pages, " in out
    text = pdf_text(target.read_bytes())
    assert "Kecamatan Pelaihari: dari 47,53 Ha menjadi 24,36 Ha" in text


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--format", "xlsx", "-o", "{dir}/laporan.out"], "laporan.out"),
        (["-o", "{dir}/laporan.xlsx"], "laporan.xlsx"),
    ],
)
def test_the_workbook_is_chosen_by_format_or_by_extension(
    demo: Personas, tmp_path: Path, args: list[str], name: str
) -> None:
    argv = ["report", "pengurangan", "--region", "63.01.03"]
    code, _, _ = call(*argv, *(a.format(dir=tmp_path) for a in args))
    assert code == 0
    book = CalamineWorkbook.from_filelike(io.BytesIO((tmp_path / name).read_bytes()))
    assert book.sheet_names[:2] == ["Per tahun", "Per desa-kelurahan"]


@pytest.mark.parametrize("lokasi", ["{pk}", "TL-41"])
def test_a_profile_is_found_by_location_id_or_code(
    demo: Personas, tmp_path: Path, lokasi: str
) -> None:
    pk = Location.objects.get(code="TL-41").pk
    target = tmp_path / "profil.pdf"
    code, _, _ = call("report", "profil", "--lokasi", lokasi.format(pk=pk), "-o", str(target))
    assert code == 0
    assert "Kawasan Sungai Bakar (TL-41)" in pdf_text(target.read_bytes())


def test_a_report_in_english_on_request(demo: Personas, tmp_path: Path) -> None:
    target = tmp_path / "p.pdf"
    code, _, _ = call(
        "report", "pengurangan", "--region", "63.01.03", "--lang", "en", "-o", str(target)
    )
    assert code == 0
    assert "Slum area per desa/kelurahan" in pdf_text(target.read_bytes())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["uji-petik", "--region", "63.01.03", "--tahun", "2021"], "made for a kabupaten/kota"),
        (["uji-petik", "--region", "63.01", "--tahun", "1999"], "no RT data and no uji petik"),
        (["pengurangan", "--region", "99.99"], "unknown region code '99.99'"),
        (["profil", "--lokasi", "TL-999"], "no slum location with code 'TL-999'"),
        (["profil", "--lokasi", "999999"], "no slum location with id 999999"),
    ],
)
def test_errors_are_one_line_and_write_nothing(
    demo: Personas, tmp_path: Path, argv: list[str], message: str
) -> None:
    target = tmp_path / "x.pdf"
    code, out, err = call("report", *argv, "-o", str(target))
    assert (code, out) == (2, "")
    assert err.startswith("sikumuh: kesalahan: ")
    assert message in err
    assert err.count("\n") == 1
    assert not target.exists()


def test_an_unwritable_output_is_a_clear_error(demo: Personas, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "x.xlsx"
    code, _, err = call("report", "pengurangan", "--region", "63.01.03", "-o", str(target))
    assert code == 2
    assert f"cannot write {target}" in err
