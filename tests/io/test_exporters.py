"""Exporters yield the standard tables of a region as (header, rows) for the one renderer."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import SlumClass
from sikumuh.demo.tanah_laut import generate
from sikumuh.investments.models import Investment
from sikumuh.io import exporters
from sikumuh.io.models import ImportRun
from sikumuh.io.tables import write_table
from sikumuh.slums.models import Location
from sikumuh.surveys.location_actions import update_location
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.selectors import location_score
from tests.web.test_rtdata_support import demo_module

pytestmark = pytest.mark.django_db
__all__ = ["demo_module"]  # fixtures, imported for pytest

SARANG_HALANG = "63.01.03.1001"


@pytest.fixture
def demo(demo_module: Any, db: None) -> None:
    """The Tanah Laut demo, built once for this module (see ``demo_module``)."""


def table(name: str, code: str, **filters: Any) -> list[dict[str, Any]]:
    header, rows = exporters.TABLES[name](code, **filters)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.500000"), "1.5"),
        (Decimal("100.000000"), "100"),
        ("0.120000", "0.12"),
        (Decimal(0), "0"),
        (None, None),
        ("", None),
    ],
)
def test_numbers_are_written_without_trailing_zeros_and_never_in_exponent_form(
    value: Any, expected: str | None
) -> None:
    result = exporters.plain(value)
    assert (None if result is None else str(result)) == expected


def test_observations_have_one_row_per_rt_and_year_with_the_stored_scores(demo: None) -> None:
    rows = table("observations", "63.01")
    assert len(rows) == Observation.objects.count() == 356
    first = rows[0]
    score = Score.objects.get(
        observation__rt__desa_id=first["kode_desa"],
        observation__rt__rt=first["rt"],
        observation__rt__location__code=first["lokasi"],
        tahun=first["tahun"],
    )
    assert first["total_nilai"] == score.total
    assert first["tingkat_kekumuhan"] == SlumClass(score.klass).label_id
    assert first["nilai_2b"] == score.scores["2b"]
    assert str(first["persen_2b"]) == str(exporters.plain(score.percents["2b"]))
    # No legacy percentages in the demo: no p_ columns.
    assert not [name for name in first if name.startswith("p_")]


def test_observation_identity_header_and_volume_columns_are_the_templates(demo: None) -> None:
    header, _ = exporters.observations("63.01")
    assert header[:6] == ["kode_desa", "nama_desa", "lokasi", "nama_lokasi", "rt", "tahun"]
    assert "luas_ha" in header
    assert "v_1a" in header
    assert "v_4d" not in header  # only the criteria of the rule sets present (2018)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tahun": 2021}, 178),
        ({"tahun": 2019, "desa": SARANG_HALANG}, 6),
        ({"klass": "none"}, 0),
    ],
)
def test_observations_are_narrowed_by_year_desa_and_class(
    demo: None, filters: dict[str, Any], expected: int
) -> None:
    assert len(table("observations", "63.01", **filters)) == expected


def test_observations_of_a_class_are_exactly_the_rts_scored_so(demo: None) -> None:
    rows = table("observations", "63.01", tahun=2021, klass="tidak_kumuh")
    assert rows
    assert {r["tingkat_kekumuhan"] for r in rows} == {"Tidak Kumuh"}
    assert len(rows) == Score.objects.filter(tahun=2021, klass="tidak_kumuh").count()


def test_an_export_of_a_desa_holds_only_that_desa(demo: None) -> None:
    rows = table("observations", SARANG_HALANG)
    assert rows
    assert {r["kode_desa"] for r in rows} == {SARANG_HALANG}
    assert {r["kode_desa"] for r in table("locations", SARANG_HALANG)} == {SARANG_HALANG}


def test_locations_carry_sk_hectares_and_the_latest_year_scored_from_summed_volumes(
    demo: None,
) -> None:
    data = generate()
    rows = {r["lokasi"]: r for r in table("locations", "63.01")}
    assert len(rows) == 48
    for demo_location in data.locations[:5]:
        row = rows[demo_location.code]
        location = Location.objects.get(code=demo_location.code)
        expected = location_score(location.pk, 2021)
        assert expected is not None
        assert Decimal(str(row["luas_sk_ha"])) == demo_location.sk_ha
        assert row["tahun_data"] == 2021
        assert row["jumlah_rt"] == len(demo_location.rts)
        assert row["total_nilai"] == expected.total
        assert expected.klass is not None
        assert row["tingkat_kekumuhan"] == expected.klass.label_id
        assert row["nomor_sk"] == data.sk_number


def test_investments_are_listed_for_the_region(demo: None) -> None:
    rows = table("investments", "63.01")
    assert len(rows) == Investment.objects.count() > 0
    assert {"kriteria", "volume", "biaya_rp"} <= set(rows[0])
    desa_rows = table("investments", SARANG_HALANG)
    assert desa_rows
    assert {r["kode_desa"] for r in desa_rows} == {SARANG_HALANG}


def test_import_runs_are_limited_to_the_region(demo: None) -> None:
    ImportRun.objects.create(
        kind="template", file_name="pekalongan.csv", region_code="33.75", status="committed",
        actor_label="x",
    )  # fmt: skip
    rows = table("imports", "63.01")
    assert [r["wilayah"] for r in rows] == ["63.01"]
    assert [r["file"] for r in table("imports", "ID")] == ["pekalongan.csv", "demo:tanah-laut"]


def test_a_formula_in_a_name_is_neutralised_in_csv_and_in_xlsx(demo: None) -> None:
    from python_calamine import CalamineWorkbook

    location = Location.objects.get(code="TL-11")
    update_location(actor=Actor.system("test"), location=location, name="=cmd|' /C calc'!A0")
    header, rows = exporters.observations(SARANG_HALANG)
    materialised = list(rows)
    text = io.StringIO()
    write_table(header, materialised, text, "csv")
    assert "'=cmd|' /C calc'!A0" in text.getvalue()
    assert "\n=cmd" not in text.getvalue()
    assert ",=cmd" not in text.getvalue()
    binary = io.BytesIO()
    write_table(header, materialised, binary, "xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(binary.getvalue()))
    cells = book.get_sheet_by_index(0).to_python()
    names = {row[header.index("nama_lokasi")] for row in cells[1:]}
    assert names == {"'=cmd|' /C calc'!A0"}
    assert cells[1][header.index("total_nilai")] == float(
        materialised[0][header.index("total_nilai")]
    )
