"""The planner page of a kabupaten (issue 10 §3): personas, the unit costs saved per kabupaten,
the plan equal to `sikumuh plan --format json`, the job for a large kabupaten, and the plan's
investment file read back by the investment import."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from sikumuh.audit.models import AuditEntry
from sikumuh.investments.models import UnitCost
from sikumuh.investments.plans import public
from sikumuh.investments.unit_costs import DEFAULT_UNIT_COSTS, costs_of, default_costs
from sikumuh.io.investment_file import import_investment_file
from sikumuh.io.unit_costs import INVESTMENT_COLUMNS, parse_rupiah, read_unit_costs
from sikumuh.jobs.models import Job
from sikumuh.slums.models import RtUnit
from sikumuh.web.views.investments import planner
from tests.cli.test_planning import call, desa  # noqa: F401  (the fixture: 8 RTs)
from tests.conftest import REPO, Personas
from tests.factories import ACTOR

pytestmark = pytest.mark.django_db

KAB = "63.01"
URL = f"/wilayah/{KAB}/investasi/rencana/"
COSTS_URL = f"{URL}biaya-satuan/"


def plan_data(budget: str = "1.000.000.000", **costs: str) -> dict[str, str]:
    data = {"tahun": "2021", "budget": budget, "status": "all"}
    data |= {f"biaya_{code}": f"{cost:,}".replace(",", ".") for code, _, cost in DEFAULT_UNIT_COSTS}
    data |= {f"biaya_{code}": value for code, value in costs.items()}
    return data


def test_the_default_table_is_the_one_in_the_docs() -> None:
    assert read_unit_costs(REPO / "docs" / "biaya-satuan.csv") == default_costs()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.500.000.000", Decimal(1_500_000_000)),
        ("1500000000", Decimal(1_500_000_000)),
        ("800.000", Decimal(800_000)),  # a dot before three digits groups thousands
        ("750.000,50", Decimal("750000.5")),
        ("750000.5", Decimal("750000.5")),
        (" 0 ", Decimal(0)),
        ("-5", None),
        ("banyak", None),
        ("", None),
    ],
)
def test_rupiah_are_read_as_people_type_them(text: str, value: Decimal | None) -> None:
    assert parse_rupiah(text) == value


@pytest.mark.parametrize(
    ("persona", "status", "can_save"),
    [
        ("admin", 200, True),
        ("reviewer", 200, False),
        ("viewer", 200, False),
        # A kabupaten-wide tool: out of the scope of a facilitator of one desa, as the
        # kabupaten's figures are.
        ("facilitator", 404, False),
        ("outsider", 404, False),
    ],
)
def test_who_sees_the_page_and_who_may_save_the_unit_costs(
    personas: Personas, persona: str, status: int, can_save: bool
) -> None:
    response = personas.client(persona).get(URL)
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert 'id="plan-run"' in body
        assert ('id="plan-save-costs"' in body) is can_save
        assert 'value="15.000.000"' in body  # the default table, Indonesian numbers


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/99.99/investasi/rencana/",  # unknown region
        "/wilayah/63.01.03/investasi/rencana/",  # a kecamatan: the tool is a kabupaten's
        "/wilayah/63/investasi/rencana/",  # a province
        f"{URL}?tugas=abc",
        f"{URL}?tugas=999999",
        f"{URL}999999/unduh.csv",
    ],
)
def test_a_bad_region_or_plan_is_404(personas: Personas, url: str) -> None:
    assert personas.client("admin").get(url).status_code == 404


def test_wrong_methods_are_405(personas: Personas) -> None:
    client = personas.client("admin")
    assert client.put(URL).status_code == 405
    assert client.get(COSTS_URL).status_code == 405
    assert client.post(f"{URL}1/unduh.csv").status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 302), ("reviewer", 403), ("viewer", 403), ("facilitator", 404), ("outsider", 404)],
)
def test_saving_the_unit_costs_is_for_the_kabupatens_admins_and_editors(
    personas: Personas, persona: str, status: int
) -> None:
    response = personas.client(persona).post(COSTS_URL, plan_data(budget="", **{"2b": "800.000"}))
    assert response.status_code == status
    saved = costs_of(KAB)
    if status == 302:
        assert not saved.is_default
        assert saved.costs["2b"] == Decimal(800_000)
        assert UnitCost.objects.get(region_id=KAB, criterion="2b").unit == "m"
        entry = AuditEntry.objects.get(action="unit_costs.save")
        assert entry.region_code == KAB
    else:
        assert saved.is_default
        assert not AuditEntry.objects.filter(action="unit_costs.save").exists()


def test_saved_costs_fill_the_table_and_reset_brings_the_default_back(
    personas: Personas,
) -> None:
    client = personas.client("admin")
    data = plan_data(budget="", **{"2b": "800.000,5", "7b": ""})
    assert client.post(COSTS_URL, data).status_code == 302
    body = client.get(URL).content.decode()
    assert 'value="800.000,5"' in body
    assert 'name="biaya_7b"' in body
    assert "7b" not in costs_of(KAB).costs
    assert 'id="plan-reset-costs"' in body
    assert client.post(COSTS_URL, data).status_code == 302  # unchanged: no second entry
    assert AuditEntry.objects.filter(action="unit_costs.save").count() == 1
    assert client.post(COSTS_URL, {"reset": "1"}).status_code == 302
    assert costs_of(KAB).is_default
    assert AuditEntry.objects.filter(action="unit_costs.reset").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (plan_data(budget="banyak"), "Diperlukan bilangan bulat rupiah, 0 atau lebih."),
        (plan_data(budget="1,5"), "Diperlukan bilangan bulat rupiah, 0 atau lebih."),
        (plan_data(**{"2b": "-5"}), "Diperlukan biaya dalam rupiah lebih dari 0."),
        (
            {"tahun": "2021", "budget": "1000", "status": "all"},
            "Isikan biaya satuan untuk setidaknya satu kriteria.",
        ),
    ],
)
def test_bad_inputs_are_refused_in_indonesian(
    personas: Personas, data: dict[str, str], message: str
) -> None:
    response = personas.client("viewer").post(URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Job.objects.exists()


def _cli_report(tmp_path: Path, budget: int, costs: dict[str, str]) -> dict[str, Any]:
    table = tmp_path / "biaya.csv"
    lines = ["kriteria;satuan;biaya_per_satuan"]
    lines += [f"{code};{unit};{costs.get(code, cost)}" for code, unit, cost in DEFAULT_UNIT_COSTS]
    table.write_text("\n".join(lines), encoding="utf-8")
    argv = ["plan", "--region", KAB, "--tahun", "2021", "--budget", str(budget)]
    code, out, _ = call(*argv, "--unit-costs", str(table), "--format", "json")
    assert code == 0
    return dict(json.loads(out, parse_float=Decimal))


def _page_report(job: Job) -> dict[str, Any]:
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert isinstance(job.result, dict)
    return dict(json.loads(json.dumps(job.result["report"]), parse_float=Decimal))


def _same(cli: dict[str, Any], page: dict[str, Any]) -> None:
    """Equal as numbers (the job keeps Decimals as exact strings)."""

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, str | Decimal | float) and not isinstance(value, bool):
            try:
                return Decimal(str(value)).normalize()
            except ArithmeticError:
                return value
        return value

    assert norm(cli) == norm(page)


@pytest.mark.usefixtures("desa")
@pytest.mark.parametrize("budget", [150_000_000, 1_000_000_000])
def test_the_pages_plan_is_the_commands_and_is_drawn_as_a_table(
    personas: Personas,
    tmp_path: Path,
    budget: int,
) -> None:
    client = personas.client("viewer")  # a viewer runs plans (and saves nothing)
    response = client.post(
        URL, plan_data(budget=f"{budget:,}".replace(",", "."), **{"2b": "900000"})
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"{URL}?tugas={job.pk}"
    page_report = _page_report(job)
    cli_report = _cli_report(tmp_path, budget, {"2b": "900000"})
    _same(cli_report, public(page_report))  # the page's rows also carry the RT's id …
    assert page_report["rts"]
    assert all("rt_id" not in row for row in cli_report["rts"])  # … the command's do not
    body = client.get(response["Location"]).content.decode()
    first = page_report["rts"][0]
    rt = RtUnit.objects.get(pk=first["rt_id"])
    where = [first[k] for k in ("kode_desa", "lokasi", "rt")]
    assert [rt.desa_id, rt.location.code, rt.rt] == where
    assert 'id="plan-rts"' in body
    rt_url = reverse("web:rt", kwargs={"pk": rt.pk})
    assert f'<td data-label="RT"><a href="{rt_url}">{first["rt"]}</a></td>' in body
    assert "Sarang Halang" in body  # the desa's name beside its code
    assert 'id="plan-geojson"' in body
    assert 'value="900.000"' in body  # the form keeps the plan's inputs


@pytest.mark.usefixtures("desa")
def test_a_large_kabupaten_is_planned_by_a_job_whose_progress_the_page_polls(
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.jobs.support import work_off

    monkeypatch.setattr(planner, "INLINE_MAX_RTS", 0)
    client = personas.client("reviewer")
    location = client.post(URL, plan_data())["Location"]
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    page = client.get(location).content.decode()
    assert 'id="job-status"' in page
    assert f'hx-get="{URL}?tugas={job.pk}"' in page
    polled = client.get(location, headers={"HX-Request": "true"})
    assert 'id="job-status"' in polled.content.decode()
    work_off()
    assert client.get(location, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert 'id="plan-rts"' in client.get(location).content.decode()
    assert f'href="{location}"' in client.get(f"/tugas/{job.pk}/").content.decode()
    # Another reader of the kabupaten does not see someone else's plan.
    assert personas.client("viewer").get(location).status_code == 404


@pytest.mark.usefixtures("desa")
@pytest.mark.parametrize("fmt", ["csv", "csv_excel", "xlsx"])
def test_the_plans_investment_file_is_taken_by_the_investment_import(
    personas: Personas,
    fmt: str,
) -> None:
    client = personas.client("admin")
    location = client.post(URL, plan_data())["Location"]
    job = Job.objects.get()
    page = client.get(location).content.decode()
    link = f'href="{URL}{job.pk}/unduh.{fmt}" class="plan-export-{fmt}">'
    label = {"csv": "CSV", "csv_excel": "CSV (Excel Indonesia)", "xlsx": "XLSX"}[fmt]
    assert f"{link}{label}</a>" in page  # a format by its name, never its code (CSV_EXCEL)
    assert "(status rencana, pekerjaan tahun 2022)" in page  # the works follow the 2021 data
    response = client.get(f"{URL}{job.pk}/unduh.{fmt}")
    assert response.status_code == 200
    assert f'filename="sikumuh-rencana-{KAB}-2022' in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert list(rows[0]) == list(INVESTMENT_COLUMNS)
        assert {r["status"] for r in rows} == {"rencana"}
    report = import_investment_file(data, file_name=f"rencana.{fmt}", region_code=KAB, actor=ACTOR)
    assert report.errors == []
    assert report.ok
    expected = sum(len(r["actions"]) for r in _page_report(job)["rts"])
    assert report.created == expected > 0
    assert "rencana" in client.get(location).content.decode()


def test_the_investments_list_and_the_dashboard_link_to_the_planner(personas: Personas) -> None:
    for persona in ("admin", "viewer"):
        client = personas.client(persona)
        assert URL in client.get(f"/wilayah/{KAB}/investasi/").content.decode()
        assert URL in client.get(f"/wilayah/{KAB}/").content.decode()
    # Not offered where the tool is not: a kecamatan's pages.
    assert (
        "investasi/rencana"
        not in personas.client("admin").get("/wilayah/63.01.03/investasi/").content.decode()
    )
