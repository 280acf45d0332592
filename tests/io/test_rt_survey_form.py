"""The RT survey XLSForm: pyxform converts it, its checks are the product's, its choices are the
region's stored RTs (cascading desa → lokasi → RT)."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from pyxform.xls2xform import convert

from sikumuh.core.criteria import get_rule_set
from sikumuh.io.rt_survey_form import (
    RULE_SET_ID,
    form_id,
    region_rt_choices,
    write_rt_survey,
)
from tests.factories import location, rt

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(load_regions_under: Callable[..., int]) -> str:
    load_regions_under("63.01", "33.75")
    first = location("L-01", "63.01.03.1001")
    rt(first, "001")
    rt(first, "002")
    rt(location("L-02", "63.01.03.1002"), "001")
    rt(location("K-09", "33.75.01.1002"), "007")  # another kabupaten
    return "63.01"


def form_bytes(code: str, tahun: int = 2026) -> bytes:
    buffer = io.BytesIO()
    write_rt_survey(
        buffer, region_code=code, region_name="Tanah Laut", tahun=tahun, rts=region_rt_choices(code)
    )
    return buffer.getvalue()


def choices(data: bytes) -> list[tuple[str, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["choices"]
    return [
        tuple(str(c or "") for c in row) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_pyxform_converts_the_form_without_warnings(region: str) -> None:
    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(form_bytes(region)), warnings=warnings).xform
    assert warnings == []
    assert f'id="{form_id(region, 2026)}"' in xform
    assert "<instanceID/>" in xform
    assert 'type="geopoint"' in xform
    for criterion in get_rule_set(RULE_SET_ID).criteria:
        assert f"/v_{criterion.code}" in xform
        assert f"/foto_{criterion.code}" in xform
    assert 'calculate="2026"' in xform


def test_the_16_volumes_are_required_non_negative_and_zero_over_a_zero_denominator(
    region: str,
) -> None:
    xform = convert(xlsform=io.BytesIO(form_bytes(region)), warnings=[]).xform
    bind = next(b for b in xform.split("<bind ") if 'nodeset="/data/aspek_2/v_2b"' in b)
    assert 'required="true()"' in bind
    assert (
        'constraint=". &gt;= 0 and (. = 0 or  /data/pembagi/panjang_jalan_ideal_m  &gt; 0)"' in bind
    )
    assert "Volume tidak boleh negatif, dan harus 0 bila panjang jalan lingkungan ideal" in xform


def test_a_volume_above_its_denominator_is_a_note_not_a_constraint(region: str) -> None:
    xform = convert(xlsform=io.BytesIO(form_bytes(region)), warnings=[]).xform
    bind = next(b for b in xform.split("<bind ") if 'nodeset="/data/aspek_1/cek_1a"' in b)
    assert "/data/aspek_1/v_1a  &gt;  /data/pembagi/jumlah_bangunan" in bind
    assert "Perhatian: volume 1a melebihi jumlah bangunan" in xform


def test_photos_are_optional(region: str) -> None:
    xform = convert(xlsform=io.BytesIO(form_bytes(region)), warnings=[]).xform
    bind = next(b for b in xform.split("<bind ") if 'nodeset="/data/aspek_4/foto_4a"' in b)
    assert "required" not in bind


def test_the_choices_are_the_regions_rts_cascading_from_desa_to_lokasi_to_rt(region: str) -> None:
    rows = {row[:2] + row[4:6] for row in choices(form_bytes(region))}
    assert rows == {
        ("desa", "63.01.03.1001", "", ""),
        ("desa", "63.01.03.1002", "", ""),
        ("lokasi", "L-01", "63.01.03.1001", ""),
        ("lokasi", "L-02", "63.01.03.1002", ""),
        ("rt", "001", "63.01.03.1001", "L-01"),
        ("rt", "002", "63.01.03.1001", "L-01"),
        ("rt", "001", "63.01.03.1002", "L-02"),
    }
    xform = convert(xlsform=io.BytesIO(form_bytes(region)), warnings=[]).xform
    assert "instance('rt')/root/item[kode_desa= /data/identitas/kode_desa  and lokasi= " in xform


@pytest.mark.parametrize(
    ("code", "expected_rts"),
    [("63.01.03.1001", {"001", "002"}), ("63.01.03", {"001", "002"}), ("33.75", {"007"})],
)
def test_choices_are_filtered_by_region(region: str, code: str, expected_rts: set[str]) -> None:
    assert {row[1] for row in choices(form_bytes(code)) if row[0] == "rt"} == expected_rts
    assert all(row[1].startswith(code) for row in choices(form_bytes(code)) if row[0] == "desa")


def test_a_region_without_rts_has_no_form(region: str) -> None:
    with pytest.raises(ValueError, match="no stored RT"):
        form_bytes("63.01.01")


def test_the_version_changes_when_an_rt_is_added(region: str) -> None:
    def version() -> str:
        sheet = openpyxl.load_workbook(io.BytesIO(form_bytes(region)))["settings"]
        return str(sheet.cell(2, 3).value)

    before = version()
    rt(location("L-03", "63.01.03.1001"), "005")
    assert version() != before
