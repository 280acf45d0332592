"""The CSV for Excel in Indonesia beside the plain CSV on every download (issue 12): `;`,
decimal comma, UTF-8 BOM, the same rows; no database places in either."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.conftest import Personas
from tests.web.test_rtdata_support import body, demo, demo_module

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

#: A number with more than six places, or trailing zeros after its point ("7.3000").
NOISE = re.compile(r"(?:^|,)-?\d+\.\d*?(?:\d{7,}|0)(?=,|$)")


def tables(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize(
    "path",
    [
        "/wilayah/63.01/ekspor/observations.{fmt}",
        "/wilayah/63.01/ekspor/locations.{fmt}",
        "/wilayah/63.01/ekspor/investments.{fmt}",
        "/wilayah/63.01/data-rt/?tahun=2021&format={fmt}",
        "/wilayah/63.01/investasi/?format={fmt}",
    ],
)
def test_each_export_offers_the_excel_csv_with_the_same_rows(demo: Personas, path: str) -> None:
    client = demo.client("viewer")
    plain = body(client.get(path.format(fmt="csv")))
    response = client.get(path.format(fmt="csv_excel"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-excel.csv"')
    excel = body(response)
    assert excel.startswith("\ufeff".encode())
    assert not plain.startswith("\ufeff".encode())
    rows, excel_rows = tables(plain, ","), tables(excel, ";")
    assert len(rows) == len(excel_rows) > 1
    for row, excel_row in zip(rows, excel_rows, strict=True):
        # A number's point becomes a comma; a code such as 63.01 is text and stays as it is.
        assert len(row) == len(excel_row)
        assert all(e in (c, c.replace(".", ",")) for c, e in zip(row, excel_row, strict=True))
    for line in plain.decode().splitlines()[1:]:
        assert not NOISE.search(line), line


def test_the_pages_link_the_excel_csv(demo: Personas) -> None:
    client = demo.client("viewer")
    for page in ("/wilayah/63.01/data-rt/", "/wilayah/63.01/investasi/"):
        html = client.get(page).content.decode()
        assert "format=csv_excel" in html
        assert "CSV (Excel Indonesia)" in html


def test_an_outsider_gets_no_excel_csv(demo: Personas) -> None:
    url = "/wilayah/63.01/ekspor/observations.csv_excel"
    assert demo.client("outsider").get(url).status_code == 404


def test_the_observations_excel_csv_writes_decimal_commas(demo: Personas) -> None:
    excel = body(demo.client("viewer").get("/wilayah/63.01/ekspor/observations.csv_excel"))
    header, *rows = tables(excel, ";")
    luas = header.index("luas_ha")
    assert any("," in row[luas] for row in rows)
    assert not any("." in row[luas] for row in rows)
