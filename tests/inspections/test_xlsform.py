"""The checklist XLSForm: pyxform converts it (the converter ODK Central and KoboToolbox run),
with the sample as a choice list and both languages."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from pyxform.xls2xform import convert

from sikumuh.inspections.form import QUESTIONS
from sikumuh.inspections.models import UjiPetik
from sikumuh.inspections.population import region_names
from sikumuh.inspections.selectors import sample_items
from sikumuh.investments.models import Investment
from sikumuh.io.ujipetik.xlsform import form_id, form_version, write_xlsform
from tests.inspections.helpers import build_works, draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def uji_petik(load_regions_under: Callable[..., int]) -> UjiPetik:
    load_regions_under("63.01")
    build_works()
    return draw(n=6, seed=42)


def xlsform_bytes(up: UjiPetik) -> bytes:
    items = sample_items(up)
    names = region_names({i.desa_code for i in items} | {i.kecamatan_code for i in items})
    buffer = io.BytesIO()
    write_xlsform(buffer, up, items, names)
    return buffer.getvalue()


def test_pyxform_converts_the_form_without_warnings(uji_petik: UjiPetik) -> None:
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(xlsform_bytes(uji_petik)), warnings=warnings)
    assert warnings == []
    xform = result.xform
    assert f'id="{form_id(uji_petik)}"' in xform
    assert "<instanceID/>" in xform
    assert 'lang="Bahasa Indonesia (id)"' in xform
    assert 'lang="English (en)"' in xform
    for q in QUESTIONS:
        assert f"/{q.name}" in xform
    for position in range(1, 7):
        assert f"UP{uji_petik.pk}-{position}" in xform


def test_the_choice_list_names_each_item_by_its_key_and_labels_it_in_words(
    uji_petik: UjiPetik,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsform_bytes(uji_petik)), read_only=True)
    rows = list(book["choices"].iter_rows(values_only=True))
    book.close()
    sample = [r for r in rows if r[0] == "sampel"]
    assert [r[1] for r in sample] == [f"UP{uji_petik.pk}-{p}" for p in range(1, 7)]
    # "UP1-1 · Kegiatan 2a 2-2 (102 m) · Karang Taruna RT 001 · 2021": activity, volume, desa, RT
    assert all(" m) · " in r[2] and " RT 001 · 2021" in r[2] for r in sample)
    assert any("Sungai Bakar" in r[2] for r in sample)


def test_settings_carry_the_form_id_and_a_version_that_changes_with_the_sample(
    uji_petik: UjiPetik,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsform_bytes(uji_petik)), read_only=True)
    header, values = list(book["settings"].iter_rows(values_only=True))
    book.close()
    settings = dict(zip(header, values, strict=True))
    assert settings["form_id"] == f"sikumuh_uji_petik_{uji_petik.pk}"
    assert settings["version"] == form_version(uji_petik, 6)
    assert form_version(uji_petik, 7) != form_version(uji_petik, 6)
    assert settings["default_language"] == "Bahasa Indonesia (id)"


def test_an_activity_name_that_looks_like_a_formula_is_written_as_text(
    uji_petik: UjiPetik,
) -> None:
    item = uji_petik.items.first()
    assert item is not None
    assert item.investment_id is not None
    Investment.objects.filter(pk=item.investment_id).update(activity='=HYPERLINK("x")')
    book = openpyxl.load_workbook(io.BytesIO(xlsform_bytes(uji_petik)), read_only=True)
    labels = [r[2] for r in book["choices"].iter_rows(values_only=True) if r[0] == "sampel"]
    book.close()
    assert not any(str(label).startswith("=") for label in labels)


def test_a_form_needs_at_least_one_item(uji_petik: UjiPetik) -> None:
    with pytest.raises(ValueError, match="no sampled item"):
        write_xlsform(io.BytesIO(), uji_petik, [], {})
