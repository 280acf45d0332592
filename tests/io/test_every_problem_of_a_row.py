"""One upload shows every problem of a row (issue 12): the reader's (a cell that is no number),
the engine's (a negative volume) and the importer's (an unknown desa) together, each once."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.io.importer import import_rows
from sikumuh.io.template import read_template_all, write_blank_template
from sikumuh.surveys.models import Observation, Source
from tests.io.test_importer import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def tanah_laut(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")


def template(*rows: dict[str, Any]) -> io.BytesIO:
    text = io.StringIO()
    full = [{"lokasi": "L-01", "tahun": 2021, **HEADER, **r} for r in rows]
    write_blank_template(text, "csv", full)
    return io.BytesIO(text.getvalue().encode())


def volumes(share: str = "0.5") -> dict[str, Decimal]:
    from sikumuh.core.criteria import get_rule_set

    rules = get_rule_set("permen-pupr-14-2018")
    return {f"v_{c.code}": HEADER[c.denominator] * Decimal(share) for c in rules.criteria}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"kode_desa": "63.01.99.9999", "rt": "001", "jumlah_kk": "enam", "v_1a": Decimal(-10)},
            {("jumlah_kk", "bukan angka"), ("kode_desa", "kode desa/kelurahan tidak dikenal"),
             ("v_1a", "kriteria 1a: volume -10 negatif")},
        ),
        (
            # The wrong denominator is not reported again as "empty" by the engine.
            {"kode_desa": "63.01.03.1001", "rt": "002", "panjang_jalan_ideal_m": "x",
             "v_2b": Decimal(-1), "jumlah_bangunan": Decimal("1.5")},
            {("panjang_jalan_ideal_m", "bukan angka"),
             ("jumlah_bangunan", "jumlah harus bilangan bulat, 0 atau lebih"),
             ("v_2b", "kriteria 2b: volume -1 negatif")},
        ),
    ],
)  # fmt: skip
def test_every_problem_of_a_row_is_reported_at_once(
    tanah_laut: None, row: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    good = {"kode_desa": "63.01.03.1001", "rt": "009", **volumes()}
    rows, unusable, problems = read_template_all(
        template(good, {**volumes(), **row}), name="rt.csv"
    )
    report = import_rows(
        rows,
        actor=Actor.system(),
        kind="template",
        source=Source.TEMPLATE,
        file_name="rt.csv",
        parse_problems=problems,
        unusable=unusable,
        dry_run=True,
        present=__import__("sikumuh.io.reasons", fromlist=["translated"]).translated,
    )
    found = {(p.column, p.reason) for p in report.errors if p.row == "3"}
    assert {(c, r.split(";")[0]) for c, r in found} == {(c, r.split(";")[0]) for c, r in expected}
    assert {p.row for p in report.errors} == {"3"}  # the good row has none
    assert report.rejected_rows == ["3"]
    assert not Observation.objects.exists()
