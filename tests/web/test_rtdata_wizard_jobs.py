"""The import wizard on jobs: the upload only stores the file and starts a validation job, the
review page shows the job's progress (htmx polls it) until the report is kept, the confirmation
starts the import job; no file is read in the web request (issue 7, finding 2; issue 9)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads, validation
from sikumuh.jobs.kinds.imports import KIND as IMPORT
from sikumuh.jobs.kinds.imports import VALIDATE
from sikumuh.jobs.models import Job
from sikumuh.surveys.models import Observation
from tests.conftest import Personas
from tests.jobs.support import JOB_URL, count_reader_calls, work_off
from tests.web.test_rtdata_support import (
    SARANG_HALANG,
    demo,
    demo_module,
    media,
    sarang_halang_rows,
    template_file,
)
from tests.web.test_rtdata_wizard import DESA_WIZARD, WIZARD, confirm, upload

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module", "media"]  # fixtures, imported for pytest

HX = {"HX-Request": "true"}


@pytest.fixture
def jobs_only(settings: Any) -> None:
    """No file is checked in the request, however small."""
    settings.INLINE_IMPORT_BYTES = 0


@pytest.mark.parametrize(
    ("name", "fmt"), [("rt-2022.xlsx", "xlsx"), ("rt-2022.csv", "csv")], ids=["xlsx", "csv"]
)
def test_a_large_file_is_checked_by_a_job_then_stored_by_another(
    demo: Personas,
    media: Path,
    jobs_only: None,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    fmt: str,
) -> None:
    calls = count_reader_calls(monkeypatch)
    client = demo.client("facilitator")
    started = time.perf_counter()
    response = upload(client, template_file(sarang_halang_rows(2022), fmt), name, DESA_WIZARD)
    assert time.perf_counter() - started < 2
    assert response.status_code == 302
    url = response["Location"]
    assert calls == []  # stored, not read
    job = Job.objects.get(kind=VALIDATE, started_by=demo.users["facilitator"])
    assert (job.region_code, job.status) == (SARANG_HALANG, Job.Status.QUEUED)

    waiting = client.get(url).content.decode()
    assert "Menunggu pekerja mengambil tugas ini" in waiting
    assert f'hx-get="{url}"' in waiting  # the review page polls itself, not the job page
    assert 'id="import-confirm"' not in waiting
    partial = client.get(url, headers=HX)
    assert partial.content.decode().startswith('<section id="job-status"')
    assert "HX-Refresh" not in partial

    work_off()
    assert calls == (["read", "guard", "calamine"] if fmt == "xlsx" else ["read"])
    assert client.get(url, headers=HX)["HX-Refresh"] == "true"  # done: the page draws again
    review = client.get(url).content.decode()
    assert '<div class="value" id="count-new">6</div>' in review
    assert 'id="job-status"' not in review
    assert not Observation.objects.filter(tahun=2022).exists()

    job = confirm(client, url)
    assert (job.kind, job.status) == (IMPORT, Job.Status.SUCCEEDED), job.error
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6
    run = ImportRun.objects.get(pk=job.result["run_id"])  # type: ignore[index]
    assert (run.status, run.file_name) == ("committed", name)
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert f'href="/impor/riwayat/{run.pk}/"' in page
    assert f'href="/wilayah/{SARANG_HALANG}/data-rt/"' in page


def test_the_validation_job_links_back_to_the_review_page(
    demo: Personas, media: Path, jobs_only: None
) -> None:
    client = demo.client("admin")
    url = upload(client, template_file(sarang_halang_rows(2022)))["Location"]
    work_off()
    job = Job.objects.get(kind=VALIDATE)
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert "Pemeriksaan file data RT" in page
    assert f'href="{url}"' in page
    assert "Lihat hasil pemeriksaan" in page


def test_a_failed_check_is_shown_on_the_review_page_and_can_be_tried_again(
    demo: Personas, media: Path, jobs_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo.client("admin")
    url = upload(client, template_file(sarang_halang_rows(2022)))["Location"]
    real = validation.validate

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("/srv/sikumuh/secret.py exploded")

    monkeypatch.setattr(validation, "validate", broken)
    work_off()
    page = client.get(url).content.decode()
    assert "Tugas terhenti karena kesalahan yang tidak terduga." in page
    assert "secret.py" not in page
    assert 'id="import-refused-file"' in page  # another file may be uploaded instead
    job = Job.objects.get(kind=VALIDATE)
    assert f'action="/tugas/{job.pk}/coba-lagi/"' in page

    monkeypatch.setattr(validation, "validate", real)
    assert client.post(f"/tugas/{job.pk}/coba-lagi/")["Location"] == f"/tugas/{job.pk}/"
    work_off()
    assert '<div class="value" id="count-new">6</div>' in client.get(url).content.decode()


def test_a_confirmation_before_the_check_is_done_starts_nothing(
    demo: Personas, media: Path, jobs_only: None
) -> None:
    client = demo.client("admin")
    url = upload(client, template_file(sarang_halang_rows(2022)))["Location"]
    response = client.post(url + "simpan/")
    assert response["Location"] == url
    assert not Job.objects.filter(kind=IMPORT).exists()


def test_a_failed_import_job_is_tried_again_from_its_page_and_stores_the_file(
    demo: Personas, media: Path, jobs_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo.client("facilitator")
    url = upload(client, template_file(sarang_halang_rows(2022)), url=DESA_WIZARD)["Location"]
    work_off()
    real = validation.run_import

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full at /var/lib/sikumuh")

    monkeypatch.setattr(validation, "run_import", broken)
    job = confirm(client, url)
    assert job.status == Job.Status.FAILED
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert "Tugas terhenti karena kesalahan yang tidak terduga." in page
    assert "/var/lib" not in page
    assert not Observation.objects.filter(tahun=2022).exists()

    monkeypatch.setattr(validation, "run_import", real)
    client.post(f"/tugas/{job.pk}/coba-lagi/")
    work_off()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6
    # The same upload cannot be confirmed twice: it is gone once stored.
    assert client.post(url + "simpan/")["Location"] == DESA_WIZARD


def test_a_file_named_xlsx_that_is_no_workbook_is_refused_without_being_read(
    demo: Personas, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_reader_calls(monkeypatch)
    response = upload(demo.client("admin"), b"kode_desa,rt\n63.01,1\n", "palsu.xlsx")
    assert response.status_code == 422
    assert "palsu.xlsx bukan file CSV atau XLSX." in response.content.decode()
    assert calls == []
    assert not any(uploads.root().iterdir())
    assert not Job.objects.exists()


# --- Who may -------------------------------------------------------------------------------------


def staged_by(demo: Personas, persona: str, wizard: str) -> str:
    """The review page of a file ``persona`` uploaded, its check still waiting for a worker."""
    response = upload(demo.client(persona), template_file(sarang_halang_rows(2022)), url=wizard)
    assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.parametrize(
    ("owner", "wizard", "persona", "status"),
    [
        ("facilitator", DESA_WIZARD, "facilitator", 200),
        ("admin", WIZARD, "admin", 200),
        ("admin", WIZARD, "facilitator", 404),  # not the uploader, nor the region
        ("facilitator", DESA_WIZARD, "admin", 404),  # another's upload
        ("admin", WIZARD, "viewer", 403),
        ("admin", WIZARD, "reviewer", 403),
        ("admin", WIZARD, "outsider", 404),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "poll"])
def test_the_review_page_with_its_progress_is_only_the_uploaders(
    demo: Personas,
    media: Path,
    jobs_only: None,
    owner: str,
    wizard: str,
    persona: str,
    status: int,
    htmx: bool,
) -> None:
    url = staged_by(demo, owner, wizard)
    response = demo.client(persona).get(url, headers=HX if htmx else {})
    assert response.status_code == status
    assert Job.objects.filter(kind=VALIDATE).count() == 1  # nobody else starts another


@pytest.mark.parametrize(
    ("owner", "wizard", "persona", "status"),
    [
        ("facilitator", DESA_WIZARD, "facilitator", 302),
        ("admin", WIZARD, "admin", 302),
        ("admin", WIZARD, "viewer", 403),
        ("admin", WIZARD, "outsider", 404),
    ],
)
def test_only_the_uploader_starts_the_import_job(
    demo: Personas,
    media: Path,
    jobs_only: None,
    owner: str,
    wizard: str,
    persona: str,
    status: int,
) -> None:
    url = staged_by(demo, owner, wizard)
    work_off()
    response = demo.client(persona).post(url + "simpan/")
    assert response.status_code == status
    started = Job.objects.filter(kind=IMPORT)
    if status == 302:
        assert JOB_URL.match(response["Location"])
        assert started.get().started_by == demo.users[persona]
    else:
        assert not started.exists()


def test_the_review_page_answers_only_get(demo: Personas, media: Path, jobs_only: None) -> None:
    url = staged_by(demo, "admin", WIZARD)
    assert demo.client("admin").post(url).status_code == 405


def test_an_upload_of_a_small_csv_is_still_checked_in_the_request(
    demo: Personas, media: Path
) -> None:
    response = upload(demo.client("admin"), template_file(sarang_halang_rows(2022)))
    assert response.status_code == 302
    assert not Job.objects.exists()
    kept = uploads.load(
        response["Location"].rstrip("/").rsplit("/", 1)[1],
        user_id=demo.users["admin"].pk,
        region_code="63.01",
    )
    assert kept is not None
    assert uploads.load_report(kept) is not None
