"""The RT-data import as a job (the API the import wizard will use for large files): a staged
upload is validated and committed once by the worker, as the person who staged it; a rejected
file or a missing upload fails the job with a readable message and stores nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from sikumuh.audit.actions import Actor
from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads
from sikumuh.jobs.kinds.imports import start_import
from sikumuh.jobs.models import Job
from sikumuh.surveys.models import Observation
from tests.conftest import Personas
from tests.jobs.support import work_off
from tests.web.test_rtdata_support import (
    demo,
    demo_module,
    media,
    sarang_halang_rows,
    template_file,
)

__all__ = ["demo", "demo_module", "media"]

KABUPATEN = "63.01"
SARANG_HALANG = "63.01.03.1001"


def staged(personas: Personas, persona: str, rows: list[dict[str, object]]) -> uploads.Upload:
    return uploads.store(
        SimpleUploadedFile("rt-2022.csv", template_file(rows)),  # type: ignore[arg-type]
        user_id=personas[persona].pk,
        region_code=KABUPATEN,
    )


def imported(personas: Personas, persona: str, upload: uploads.Upload) -> Job:
    job = start_import(
        actor=Actor.of(personas[persona]),
        upload_id=upload.id,
        region_code=KABUPATEN,
        skip_invalid=False,
    )
    work_off()
    job.refresh_from_db()
    return job


def test_a_staged_file_is_imported_by_the_worker_as_its_uploader(
    demo: Personas, media: Path
) -> None:
    rows = sarang_halang_rows(2022)
    upload = staged(demo, "facilitator", rows)
    job = imported(demo, "facilitator", upload)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result is not None
    run = ImportRun.objects.get(pk=job.result["run_id"])
    assert (job.result["rows_total"], job.result["created"]) == (len(rows), len(rows))
    assert job.result["file"] == "rt-2022.csv"
    assert run.file_name == "rt-2022.csv"
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == len(rows)
    assert not upload.folder.exists()  # imported: the staged copy is gone
    page = demo.client("facilitator").get(f"/tugas/{job.pk}/").content.decode()
    assert f'href="/impor/riwayat/{run.pk}/"' in page
    assert "<dt>Baris</dt><dd>" in page


def test_a_rejected_file_fails_the_job_and_stores_nothing(demo: Personas, media: Path) -> None:
    upload = staged(demo, "facilitator", sarang_halang_rows(2022, jumlah_kk="banyak"))
    job = imported(demo, "facilitator", upload)
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Tidak ada yang disimpan: rt-2022.csv memuat ")
    assert not Observation.objects.filter(tahun=2022).exists()


def test_someone_else_s_upload_is_not_found(demo: Personas, media: Path) -> None:
    upload = staged(demo, "facilitator", sarang_halang_rows(2022))
    job = imported(demo, "admin", upload)
    assert (job.status, job.error) == (
        Job.Status.FAILED,
        "Berkas yang diunggah sudah tidak ada: unggah lagi.",
    )
    assert upload.folder.exists()
