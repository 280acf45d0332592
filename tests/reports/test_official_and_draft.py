"""Reports are official outputs: they count the data approved by the Pokja unless asked to
include unapproved data, and then every PDF page and every XLSX sheet says DRAF (criteria.md §9).
The scenario is the issue's: the facilitator of Sarang Halang saves one RT for 2022 (a draft)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.cli import main
from sikumuh.jobs.models import Job
from sikumuh.reports.build import pengurangan_report, profil_report
from sikumuh.reports.pengurangan_data import pengurangan_data
from sikumuh.reports.profil_data import profil_data
from sikumuh.surveys.asof import ALL, APPROVED
from tests.conftest import Personas
from tests.reports.support import KABUPATEN, demo, demo_module, pdf_page_texts, pdf_text
from tests.surveys.test_as_of_scenario import _facilitator_saves_one_rt_for_2022

__all__ = ["demo", "demo_module"]

DRAF = "DRAF — termasuk data yang belum disetujui Pokja"


def test_the_official_reduction_report_does_not_count_a_facilitator_s_draft(
    demo: Personas,
) -> None:
    before = pengurangan_data(KABUPATEN)
    _facilitator_saves_one_rt_for_2022(demo)
    official = pengurangan_data(KABUPATEN)
    assert official.years == before.years == [2019, 2021]
    assert official.latest is not None
    assert before.latest is not None
    assert official.latest.area.slum_ha == before.latest.area.slum_ha
    assert pengurangan_data(KABUPATEN, status=ALL).years == [2019, 2021, 2022]


def test_the_official_profile_does_not_count_the_draft_and_the_working_one_does(
    demo: Personas,
) -> None:
    saved = _facilitator_saves_one_rt_for_2022(demo)
    location = saved.rt.location
    assert location is not None
    official = profil_data(location)
    working = profil_data(location, ALL)
    assert official.latest_year == 2021
    assert working.latest_year == 2022


@pytest.mark.parametrize(("status", "draf"), [(APPROVED, False), (ALL, True)])
def test_every_pdf_page_says_draf_only_when_unapproved_data_are_counted(
    demo: Personas, status: Any, draf: bool
) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    output = pengurangan_report(KABUPATEN, status=status)
    pages = pdf_page_texts(output.content)
    assert len(pages) == output.pages
    assert [DRAF in page for page in pages] == [draf] * len(pages)
    assert ("Data 2022 sementara" in pdf_text(output.content)) is draf


def test_the_profile_pdf_says_draf_on_every_page_too(demo: Personas) -> None:
    saved = _facilitator_saves_one_rt_for_2022(demo)
    assert saved.rt.location_id is not None
    output = profil_report(saved.rt.location_id, status=ALL)
    pages = pdf_page_texts(output.content)
    assert pages
    assert all(DRAF in page for page in pages)


@pytest.mark.parametrize(("status", "first"), [(APPROVED, "Tahun"), (ALL, DRAF)])
def test_each_sheet_of_a_draft_workbook_starts_with_the_draf_line(
    demo: Personas, status: Any, first: str
) -> None:
    output = pengurangan_report(KABUPATEN, fmt="xlsx", status=status)
    book = CalamineWorkbook.from_filelike(io.BytesIO(output.content))
    firsts = {str(book.get_sheet_by_name(n).to_python()[0][0]) for n in book.sheet_names}
    if status == ALL:
        assert firsts == {DRAF}
    else:
        assert DRAF not in firsts


def test_the_command_line_takes_the_status(demo: Personas, tmp_path: Path) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    texts = {}
    for status in ("approved", "all"):
        target = tmp_path / f"{status}.pdf"
        out, err = io.StringIO(), io.StringIO()
        argv = ["report", "pengurangan", "--region", KABUPATEN, "--status", status]
        assert main([*argv, "-o", str(target)], out=out, err=err) == 0, err.getvalue()
        texts[status] = pdf_text(target.read_bytes())
    assert DRAF not in texts["approved"]
    assert DRAF in texts["all"]


@pytest.mark.parametrize(("data", "expected"), [({}, APPROVED), ({"status": "all"}, ALL)])
def test_the_web_choice_reaches_the_job(
    demo: Personas, data: dict[str, str], expected: str
) -> None:
    response = demo.client("viewer").post(f"/wilayah/{KABUPATEN}/laporan/pengurangan.pdf", data)
    assert response.status_code == 302
    job = Job.objects.order_by("-pk").first()
    assert job is not None
    assert job.params["status"] == expected


@pytest.mark.parametrize(("query", "checked"), [("", False), ("?status=all", True)])
def test_the_reports_page_offers_the_draft_choice_official_by_default(
    demo: Personas, query: str, checked: bool
) -> None:
    html = demo.client("viewer").get(f"/wilayah/{KABUPATEN}/laporan/{query}").content.decode()
    assert "Sertakan data yang belum disetujui (DRAF)" in html
    assert ('value="all" checked' in html) is checked
    assert ('<input type="hidden" name="status" value="all">' in html) is checked


@pytest.mark.parametrize(("query", "offered"), [("", False), ("?status=all", True)])
def test_a_year_with_only_draft_data_is_a_period_only_with_the_draft_choice(
    demo: Personas, query: str, offered: bool
) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    html = demo.client("viewer").get(f"/wilayah/{KABUPATEN}/laporan/{query}").content.decode()
    pengurangan = html.split('id="pengurangan-form"')[1].split("</form>")[0]
    assert ('<option value="2022">' in pengurangan) is offered
    # The Laporan Uji Petik is offered for the years an uji petik sampled (issue 12): 2022 has
    # RT data but no sample.
    uji_petik = html.split('id="uji-petik-form"')[1].split("</form>")[0]
    assert '<option value="2021">' in uji_petik
    assert '<option value="2022">' not in uji_petik
