"""`sikumuh survey xlsform --region CODE --tahun Y -o FILE.xlsx`."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation
from pyxform.xls2xform import convert

from sikumuh.cli import main
from tests.factories import location, rt

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(load_regions_under: Callable[..., int]) -> str:
    load_regions_under("63.01")
    rt(location("L-01", "63.01.03.1001"), "001")
    return "63.01"


def test_the_command_writes_a_form_pyxform_converts(region: str, tmp_path: Path) -> None:
    target = tmp_path / "rt.xlsx"
    out, err = io.StringIO(), io.StringIO()
    assert main(["survey", "xlsform", "--region", region, "--tahun", "2026", "-o", str(target)],
                out, err) == 0  # fmt: skip
    assert "sikumuh_rt_63_01_2026" in out.getvalue()
    warnings: list[str] = []
    assert convert(xlsform=str(target), warnings=warnings).xform
    assert warnings == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "99.99", "--tahun", "2026"], "kode wilayah 99.99 tidak dikenal"),
        (["--region", "63.01", "--tahun", "1999"], "tahun 1999 di luar 2000–2100"),
        (["--region", "63.01.01", "--tahun", "2026"], "belum memiliki RT tersimpan"),
    ],
)
def test_refusals_are_one_indonesian_line(
    region: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("id"):
        code = main(["survey", "xlsform", *args, "-o", str(tmp_path / "x.xlsx")], out, err)
    assert code != 0
    assert message in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1
