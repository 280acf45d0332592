"""The job pages with the persona checklist: the starter and the administrators of the job's
region see it; the reviewer, the viewer, a facilitator of another desa and the outsider get 404,
as for an unknown number; the page polls while the job runs and then offers the file or, after a
failure, "Coba lagi"; only one's own jobs are listed."""

from __future__ import annotations

import pytest
from django.test import Client

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.jobs.actions import start_job
from sikumuh.jobs.models import Job
from tests.conftest import Personas
from tests.jobs.support import body, work_off

pytestmark = pytest.mark.django_db

KABUPATEN = "63.01"
SARANG_HALANG = "63.01.03.1001"


def started(personas: Personas, persona: str, kind: str, region: str = KABUPATEN) -> Job:
    return start_job(
        actor=Actor.of(personas[persona]), kind=kind, region_code=region, params={}, language="id"
    )


def file_job(personas: Personas, persona: str = "admin", region: str = KABUPATEN) -> Job:
    """A finished job with a file, as a report job leaves it."""
    job = started(personas, persona, "test_counting", region)
    work_off()
    job.refresh_from_db()
    from django.core.files.base import ContentFile

    job.result_file.save("laporan.xlsx", ContentFile(b"PK xlsx"), save=False)
    job.result_name = "laporan.xlsx"
    job.save()
    return job


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("reviewer", 404), ("viewer", 404), ("facilitator", 404), ("outsider", 404)],
)
def test_a_job_is_seen_by_its_starter_only_among_the_regency_s_people(
    personas: Personas, persona: str, status: int
) -> None:
    job = file_job(personas)
    client = personas.client(persona)
    assert client.get(f"/tugas/{job.pk}/").status_code == status
    download = client.get(f"/tugas/{job.pk}/unduh/")
    assert download.status_code == status
    if status == 200:
        assert body(download) == b"PK xlsx"
        assert 'filename="laporan.xlsx"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("facilitator", 200), ("admin", 200), ("reviewer", 404), ("viewer", 404), ("outsider", 404)],
)
def test_the_administrator_of_the_region_sees_the_jobs_started_inside_it(
    personas: Personas, persona: str, status: int
) -> None:
    job = file_job(personas, "facilitator", SARANG_HALANG)
    assert personas.client(persona).get(f"/tugas/{job.pk}/").status_code == status


def test_a_stranger_is_sent_to_log_in(personas: Personas) -> None:
    job = file_job(personas)
    for url in (f"/tugas/{job.pk}/", f"/tugas/{job.pk}/unduh/", "/tugas/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize(
    "url", ["/tugas/999999/", "/tugas/999999/unduh/", "/tugas/999999/coba-lagi/"]
)
def test_an_unknown_job_is_not_found(personas: Personas, url: str) -> None:
    client = personas.client("admin")
    response = client.post(url) if url.endswith("coba-lagi/") else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "method"),
    [("/tugas/", "post"), ("/tugas/{pk}/", "post"), ("/tugas/{pk}/unduh/", "post"),
     ("/tugas/{pk}/coba-lagi/", "get")],
)  # fmt: skip
def test_wrong_methods_are_refused(personas: Personas, url: str, method: str) -> None:
    job = file_job(personas)
    response = getattr(personas.client("admin"), method)(url.format(pk=job.pk))
    assert response.status_code == 405


def test_the_page_polls_while_the_job_waits_and_then_offers_the_file(personas: Personas) -> None:
    client = personas.client("admin")
    job = started(personas, "admin", "test_counting")
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Menunggu pekerja mengambil tugas ini" in page
    assert "untuk Kabupaten Tanah Laut." in page
    work_off()
    job.refresh_from_db()
    part = client.get(f"/tugas/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert part.startswith('<section id="job-status"')  # the status part alone, for htmx
    assert "hx-trigger" not in part  # finished: the polling stops
    assert "Tugas selesai." in part


def test_a_running_job_shows_its_progress_and_status_text(personas: Personas) -> None:
    job = started(personas, "admin", "test_counting")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, done=40, total=160, status_text="Memeriksa setiap baris…"
    )
    part = personas.client("admin").get(f"/tugas/{job.pk}/", headers={"HX-Request": "true"})
    html = part.content.decode()
    assert '<progress class="job-progress" value="40" max="160"' in html
    assert "Memeriksa setiap baris…" in html
    assert "40/160" in html
    assert 'hx-trigger="every 1s"' in html
    assert personas.client("admin").get(f"/tugas/{job.pk}/unduh/").status_code == 404


def test_a_failed_job_shows_its_reason_and_is_tried_again_with_one_click(
    personas: Personas,
) -> None:
    client = personas.client("admin")
    job = started(personas, "admin", "test_flaky")
    work_off()
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert "Tugas terhenti karena kesalahan yang tidak terduga" in page
    assert "the first attempt breaks" not in page  # the traceback stays in the log
    assert f'action="/tugas/{job.pk}/coba-lagi/"' in page
    assert "Coba lagi" in page
    response = client.post(f"/tugas/{job.pk}/coba-lagi/")
    assert response.status_code == 302
    assert response["Location"] == f"/tugas/{job.pk}/"
    assert AuditEntry.objects.filter(action="job.retry", actor=personas["admin"]).count() == 1
    work_off()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert "Percobaan ke-2." in client.get(f"/tugas/{job.pk}/").content.decode()


def test_a_job_that_did_not_fail_is_not_run_again(personas: Personas) -> None:
    job = file_job(personas)
    response = personas.client("admin").post(f"/tugas/{job.pk}/coba-lagi/", follow=True)
    assert "Hanya tugas yang gagal yang dapat dicoba lagi." in response.content.decode()
    assert not AuditEntry.objects.filter(action="job.retry").exists()


def test_the_list_shows_one_s_own_jobs_only(personas: Personas) -> None:
    own = started(personas, "admin", "test_counting")
    other = started(personas, "facilitator", "test_counting", SARANG_HALANG)
    html = personas.client("admin").get("/tugas/").content.decode()
    assert f'href="/tugas/{own.pk}/"' in html
    assert f'href="/tugas/{other.pk}/"' not in html
    assert "menunggu" in html
    assert "<td>Kabupaten Tanah Laut</td>" in html  # the region by its name, not 63.01
    assert "Tugas saya" in html  # the layout's link
    empty = personas.client("viewer").get("/tugas/").content.decode()
    assert "Anda belum memulai tugas apa pun." in empty
