"""The API's figures are the CLI's: the same selector, the same JSON."""

from __future__ import annotations

import io
import json

import pytest

from sikumuh.cli import main
from sikumuh.io.exporters import rt_data
from tests.api.conftest import KABUPATEN, ApiWorld

pytestmark = pytest.mark.django_db


def _cli_json(*argv: str) -> object:
    out, err = io.StringIO(), io.StringIO()
    assert main(list(argv), out=out, err=err) == 0, err.getvalue()
    return json.loads(out.getvalue())


@pytest.mark.parametrize("code", [KABUPATEN, "63.01.03", "63.01.03.1001"])
@pytest.mark.parametrize(("query", "status"), [("", "approved"), ("?status=all", "all")])
def test_the_api_slum_figures_equal_the_cli_json(
    api_world: ApiWorld, code: str, query: str, status: str
) -> None:
    """The API's default is the official figures (approved data, criteria.md §9)."""
    cli = _cli_json("slum-area", "--region", code, "--status", status, "--format", "json")
    api = api_world.client("admin").get(f"/api/v1/regions/{code}/slum-area{query}").json()
    assert api == cli
    assert code != KABUPATEN or cli["years"]  # the demo has figures: the test compares some


def test_the_slum_area_status_filter_is_validated(api_world: ApiWorld) -> None:
    client = api_world.client("admin")
    assert client.get(f"/api/v1/regions/{KABUPATEN}/slum-area?status=all").status_code == 200
    assert client.get(f"/api/v1/regions/{KABUPATEN}/slum-area?status=draft").status_code == 422


def test_rt_data_has_the_exports_columns_and_rows(api_world: ApiWorld) -> None:
    header, rows = rt_data(KABUPATEN, tahun=2021)
    first = next(rows)
    page = (
        api_world.client("admin")
        .get(f"/api/v1/regions/{KABUPATEN}/rt-data?tahun=2021&limit=2")
        .json()
    )
    assert page["columns"] == header
    assert len(page["rows"]) == 2
    assert page["more"] is True
    expected = dict(zip(header, first, strict=True))
    assert page["rows"][0] == json.loads(json.dumps(expected, default=float))


def test_volumes_for_criteria_outside_the_rule_set_are_422(api_world: ApiWorld) -> None:
    body = {"rt": api_world.rt_elsewhere, "tahun": 2023, "header": {}, "volumes": {"9z": "1"}}
    response = api_world.client("admin").post(
        "/api/v1/observations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["body", "volumes", "9z"]}]
