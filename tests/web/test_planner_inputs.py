"""The planner's inputs as a Pokja meets them (issue 10, the tester's tour): a year without RT
data is refused with the years that have some (the page and `sikumuh plan` alike), saving the
unit costs needs no budget and stays on the planner's URL, and the figures read as the rest of
the product writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sikumuh.investments.unit_costs import DEFAULT_UNIT_COSTS, costs_of
from sikumuh.jobs.models import Job
from sikumuh.slums.models import RtUnit
from tests.cli.test_planning import DESA, call, desa  # noqa: F401  (the fixture: 8 RTs, 2021)
from tests.conftest import Personas
from tests.web.test_investments_planner import COSTS_URL, URL, plan_data

pytestmark = pytest.mark.django_db

NO_2030 = "Tidak ada data RT untuk tahun 2030; tahun yang memiliki data RT: 2021."


@pytest.mark.usefixtures("desa")
def test_a_year_without_rt_data_is_refused_naming_the_years_with_data(
    personas: Personas,
) -> None:
    response = personas.client("viewer").post(URL, {**plan_data(), "tahun": "2030"})
    assert response.status_code == 422
    assert NO_2030 in response.content.decode()
    assert not Job.objects.exists()


def test_plan_refuses_a_year_without_rt_data_and_exits_non_zero(
    desa: list[RtUnit],  # noqa: F811
    tmp_path: Path,
) -> None:
    table = tmp_path / "biaya.csv"
    rows = [f"{code};{unit};{cost}" for code, unit, cost in DEFAULT_UNIT_COSTS]
    table.write_text("\n".join(["kriteria;satuan;biaya_per_satuan", *rows]), encoding="utf-8")
    argv = ["--region", DESA, "--budget", "1000", "--unit-costs", str(table)]
    code, out, err = call("plan", *argv, "--tahun", "2030")
    assert code == 2
    assert out == ""
    assert err == f"sikumuh: kesalahan: --tahun 2030: {NO_2030}\n"


@pytest.mark.usefixtures("desa")
def test_the_save_button_needs_no_budget_and_posts_to_the_planners_url(
    personas: Personas,
) -> None:
    client = personas.client("admin")
    body = client.get(URL).content.decode()
    button = body[body.index('id="plan-save-costs"') - 200 : body.index('id="plan-save-costs"')]
    assert "formnovalidate" in button  # the browser does not ask for the budget first
    assert "formaction" not in button
    data = {**plan_data(budget="", **{"2b": "800.000"}), "tahun": "", "save_costs": "1"}
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert costs_of("63.01").costs["2b"] == 800_000
    assert not Job.objects.exists()


@pytest.mark.usefixtures("desa")
def test_a_refused_cost_table_is_shown_on_the_planners_url(personas: Personas) -> None:
    client = personas.client("admin")
    data = {**plan_data(budget="", **{"2b": "-5"}), "save_costs": "1"}
    response = client.post(URL, data)
    assert response.status_code == 422  # drawn again at the planner's own URL
    assert "Diperlukan biaya dalam rupiah lebih dari 0." in response.content.decode()
    assert costs_of("63.01").is_default
    # Posted to the cost URL itself, it goes back to the planner, saying so.
    response = client.post(COSTS_URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Biaya satuan tidak disimpan" in response.content.decode()


@pytest.mark.usefixtures("desa")
def test_the_plan_reads_in_two_decimals_and_says_plainly_when_greedy_is_optimal(
    personas: Personas,
) -> None:
    client = personas.client("viewer")
    response = client.post(URL, plan_data(budget="1.000.000.000"), follow=True)
    body = response.content.decode()
    assert 'id="plan-ha"' in body
    ha = body.split('id="plan-ha"', 1)[1].split("</td>", 1)[0]
    assert ha.endswith(" Ha")
    assert len(ha.split(",")[1]) == len("00 Ha")
    summary = body.split('id="plan-summary"', 1)[1].split("</p>", 1)[0]
    assert "0,00 Ha lebih banyak" not in summary
    assert "0,0000" not in summary
    job = Job.objects.get()
    assert isinstance(job.result, dict)
    report = job.result["report"]
    if report["graduated_ha"] == report["greedy_graduated_ha"]:
        assert "Di sini cara bertahap mencapai optimum." in summary
    assert "docs/planning.md" not in body


@pytest.mark.usefixtures("desa")
def test_the_exported_plan_explains_each_work_in_indonesian(personas: Personas) -> None:
    client = personas.client("viewer")
    client.post(URL, plan_data(budget="1.000.000.000"))
    job = Job.objects.get()
    response = client.get(f"{URL}{job.pk}/unduh.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    notes = [line.rsplit(",", 1)[-1] for line in text.splitlines()[1:]]
    assert notes
    assert all(n.startswith("direncanakan sikumuh: nilai kriteria turun menjadi ") for n in notes)
