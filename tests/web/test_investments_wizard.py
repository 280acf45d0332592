"""The investment import wizard: upload → full report (nothing stored) → confirm → the run.
A facilitator's rows of another desa are left out; the viewer is refused; the outsider 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from tests import factories

pytestmark = pytest.mark.django_db

SARANG_HALANG = "63.01.03.1001"
BENUA_LAWAS = "63.01.01.2001"
HEADER = "kode_desa,lokasi,rt,tahun,kriteria,volume,satuan,kegiatan,sumber_dana,biaya_rp\n"
HERE = f"{SARANG_HALANG},L-01,001,2023,2b,120,m,Pengaspalan jalan,apbd,1250000\n"
THERE = f"{BENUA_LAWAS},L-02,001,2023,4b,50,m,Saluran,apbn,900000\n"


@pytest.fixture
def places(personas: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.rt(factories.location("L-01", SARANG_HALANG), "001")
    factories.rt(factories.location("L-02", BENUA_LAWAS), "001")
    return personas


def upload(client: Any, code: str, text: str) -> Any:
    file = SimpleUploadedFile("investasi.csv", text.encode())
    return client.post(reverse("web:investment_import", kwargs={"code": code}), {"file": file})


def test_upload_review_and_confirm_store_the_file_and_record_the_run(places: Any) -> None:
    client = places.client("admin")
    response = upload(client, "63.01", HEADER + HERE + THERE)
    assert response.status_code == 302
    review = client.get(response.url)
    assert review.status_code == 200
    assert review.context["report"]["created"] == 2
    assert Investment.objects.count() == 0  # the review stores nothing
    done = client.post(response.url + "simpan/")
    assert done.status_code == 302
    run = ImportRun.objects.get(kind="investments")
    assert done.url == reverse("web:import_run", kwargs={"pk": run.pk})
    assert (run.status, run.rows_created, run.actor) == ("committed", 2, places["admin"])
    assert Investment.objects.count() == 2
    page = client.get(done.url).content.decode()
    assert reverse("web:investment_import", kwargs={"code": "63.01"}) in page


def test_the_review_lists_every_problem_and_a_refused_file_stores_nothing(places: Any) -> None:
    client = places.client("admin")
    response = upload(client, "63.01", HEADER + HERE.replace(",120,", ",-4,") + THERE)
    review = client.get(response.url)
    html = review.content.decode()
    assert "volume harus lebih dari nol" in html
    client.post(response.url + "simpan/")
    assert Investment.objects.count() == 0
    assert ImportRun.objects.get().status == "rejected"
    client.post(response.url + "simpan/", {"skip_invalid": "on"})
    assert Investment.objects.count() == 1


def test_a_facilitators_rows_of_another_desa_are_left_out(places: Any) -> None:
    client = places.client("facilitator")
    response = upload(client, SARANG_HALANG, HEADER + HERE + THERE)
    review = client.get(response.url)
    [problem] = review.context["errors"]
    assert (problem["row"], problem["column"], problem["value"]) == ("3", "kode_desa", BENUA_LAWAS)
    client.post(response.url + "simpan/", {"skip_invalid": "on"})
    assert list(Investment.objects.values_list("location__code", flat=True)) == ["L-01"]


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider", 404)])
def test_who_may_not_import_is_refused(places: Any, who: str, status: int) -> None:
    client = places.client(who)
    url = reverse("web:investment_import", kwargs={"code": "63.01"})
    assert client.get(url).status_code == status
    assert upload(client, "63.01", HEADER + HERE).status_code == status


def test_an_upload_is_only_its_uploaders(places: Any) -> None:
    response = upload(places.client("admin"), "63.01", HEADER + HERE)
    assert places.client("viewer").get(response.url).status_code == 403
    other_admin_like = places.client("outsider")
    assert other_admin_like.get(response.url).status_code == 404


def test_a_file_of_another_kind_is_refused_with_a_message(places: Any) -> None:
    client = places.client("admin")
    file = SimpleUploadedFile("investasi.pdf", b"%PDF")
    url = reverse("web:investment_import", kwargs={"code": "63.01"})
    response = client.post(url, {"file": file})
    assert response.status_code == 422
    assert "bukan file CSV atau XLSX" in response.content.decode()
