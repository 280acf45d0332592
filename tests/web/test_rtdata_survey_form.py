"""The RT survey's XLSForm on the RT data page: every persona who may see the region gets the
form of its RTs; the outsider gets 404."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from pyxform.xls2xform import convert

from tests.conftest import Personas
from tests.factories import location, rt

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> Personas:
    loc = location("L-01", "63.01.03.1001")
    rt(loc, "001")
    rt(location("L-02", "63.01.03.1002"), "004")
    return personas


def url(code: str, query: str = "") -> str:
    return reverse("web:survey_xlsform", kwargs={"code": code}) + query


def rts_in(content: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["choices"]
    return {str(r[1]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "rt"}


@pytest.mark.parametrize(
    ("persona", "code", "status", "rts"),
    [
        ("admin", "63.01", 200, {"001", "004"}),
        ("reviewer", "63.01", 200, {"001", "004"}),
        ("viewer", "63.01", 200, {"001", "004"}),
        ("facilitator", "63.01.03.1001", 200, {"001"}),
        ("outsider", "63.01", 404, None),
    ],
)
def test_each_persona_gets_the_form_of_the_rts_it_may_see(
    world: Personas, persona: str, code: str, status: int, rts: set[str] | None
) -> None:
    response = world.client(persona).get(url(code, "?tahun=2026"))
    assert response.status_code == status
    if rts is not None:
        assert 'filename="sikumuh_rt_' in response["Content-Disposition"]
        assert rts_in(response.content) == rts
        assert convert(xlsform=io.BytesIO(response.content), warnings=[]).xform


def test_the_facilitator_cannot_fetch_another_desa(world: Personas) -> None:
    assert world.client("facilitator").get(url("63.01.03.1002")).status_code == 404


def test_anonymous_is_sent_to_the_login(world: Personas) -> None:
    from django.test import Client

    assert Client().get(url("63.01")).status_code == 302


def test_a_region_without_rts_goes_back_to_the_table_with_a_message(world: Personas) -> None:
    response = world.client("admin").get(url("63.01.01"), follow=True)
    assert response.redirect_chain[-1][0].endswith("/data-rt/")
    assert "Belum ada RT" in response.content.decode()


def test_a_year_outside_the_range_is_404(world: Personas) -> None:
    assert world.client("admin").get(url("63.01", "?tahun=1999")).status_code == 404


def test_the_rt_table_links_to_the_form(world: Personas) -> None:
    page = world.client("admin").get(reverse("web:rt_data", kwargs={"code": "63.01"}))
    assert url("63.01") in page.content.decode()
    assert "Formulir ponsel (XLSForm ODK/Kobo)" in page.content.decode()
