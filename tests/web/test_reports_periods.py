"""Issue 12 §6: reports offered only for the periods with data, with a period choice, and
their progress shown in place (htmx polls the job) with the download when done."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sikumuh.jobs.models import Job
from sikumuh.reports.pengurangan_data import pengurangan_data
from sikumuh.reports.uji_petik_data import data_years, sampled_years
from sikumuh.surveys.asof import ALL
from tests.conftest import Personas
from tests.reports.support import KABUPATEN, SARANG_HALANG, demo, demo_module

__all__ = ["demo", "demo_module"]

PAGE = f"/wilayah/{KABUPATEN}/laporan/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_periods_are_those_with_data(demo: Personas) -> None:
    assert data_years(KABUPATEN, ALL) == [2019, 2021]
    assert sampled_years(KABUPATEN) == [2020, 2021]
    assert sampled_years(SARANG_HALANG) == []  # a desa draws no sample


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_the_pengurangan_period_choice_lists_the_years_with_data(
    demo: Personas, persona: str
) -> None:
    html = demo.client(persona).get(PAGE, {"status": "all"}).content.decode()
    form = html.split('id="pengurangan-form"')[1].split("</form>")[0]
    assert re.findall(r'<option value="(\d+)">([^<]+)</option>', form) == [
        ("2021", "2019–2021"),
        ("2019", "2019–2019"),
    ]


def test_a_desa_without_an_uji_petik_is_offered_none(demo: Personas) -> None:
    html = demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/laporan/").content.decode()
    assert "uji-petik-form" not in html


@pytest.mark.parametrize(
    ("sampai", "status", "until"),
    [("2019", 302, 2019), ("2021", 302, None), ("", 302, None), ("2020", 404, None)],
)
def test_the_pengurangan_report_ends_with_the_chosen_year(
    demo: Personas, sampai: str, status: int, until: int | None
) -> None:
    client = demo.client("viewer")
    response = client.post(f"{PAGE}pengurangan.pdf", {"sampai": sampai, "status": "all"})
    assert response.status_code == status
    if status == 302:
        job = Job.objects.latest("pk")
        assert job.params.get("until") == until


def test_the_period_cuts_the_report(demo: Personas) -> None:
    whole = pengurangan_data(KABUPATEN, status=ALL)
    first = pengurangan_data(KABUPATEN, status=ALL, until=2019)
    assert [r.area.tahun for r in whole.rows] == [2019, 2021]
    assert [r.area.tahun for r in first.rows] == [2019]


@pytest.mark.parametrize(
    ("persona", "data", "status"),
    [
        ("admin", {"tahun": "2021", "fmt": "pdf"}, 302),
        ("viewer", {"tahun": "2020", "fmt": "xlsx"}, 302),  # reports only read
        ("admin", {"tahun": "1999", "fmt": "pdf"}, 404),
        ("admin", {"tahun": "2021", "fmt": "docx"}, 404),
        ("admin", {"tahun": "", "fmt": "pdf"}, 404),
        ("outsider", {"tahun": "2021", "fmt": "pdf"}, 404),
        ("facilitator", {"tahun": "2021", "fmt": "pdf"}, 404),
    ],
)
def test_the_uji_petik_year_is_chosen_in_the_form(
    demo: Personas, persona: str, data: dict[str, str], status: int
) -> None:
    response = demo.client(persona).post(f"{PAGE}uji-petik/", data)
    assert response.status_code == status
    if status == 302:
        job = Job.objects.latest("pk")
        assert (job.params["report"], job.params["tahun"]) == ("uji_petik", int(data["tahun"]))


def test_the_uji_petik_chooser_answers_only_post(demo: Personas) -> None:
    assert demo.client("admin").get(f"{PAGE}uji-petik/").status_code == 405


@pytest.mark.parametrize(
    "url", [f"{PAGE}pengurangan.pdf", f"{PAGE}uji-petik/", "/lokasi/{pk}/profil.pdf"]
)
def test_asked_from_the_page_the_progress_is_shown_in_place(demo: Personas, url: str) -> None:
    from sikumuh.slums.models import Location

    pk = Location.objects.filter(desa_id=SARANG_HALANG).first().pk  # type: ignore[union-attr]
    client = demo.client("admin")
    response = client.post(
        url.format(pk=pk), {"tahun": "2021", "fmt": "pdf"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    job = Job.objects.latest("pk")
    # The job's status part, polling the job until it is done (then the download link).
    assert html.startswith('<section id="job-status"')
    assert f'hx-get="/tugas/{job.pk}/"' in html
    assert 'hx-trigger="every 1s"' in html


def test_the_page_posts_its_forms_with_htmx_into_one_progress_box(demo: Personas) -> None:
    html = demo.client("admin").get(PAGE, {"status": "all"}).content.decode()
    assert 'id="report-progress"' in html
    assert html.count('hx-target="#report-progress"') >= 3
