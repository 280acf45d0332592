"""The investment import wizard on jobs, as the RT data wizard: a CSV above
``SIKUMUH_INLINE_IMPORT_BYTES`` and every XLSX is checked by a job (the review page shows its
progress until the report is kept) and stored by another (the job page, which links to the
run); a small CSV is still checked and stored in the request (issue 9, §3)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from sikumuh.io.tables import write_table
from sikumuh.io.wizard import formats
from sikumuh.jobs.kinds.imports import INVESTMENT_KIND, INVESTMENT_VALIDATE
from sikumuh.jobs.models import Job
from tests.jobs.support import JOB_URL, count_reader_calls, work_off
from tests.web.test_investments_wizard import HEADER, HERE, SARANG_HALANG, THERE, places, upload

pytestmark = pytest.mark.django_db
__all__ = ["places"]  # a fixture, imported for pytest

HX = {"HX-Request": "true"}
KABUPATEN = "63.01"


@pytest.fixture
def jobs_only(settings: Any) -> None:
    """No file is checked in the request, however small."""
    settings.INLINE_IMPORT_BYTES = 0


def xlsx(text: str) -> bytes:
    header, *rows = [line.split(",") for line in text.strip().splitlines()]
    out = io.BytesIO()
    write_table(header, rows, out, "xlsx")
    return out.getvalue()


def review_url(client: Any, code: str, text: str) -> str:
    response = upload(client, code, text)
    assert response.status_code == 302, response.content.decode()[:300]
    return str(response["Location"])


def confirm(client: Any, url: str, data: dict[str, str] | None = None) -> Job:
    response = client.post(url + "simpan/", data or {})
    assert response.status_code == 302
    found = JOB_URL.match(response["Location"])
    assert found, response["Location"]
    work_off()
    return Job.objects.get(pk=int(found.group(1)))


def test_a_large_file_is_checked_by_a_job_then_stored_by_another(
    places: Any, jobs_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = places.client("admin")
    url = review_url(client, KABUPATEN, HEADER + HERE + THERE)
    job = Job.objects.get(kind=INVESTMENT_VALIDATE)
    assert (job.region_code, job.status, job.started_by) == (
        KABUPATEN,
        Job.Status.QUEUED,
        places["admin"],
    )
    waiting = client.get(url).content.decode()
    assert "Menunggu pekerja mengambil tugas ini" in waiting
    assert f'hx-get="{url}"' in waiting  # the review page polls itself
    assert 'id="import-confirm"' not in waiting
    assert client.get(url, headers=HX).content.decode().startswith('<section id="job-status"')

    work_off()
    assert client.get(url, headers=HX)["HX-Refresh"] == "true"
    review = client.get(url).content.decode()
    assert '<div class="value" id="count-new">2</div>' in review
    assert not Investment.objects.exists()

    job = confirm(client, url)
    assert (job.kind, job.status) == (INVESTMENT_KIND, Job.Status.SUCCEEDED), job.error
    assert Investment.objects.count() == 2
    run = ImportRun.objects.get(pk=job.result["run_id"])  # type: ignore[index]
    assert (run.kind, run.status, run.actor) == ("investments", "committed", places["admin"])
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert "Impor investasi" in page
    assert f'href="/impor/riwayat/{run.pk}/"' in page
    assert f'href="{reverse("web:investments", kwargs={"code": KABUPATEN})}"' in page
    # Stored: the upload is gone, a second confirmation starts nothing.
    again = client.post(url + "simpan/")
    assert again["Location"] == reverse("web:investment_import", kwargs={"code": KABUPATEN})


def test_an_xlsx_is_always_checked_by_a_job(places: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_reader_calls(monkeypatch)
    client = places.client("admin")
    file = SimpleUploadedFile("investasi.xlsx", xlsx(HEADER + HERE))
    wizard = reverse("web:investment_import", kwargs={"code": KABUPATEN})
    response = client.post(wizard, {"file": file})
    assert response.status_code == 302
    assert calls == []  # stored, not read
    assert Job.objects.filter(kind=INVESTMENT_VALIDATE).count() == 1
    work_off()
    assert "calamine" in calls
    review = client.get(response["Location"]).content.decode()
    assert '<div class="value" id="count-new">1</div>' in review
    job = confirm(client, response["Location"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Investment.objects.count() == 1


def test_a_small_csv_is_checked_and_stored_in_the_request(places: Any) -> None:
    client = places.client("admin")
    url = review_url(client, KABUPATEN, HEADER + HERE)
    assert client.get(url).context["report"]["created"] == 1
    done = client.post(url + "simpan/")
    run = ImportRun.objects.get(kind="investments")
    assert done["Location"] == reverse("web:import_run", kwargs={"pk": run.pk})
    assert Investment.objects.count() == 1
    assert not Job.objects.exists()


def test_a_file_the_job_rejects_fails_it_readably_and_stores_nothing(
    places: Any, jobs_only: None
) -> None:
    client = places.client("admin")
    url = review_url(client, KABUPATEN, HEADER + HERE.replace(",120,", ",-4,") + THERE)
    work_off()
    assert "volume harus lebih dari nol" in client.get(url).content.decode()
    job = confirm(client, url)
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Tidak ada yang disimpan: investasi.csv memuat ")
    assert not Investment.objects.exists()
    job = confirm(client, url, {"skip_invalid": "on"})  # the upload stays for this
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Investment.objects.count() == 1


def test_a_failed_check_and_a_failed_import_are_readable_and_tried_again(
    places: Any, jobs_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = places.client("facilitator")
    url = review_url(client, SARANG_HALANG, HEADER + HERE)
    real = formats.import_investment_file

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full at /var/lib/sikumuh")

    monkeypatch.setattr(formats, "import_investment_file", broken)
    work_off()
    page = client.get(url).content.decode()
    assert "Tugas terhenti karena kesalahan yang tidak terduga." in page
    assert "/var/lib" not in page
    check = Job.objects.get(kind=INVESTMENT_VALIDATE)
    assert f'action="/tugas/{check.pk}/coba-lagi/"' in page
    monkeypatch.setattr(formats, "import_investment_file", real)
    assert client.post(f"/tugas/{check.pk}/coba-lagi/").status_code == 302
    work_off()
    assert '<div class="value" id="count-new">1</div>' in client.get(url).content.decode()

    monkeypatch.setattr(formats, "import_investment_file", broken)
    job = confirm(client, url)
    assert job.status == Job.Status.FAILED
    assert "/var/lib" not in client.get(f"/tugas/{job.pk}/").content.decode()
    assert not Investment.objects.exists()
    monkeypatch.setattr(formats, "import_investment_file", real)
    client.post(f"/tugas/{job.pk}/coba-lagi/")
    work_off()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert list(Investment.objects.values_list("location__code", flat=True)) == ["L-01"]


# --- Who may -------------------------------------------------------------------------------------


def staged_by(places: Any, persona: str, code: str) -> str:
    return review_url(places.client(persona), code, HEADER + HERE)


@pytest.mark.parametrize(
    ("owner", "code", "persona", "status"),
    [
        ("facilitator", SARANG_HALANG, "facilitator", 200),
        ("admin", KABUPATEN, "admin", 200),
        ("admin", KABUPATEN, "facilitator", 404),  # not the uploader, nor the region
        ("facilitator", SARANG_HALANG, "admin", 404),  # another's upload
        ("admin", KABUPATEN, "viewer", 403),
        ("admin", KABUPATEN, "outsider", 404),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "poll"])
def test_the_review_page_with_its_progress_is_only_the_uploaders(
    places: Any, jobs_only: None, owner: str, code: str, persona: str, status: int, htmx: bool
) -> None:
    url = staged_by(places, owner, code)
    response = places.client(persona).get(url, headers=HX if htmx else {})
    assert response.status_code == status
    assert Job.objects.filter(kind=INVESTMENT_VALIDATE).count() == 1  # nobody starts another


@pytest.mark.parametrize(
    ("owner", "code", "persona", "status"),
    [
        ("facilitator", SARANG_HALANG, "facilitator", 302),
        ("admin", KABUPATEN, "admin", 302),
        ("admin", KABUPATEN, "viewer", 403),
        ("admin", KABUPATEN, "outsider", 404),
    ],
)
def test_only_the_uploader_starts_the_import_job(
    places: Any, jobs_only: None, owner: str, code: str, persona: str, status: int
) -> None:
    url = staged_by(places, owner, code)
    work_off()
    response = places.client(persona).post(url + "simpan/")
    assert response.status_code == status
    started = Job.objects.filter(kind=INVESTMENT_KIND)
    if status == 302:
        assert JOB_URL.match(response["Location"])
        assert started.get().started_by == places[persona]
    else:
        assert not started.exists()
    assert not Investment.objects.exists() or status == 302


def test_the_review_page_answers_only_get(places: Any, jobs_only: None) -> None:
    url = staged_by(places, "admin", KABUPATEN)
    assert places.client("admin").post(url).status_code == 405
