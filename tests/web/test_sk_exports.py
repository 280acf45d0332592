"""Every registry table as CSV and XLSX, through the one renderer (formula injection
neutralised), with the rows the user may see."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from sikumuh.surveys.location_actions import update_location
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.slums.test_sk_data import Versions, two_versions

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://example.com","klik")'


@pytest.fixture
def versions(personas: Personas) -> Versions:
    versions = two_versions()
    update_location(actor=ACTOR, location=versions.a, name=EVIL)
    return versions


def csv_rows(client: Client, url: str) -> list[list[str]]:
    response = client.get(url + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(client: Client, url: str) -> list[list[object]]:
    response = client.get(url + "?format=xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def as_text(value: object) -> str:
    """A cell as the CSV writes it (calamine reads numbers back as floats)."""
    if isinstance(value, float):
        return str(Decimal(str(value)).normalize()) if value != int(value) else str(int(value))
    return str(value)


def same_table(csv_table: list[list[str]], xlsx_table: list[list[object]]) -> None:
    assert len(csv_table) == len(xlsx_table)
    for csv_row, xlsx_row in zip(csv_table, xlsx_table, strict=True):
        for csv_cell, xlsx_cell in zip(csv_row, xlsx_row, strict=True):
            if csv_cell and csv_cell.replace(".", "", 1).lstrip("-").isdigit():
                assert Decimal(csv_cell) == Decimal(as_text(xlsx_cell))
            else:
                assert csv_cell == as_text(xlsx_cell)


@pytest.mark.parametrize("path", ["/wilayah/63.01/sk/", "/sk/{v1}/", "/sk/{v1}/banding/{v2}/"])
def test_csv_and_xlsx_hold_the_same_rows(personas: Personas, versions: Versions, path: str) -> None:
    url = path.format(v1=versions.v1.pk, v2=versions.v2.pk)
    client = personas.client("viewer")
    table = csv_rows(client, url)
    assert len(table) > 1
    same_table(table, xlsx_rows(client, url))


def test_a_location_named_like_a_formula_is_exported_as_text(
    personas: Personas, versions: Versions
) -> None:
    client = personas.client("admin")
    table = csv_rows(client, f"/sk/{versions.v1.pk}/")
    names = [row[1] for row in table[1:]]
    assert "'" + EVIL in names
    assert EVIL not in names
    assert "'" + EVIL in [row[1] for row in xlsx_rows(client, f"/sk/{versions.v1.pk}/")]


def test_the_entries_export_has_the_page_columns_in_indonesian(
    personas: Personas, versions: Versions
) -> None:
    table = csv_rows(personas.client("admin"), f"/sk/{versions.v1.pk}/")
    assert table[0][:6] == [
        "Kode lokasi",
        "Lokasi",
        "Kode desa/kelurahan",
        "Desa/kelurahan",
        "Kecamatan",
        "Luas SK (ha)",
    ]
    by_code = {row[0]: row for row in table[1:]}
    assert by_code["SK-C"][5:7] == ["12.5", "Pemerintah Provinsi"]  # no database places (issue 12)


def test_the_diff_export_tags_each_change(personas: Personas, versions: Versions) -> None:
    table = csv_rows(personas.client("admin"), f"/sk/{versions.v1.pk}/banding/{versions.v2.pk}/")
    assert [(row[0], row[1]) for row in table[1:]] == [
        ("ditambahkan", "SK-D"),
        ("dihapus", "SK-C"),
        ("luas berubah", "SK-B"),
    ]
    assert table[3][-3:] == ["3", "2.5", "-0.5"]


def test_a_facilitator_exports_only_their_desa(personas: Personas, versions: Versions) -> None:
    table = csv_rows(personas.client("facilitator"), f"/sk/{versions.v2.pk}/")
    assert sorted(row[0] for row in table[1:]) == ["SK-A", "SK-D"]


def test_the_removal_export_matches_between_csv_and_xlsx(personas: Personas) -> None:
    from sikumuh.demo.build import build_demo

    build_demo(actor=ACTOR)
    client = personas.client("admin")
    url = "/wilayah/63.01/sk/hapus-status/"
    table = csv_rows(client, url)
    assert {"Sungai Bakar", "Pemalongan", "Gunung Mas"} <= {row[3] for row in table[1:]}
    same_table(table, xlsx_rows(client, url))


@pytest.mark.parametrize("persona", ["outsider"])
def test_an_export_outside_the_scope_answers_404(
    personas: Personas, versions: Versions, persona: str
) -> None:
    assert personas.client(persona).get(f"/sk/{versions.v1.pk}/?format=csv").status_code == 404


def test_an_unknown_format_is_a_bad_request(personas: Personas, versions: Versions) -> None:
    assert personas.client("admin").get("/wilayah/63.01/sk/?format=pdf").status_code == 400
