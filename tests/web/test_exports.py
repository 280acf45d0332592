"""Exports of every standard table as CSV (streamed) and XLSX, scoped to the user's regions."""

from __future__ import annotations

import pytest
from django.test import Client

from sikumuh.audit.actions import Actor
from sikumuh.slums.models import Location
from sikumuh.surveys.location_actions import update_location
from tests.conftest import Personas
from tests.web.test_rtdata_support import (
    SARANG_HALANG,
    body,
    csv_rows,
    demo,
    demo_module,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

TABLES = ("observations", "locations", "investments", "imports")


def url(table: str, fmt: str, code: str = "63.01") -> str:
    return f"/wilayah/{code}/ekspor/{table}.{fmt}"


@pytest.mark.parametrize("table", TABLES)
def test_every_table_downloads_as_streamed_csv_and_as_xlsx(demo: Personas, table: str) -> None:
    client = demo.client("viewer")
    response = client.get(url(table, "csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert len(rows) > 1

    response = client.get(url(table, "xlsx"))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    cells = xlsx_rows(body(response))
    assert cells[0] == rows[0]
    assert len(cells) == len(rows)


def test_a_facilitator_exports_only_their_desa_and_nothing_of_the_kabupaten(
    demo: Personas,
) -> None:
    client = demo.client("facilitator")
    rows = csv_rows(client.get(url("observations", "csv", SARANG_HALANG)))
    assert {r[0] for r in rows[1:]} == {SARANG_HALANG}
    assert client.get(url("observations", "csv")).status_code == 404


@pytest.mark.parametrize("persona", ["outsider"])
@pytest.mark.parametrize("table", TABLES)
def test_an_outsider_gets_404_for_every_table(demo: Personas, persona: str, table: str) -> None:
    assert demo.client(persona).get(url(table, "csv")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/wilayah/63.01/ekspor/secrets.csv",
        "/wilayah/63.01/ekspor/observations.pdf",
        "/wilayah/99.99/ekspor/observations.csv",
    ],
)
def test_an_unknown_table_format_or_region_is_404(demo: Personas, path: str) -> None:
    assert demo.client("admin").get(path).status_code == 404


def test_an_export_answers_only_get(demo: Personas) -> None:
    assert demo.client("admin").post(url("observations", "csv")).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(demo: Personas) -> None:
    response = Client().get(url("observations", "csv"))
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_the_observations_export_takes_the_rt_table_filters(demo: Personas) -> None:
    rows = csv_rows(
        demo.client("admin").get(url("observations", "csv"), {"tahun": 2021, "kelas": "bogus"})
    )
    tahun = rows[0].index("tahun")
    assert {r[tahun] for r in rows[1:]} == {"2021"}
    assert len(rows) - 1 == 178


def test_the_rt_table_page_downloads_its_filtered_rows(demo: Personas) -> None:
    client = demo.client("admin")
    response = client.get(
        "/wilayah/63.01/data-rt/", {"tahun": 2019, "desa": SARANG_HALANG, "format": "csv"}
    )
    rows = csv_rows(response)
    assert len(rows) - 1 == 6
    assert "2019" in response["Content-Disposition"]
    cells = xlsx_rows(
        body(client.get("/wilayah/63.01/data-rt/", {"tahun": 2019, "format": "xlsx"}))
    )
    assert len(cells) - 1 == 178


def test_exports_neutralise_a_formula_typed_as_a_location_name(demo: Personas) -> None:
    location = Location.objects.get(code="TL-11")
    update_location(actor=Actor.system("test"), location=location, name="=cmd|' /C calc'!A0")
    client = demo.client("admin")
    for table in ("observations", "locations", "investments"):
        rows = csv_rows(client.get(url(table, "csv", SARANG_HALANG)))
        names = {r[rows[0].index("nama_lokasi")] for r in rows[1:]}
        assert names == {"'=cmd|' /C calc'!A0"}, table
        cells = xlsx_rows(body(client.get(url(table, "xlsx", SARANG_HALANG))))
        assert {r[cells[0].index("nama_lokasi")] for r in cells[1:]} == names
