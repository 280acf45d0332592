"""The SK registry's tables as CSV for Excel in Indonesia too (issue 12)."""

from __future__ import annotations

import pytest

from tests.conftest import Personas
from tests.slums.test_sk_data import Versions, two_versions
from tests.web.test_excel_exports import NOISE, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(personas: Personas) -> Versions:
    return two_versions()


@pytest.mark.parametrize("path", ["/wilayah/63.01/sk/", "/sk/{v1}/", "/sk/{v1}/banding/{v2}/"])
def test_the_sk_tables_offer_the_excel_csv(
    personas: Personas, versions: Versions, path: str
) -> None:
    url = path.format(v1=versions.v1.pk, v2=versions.v2.pk)
    client = personas.client("viewer")
    plain = client.get(url + "?format=csv").content
    response = client.get(url + "?format=csv_excel")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    assert len(tables(response.content, ";")) == len(tables(plain, ","))
    for line in plain.decode("utf-8-sig").splitlines()[1:]:
        assert not NOISE.search(line), line
    assert "format=csv_excel" in client.get(url).content.decode()
