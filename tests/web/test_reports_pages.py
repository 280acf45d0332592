"""The reports page of a region and its reports, with the persona checklist: works, in-scope
reader ok, outsider 404, bad id or year 404, wrong method 405. Reports only read: every role that
may view a region (the viewer too) may ask for them, so no role is refused with 403 here. A report
is asked for with POST, made by a job (the real database worker runs it here) and downloaded from
the job's page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from python_calamine import CalamineWorkbook

from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.jobs.support import body, fetch_report
from tests.reports.support import KABUPATEN, SARANG_HALANG, demo, demo_module, pdf_text

__all__ = ["demo", "demo_module"]

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def location_in(desa: str) -> Location:
    return Location.objects.filter(desa_id=desa).order_by("code").first() or pytest.fail(desa)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the jobs' files


def download(client: Client, url: str, content_type: str) -> bytes:
    response = fetch_report(client, url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return body(response)


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_the_kabupaten_page_lists_the_three_reports(demo: Personas, persona: str) -> None:
    response = demo.client(persona).get(f"/wilayah/{KABUPATEN}/laporan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan Pengurangan Luasan Kumuh" in html
    assert f"/wilayah/{KABUPATEN}/laporan/pengurangan.pdf" in html
    # Uji petik: a year and a format chosen in one form; only the years an uji petik sampled
    # (2019 has RT data but no sample: not offered).
    assert f'action="/wilayah/{KABUPATEN}/laporan/uji-petik/"' in html
    form = html.split('id="uji-petik-form"')[1].split("</form>")[0]
    assert re.findall(r'<option value="(\d+)"', form) == ["2021", "2020"]
    assert 'name="fmt" value="pdf"' in form
    assert 'name="fmt" value="xlsx"' in form
    count = Location.objects.filter(kabupaten_id=KABUPATEN).count()
    assert html.count('action="/lokasi/') == count * 2  # PDF and XLSX of each location
    assert f'href="/wilayah/{KABUPATEN}/laporan/"' in html  # in the main navigation


def test_a_facilitator_sees_the_reports_of_their_desa_only(demo: Personas) -> None:
    client = demo.client("facilitator")
    response = client.get(f"/wilayah/{SARANG_HALANG}/laporan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/laporan/uji-petik/" not in html  # a kabupaten report
    assert f"/lokasi/{location_in(SARANG_HALANG).pk}/profil.pdf" in html
    assert html.count('action="/lokasi/') == 2
    assert client.get(f"/wilayah/{KABUPATEN}/laporan/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/wilayah/{KABUPATEN}/laporan/",
        f"/wilayah/{KABUPATEN}/laporan/pengurangan.pdf",
        f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.pdf",
        f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.xlsx",
    ],
)
def test_an_outsider_gets_not_found(demo: Personas, url: str) -> None:
    client = demo.client("outsider")
    assert (client.get(url) if url.endswith("/") else client.post(url)).status_code == 404


def test_a_stranger_is_sent_to_log_in(demo: Personas) -> None:
    response = Client().post(f"/wilayah/{KABUPATEN}/laporan/pengurangan.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize(
    ("url", "method"),
    [
        (f"/wilayah/{KABUPATEN}/laporan/", "post"),
        (f"/wilayah/{KABUPATEN}/laporan/pengurangan.pdf", "get"),
        (f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.pdf", "get"),
        ("/lokasi/{pk}/profil.pdf", "get"),
    ],
)
def test_the_page_is_read_and_a_report_asked_for_with_post(
    demo: Personas, url: str, method: str
) -> None:
    pk = location_in(SARANG_HALANG).pk
    assert getattr(demo.client("admin"), method)(url.format(pk=pk)).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/99.99/laporan/",
        f"/wilayah/{KABUPATEN}/laporan/pengurangan.docx",
        f"/wilayah/{KABUPATEN}/laporan/uji-petik/1999.pdf",
        f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.csv",
        "/wilayah/63.01.03/laporan/uji-petik/2021.pdf",  # a kecamatan: no uji petik report
        "/lokasi/999999/profil.pdf",
        "/lokasi/{pk}/profil.docx",
    ],
)
def test_a_bad_region_year_format_or_id_is_not_found(demo: Personas, url: str) -> None:
    pk = location_in(SARANG_HALANG).pk
    client = demo.client("admin")
    response = client.get(url) if url.endswith("/") else client.post(url.format(pk=pk))
    assert response.status_code == 404


# --- The downloads -----------------------------------------------------------------------------


def test_the_viewer_downloads_the_laporan_uji_petik(demo: Personas) -> None:
    client = demo.client("viewer")
    text = pdf_text(download(client, f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.pdf", PDF))
    assert "FGD telah dilaksanakan di 35 dari 48 desa" in text
    book = download(client, f"/wilayah/{KABUPATEN}/laporan/uji-petik/2021.xlsx", XLSX)
    assert "Daftar sampel" in CalamineWorkbook.from_filelike(io.BytesIO(book)).sheet_names


def test_the_facilitator_s_pengurangan_report_leaves_the_kabupaten_sk_out(
    demo: Personas,
) -> None:
    client = demo.client("facilitator")
    text = pdf_text(download(client, f"/wilayah/{SARANG_HALANG}/laporan/pengurangan.pdf", PDF))
    assert "Kelurahan Sarang Halang" in text
    assert "184,92" not in text
    admin_text = pdf_text(
        download(demo.client("admin"), f"/wilayah/{SARANG_HALANG}/laporan/pengurangan.pdf", PDF)
    )
    assert "184,92 Ha" in admin_text


def test_a_location_profile_is_scoped_to_the_reader_s_desa(demo: Personas) -> None:
    own = location_in(SARANG_HALANG)
    other = location_in("63.01.10.2002")  # Sungai Bakar, Bajuin
    client = demo.client("facilitator")
    text = pdf_text(download(client, f"/lokasi/{own.pk}/profil.pdf", PDF))
    assert f"{own.name} ({own.code})" in text
    assert client.post(f"/lokasi/{other.pk}/profil.pdf").status_code == 404
    assert demo.client("outsider").post(f"/lokasi/{own.pk}/profil.pdf").status_code == 404
    workbook = download(client, f"/lokasi/{own.pk}/profil.xlsx", XLSX)
    assert CalamineWorkbook.from_filelike(io.BytesIO(workbook)).sheet_names[0] == "Lokasi"


def test_the_report_follows_the_language_the_user_chose(demo: Personas) -> None:
    client = demo.client("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/wilayah/{KABUPATEN}/laporan/").content.decode()
    assert "Reports" in html
    book = download(client, f"/wilayah/{KABUPATEN}/laporan/pengurangan.xlsx", XLSX)
    assert CalamineWorkbook.from_filelike(io.BytesIO(book)).sheet_names[:2] == [
        "Per year",
        "Per kecamatan",
    ]
