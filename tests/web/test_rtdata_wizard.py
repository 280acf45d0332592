"""The import wizard (upload → full report → confirm), the import history, and the template
download filled with the RTs already known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sikumuh.audit.models import AuditEntry
from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads
from sikumuh.jobs.models import Job
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation
from tests.conftest import Personas
from tests.jobs.support import JOB_URL, work_off
from tests.web.test_rtdata_support import (
    BENUA_LAWAS,
    SARANG_HALANG,
    body,
    demo,
    demo_module,
    media,
    observation_row,
    sarang_halang_rows,
    template_file,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module", "media"]  # fixtures, imported for pytest

WIZARD = "/wilayah/63.01/impor/"
DESA_WIZARD = f"/wilayah/{SARANG_HALANG}/impor/"


def upload(client: Client, content: bytes, name: str = "rt-2022.csv", url: str = WIZARD) -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def review_url(response: Any) -> str:
    """The review page an upload redirected to, once the worker has checked the file (a small
    CSV is checked in the request: then there is no job)."""
    assert response.status_code == 302, response.content.decode()[:500]
    work_off()
    return str(response["Location"])


def confirm(client: Client, url: str, data: dict[str, str] | None = None) -> Job:
    """Confirm on the review page at ``url``: the import job it started, run by the worker."""
    response = client.post(url + "simpan/", data or {})
    assert response.status_code == 302, response.content.decode()[:500]
    found = JOB_URL.match(response["Location"])
    assert found, response["Location"]
    work_off()
    return Job.objects.get(pk=int(found.group(1)))


def snapshot() -> tuple[int, int, int, int]:
    return (
        Observation.objects.count(),
        RtUnit.objects.count(),
        ImportRun.objects.count(),
        AuditEntry.objects.count(),
    )


# --- A good file ----------------------------------------------------------------------------------


def test_a_good_file_is_reviewed_without_storing_then_committed_on_confirmation(
    demo: Personas, media: Path
) -> None:
    client = demo.client("facilitator")
    content = template_file(sarang_halang_rows(2022))
    before = snapshot()
    url = review_url(upload(client, content, url=DESA_WIZARD))
    assert url.startswith(DESA_WIZARD)
    review = client.get(url)
    assert review.status_code == 200
    html = review.content.decode()
    assert '<div class="value" id="count-new">6</div>' in html
    assert '<div class="value" id="count-rejected">0</div>' in html
    assert "Belum ada yang disimpan." in html
    assert 'id="import-errors"' not in html
    assert snapshot() == before  # the review stores nothing, not even an import run

    job = confirm(client, url)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result is not None
    run = ImportRun.objects.get(pk=job.result["run_id"])
    assert run.status == "committed"
    assert (run.rows_created, run.region_code, run.actor) == (
        6,
        SARANG_HALANG,
        demo.users["facilitator"],
    )
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6
    assert (
        AuditEntry.objects.filter(
            action="observation.create", actor=demo.users["facilitator"]
        ).count()
        == 6
    )
    assert not any(uploads.root().iterdir())  # the upload is gone once stored
    job_page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert f'href="/impor/riwayat/{run.pk}/"' in job_page
    assert f'href="/wilayah/{SARANG_HALANG}/data-rt/"' in job_page
    page = client.get(f"/impor/riwayat/{run.pk}/").content.decode()
    assert "Tersimpan: semua baris file." in page


def test_re_uploading_the_same_file_reports_everything_unchanged(
    demo: Personas, media: Path
) -> None:
    client = demo.client("admin")
    content = template_file(sarang_halang_rows(2021))
    url = review_url(upload(client, content))
    html = client.get(url).content.decode()
    assert '<div class="value" id="count-unchanged">6</div>' in html
    assert '<div class="value" id="count-new">0</div>' in html
    assert '<div class="value" id="count-changed">0</div>' in html
    assert "Semua isi file ini sudah tersimpan" in html
    before = snapshot()
    job = confirm(client, url)
    run = ImportRun.objects.latest("started_at")
    assert run.status == "unchanged"
    assert snapshot()[:2] == before[:2]
    assert snapshot()[3] == before[3] + 1  # only the job's start is audited
    assert job.result is not None
    assert job.result["run_id"] == run.pk


def test_a_changed_row_is_counted_as_changed_with_its_fields(demo: Personas, media: Path) -> None:
    client = demo.client("admin")
    rows = sarang_halang_rows(2021)
    rows[0]["v_2b"] = 0
    url = review_url(upload(client, template_file(rows)))
    html = client.get(url).content.decode()
    assert '<div class="value" id="count-changed">1</div>' in html
    assert '<div class="value" id="count-unchanged">5</div>' in html
    assert "baris 2: volumes" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_download_reimports_cleanly_once_volumes_are_filled(
    demo: Personas, media: Path, fmt: str
) -> None:
    client = demo.client("facilitator")
    response = client.get(f"/wilayah/{SARANG_HALANG}/impor/templat.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        import csv
        import io

        table = list(csv.reader(io.StringIO(body(response).decode())))
    else:
        table = [
            [("" if c is None else c) for c in row] for row in xlsx_rows(body(response), "data")
        ]
    header, rows = table[0], table[1:]
    assert len(rows) == 6
    # The field team fills in the volumes: here, those of each RT's 2021 data.
    filled = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        assert cells["tahun"] in ("2022", 2022.0)
        assert all(cells[name] in ("", None) for name in header if name.startswith("v_"))
        obs = Observation.objects.get(
            rt__desa_id=cells["kode_desa"], rt__rt=str(cells["rt"]).removesuffix(".0"), tahun=2021
        )
        expected = observation_row(obs, tahun=2022)
        assert str(cells["luas_ha"]).removesuffix(".0") == str(expected["luas_ha"])
        filled.append(expected)
    url = review_url(upload(client, template_file(filled, fmt), f"isi.{fmt}", DESA_WIZARD))
    html = client.get(url).content.decode()
    assert '<div class="value" id="count-new">6</div>' in html
    assert 'id="import-errors"' not in html
    confirm(client, url)
    assert ImportRun.objects.latest("started_at").status == "committed"


def test_the_template_is_filled_for_a_chosen_year_with_the_header_before_it(
    demo: Personas,
) -> None:
    response = demo.client("viewer").get("/wilayah/63.01/impor/templat.csv", {"tahun": 2020})
    assert response.status_code == 200
    assert 'filename="templat-rt-63.01-2020.csv"' in response["Content-Disposition"]
    lines = body(response).decode().splitlines()
    assert len(lines) == 1 + RtUnit.objects.count()
    header = lines[0].split(",")
    first = dict(zip(header, lines[1].split(","), strict=False))
    obs = Observation.objects.get(
        rt__desa_id=first["kode_desa"],
        rt__rt=first["rt"],
        rt__location__code=first["lokasi"],
        tahun=2019,
    )
    assert first["tahun"] == "2020"
    assert first["jumlah_kk"] == format(obs.jumlah_kk.normalize(), "f")


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("viewer", "/wilayah/63.01/impor/templat.xlsx", 200),
        ("outsider", "/wilayah/63.01/impor/templat.csv", 404),
        ("facilitator", "/wilayah/63.01/impor/templat.csv", 404),
        ("admin", "/wilayah/63.01/impor/templat.pdf", 404),
        ("admin", "/wilayah/63.01/impor/templat.csv?tahun=20x1", 404),
    ],
)
def test_the_template_download_is_scoped(
    demo: Personas, persona: str, path: str, status: int
) -> None:
    assert demo.client(persona).get(path).status_code == status


def test_the_template_download_answers_only_get(demo: Personas) -> None:
    assert demo.client("admin").post("/wilayah/63.01/impor/templat.csv").status_code == 405


# --- A bad file -----------------------------------------------------------------------------------


def test_a_bad_file_lists_every_error_with_file_row_column_and_value_and_stores_nothing(
    demo: Personas, media: Path
) -> None:
    client = demo.client("admin")
    rows = sarang_halang_rows(2022)
    rows[1]["v_2b"] = -5  # row 3
    rows[3]["jumlah_kk"] = Decimal("1.5")  # row 5: a count must be whole
    rows[4]["kode_desa"] = "63.01.99.9999"  # row 6: no such desa
    before = snapshot()
    url = review_url(upload(client, template_file(rows), "salah.csv"))
    html = client.get(url).content.decode()
    assert 'id="import-errors"' in html
    errors = html.split('id="import-errors"', 1)[1].split("</section>", 1)[0]
    for row, column, value in (
        ("3", "v_2b", "-5"),
        ("5", "jumlah_kk", "1.5"),
        ("6", "kode_desa", "63.01.99.9999"),
    ):
        assert (
            f'<td>salah.csv</td><td class="num">{row}</td>'
            f"<td><code>{column}</code></td><td><code>{value}" in errors
        )
    assert '<div class="value" id="count-rejected">3</div>' in html
    assert '<div class="value" id="count-new">3</div>' in html
    assert 'id="import-refused"' in html
    # A file that will be refused offers no plain "Simpan data": only storing the valid rows.
    assert "Simpan data" not in html
    assert 'name="skip_invalid" value="on"' in html
    assert "Lewati baris yang salah dan simpan 3 baris yang valid" in html
    assert snapshot() == before

    job = confirm(client, url)  # confirmed as it is: refused, all or nothing
    assert job.status == Job.Status.FAILED
    assert job.error == "Tidak ada yang disimpan: salah.csv memuat 3 masalah (lihat riwayat impor)."
    run = ImportRun.objects.latest("started_at")
    assert run.status == "rejected"
    assert run.rows_rejected == 3
    assert snapshot()[:2] == before[:2]
    assert f'href="/impor/riwayat/{run.pk}/"' in client.get(f"/tugas/{job.pk}/").content.decode()
    assert (
        "Ditolak: tidak ada yang disimpan."
        in client.get(f"/impor/riwayat/{run.pk}/").content.decode()
    )

    confirm(client, url, {"skip_invalid": "on"})  # the upload waited for this
    run = ImportRun.objects.latest("started_at")
    assert run.status == "partial"
    assert Observation.objects.filter(tahun=2022).count() == 3


def test_a_file_that_is_not_a_template_is_reported_on_row_1(demo: Personas, media: Path) -> None:
    client = demo.client("admin")
    url = review_url(upload(client, b"nama,umur\nbudi,3\n", "lain.csv"))
    html = client.get(url).content.decode()
    assert "kolom wajib tidak ada" in html
    assert "Tidak ada baris file ini yang dapat disimpan" in html
    assert "simpan/" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.pdf", b"%PDF", "bukan file CSV atau XLSX"),
        ("data.exe", b"MZ", "bukan file CSV atau XLSX"),
    ],
)
def test_an_upload_of_another_kind_of_file_is_refused(
    demo: Personas, media: Path, name: str, content: bytes, message: str
) -> None:
    response = upload(demo.client("admin"), content, name)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_upload_without_a_file_is_refused(demo: Personas, media: Path) -> None:
    response = demo.client("admin").post(WIZARD, {})
    assert response.status_code == 422
    assert "Pilih file yang akan diunggah." in response.content.decode()


def test_rows_outside_the_users_edit_scope_are_refused_and_never_stored(
    demo: Personas, media: Path
) -> None:
    other = Observation.objects.filter(rt__desa_id=BENUA_LAWAS, tahun=2021).first()
    assert other is not None
    rows = [*sarang_halang_rows(2022), observation_row(other, tahun=2022)]
    client = demo.client("facilitator")
    url = review_url(upload(client, template_file(rows), url=DESA_WIZARD))
    html = client.get(url).content.decode()
    assert "di luar wilayah yang boleh Anda ubah" in html
    assert f"<code>{BENUA_LAWAS}</code>" in html
    confirm(client, url, {"skip_invalid": "on"})
    assert ImportRun.objects.latest("started_at").status == "partial"
    assert not Observation.objects.filter(rt__desa_id=BENUA_LAWAS, tahun=2022).exists()
    assert Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2022).count() == 6


def test_rows_of_another_desa_of_the_kabupaten_are_outside_a_desa_import(
    demo: Personas, media: Path
) -> None:
    other = Observation.objects.filter(rt__desa_id=BENUA_LAWAS, tahun=2021).first()
    assert other is not None
    client = demo.client("admin")  # may edit the whole kabupaten, imports into one desa
    url = review_url(
        upload(client, template_file([observation_row(other, tahun=2022)]), url=DESA_WIZARD)
    )
    assert f"di luar wilayah {SARANG_HALANG}" in client.get(url).content.decode()


# --- Scope and methods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "path", "method", "status"),
    [
        ("admin", WIZARD, "get", 200),
        ("facilitator", DESA_WIZARD, "get", 200),
        ("facilitator", WIZARD, "get", 404),
        ("viewer", WIZARD, "get", 403),
        ("reviewer", WIZARD, "post", 403),
        ("viewer", WIZARD, "post", 403),
        ("outsider", WIZARD, "get", 404),
        ("outsider", WIZARD, "post", 404),
        ("admin", WIZARD, "put", 405),
    ],
)
def test_the_wizard_is_for_editors_of_the_region(
    demo: Personas, media: Path, persona: str, path: str, method: str, status: int
) -> None:
    content = template_file(sarang_halang_rows(2022))
    data = {"file": SimpleUploadedFile("rt.csv", content)}
    response = getattr(demo.client(persona), method)(path, data)
    assert response.status_code == status
    assert not (media / "uploads").exists() or status == 200


def test_an_upload_belongs_to_its_uploader_and_region(demo: Personas, media: Path) -> None:
    content = template_file(sarang_halang_rows(2022))
    url = review_url(upload(demo.client("admin"), content))
    assert demo.client("admin").get(url).status_code == 200
    assert demo.client("facilitator").get(url.replace("63.01", SARANG_HALANG, 1)).status_code == 404
    assert demo.client("viewer").get(url).status_code == 403
    assert demo.client("outsider").get(url).status_code == 404
    assert demo.client("viewer").post(url + "simpan/").status_code == 403
    assert demo.client("admin").get(url + "simpan/").status_code == 405
    missing = "/wilayah/63.01/impor/00000000-0000-4000-8000-000000000000/"
    assert demo.client("admin").get(missing).status_code == 404
    response = demo.client("admin").post(missing + "simpan/")
    assert response.status_code == 302
    assert response["Location"] == WIZARD


def test_stale_uploads_are_removed(demo: Personas, media: Path) -> None:
    content = template_file(sarang_halang_rows(2022))
    url = review_url(upload(demo.client("admin"), content))
    later = dt.datetime.now(dt.UTC) + uploads.MAX_AGE + dt.timedelta(minutes=1)
    assert uploads.purge_stale(later) == 1
    assert demo.client("admin").get(url).status_code == 404


# --- History --------------------------------------------------------------------------------------


def test_the_history_lists_the_runs_of_the_users_regions_only(demo: Personas) -> None:
    pekalongan = ImportRun.objects.create(
        kind="motorkawanku", file_name="kumuhRT.json", region_code="33.75", status="committed",
        actor_label="x",
    )  # fmt: skip
    demo_run = ImportRun.objects.get(region_code="63.01")
    admin = demo.client("admin").get("/impor/riwayat/").content.decode()
    assert f"/impor/riwayat/{demo_run.pk}/" in admin
    assert f"/impor/riwayat/{pekalongan.pk}/" not in admin
    outsider = demo.client("outsider").get("/impor/riwayat/").content.decode()
    assert f"/impor/riwayat/{pekalongan.pk}/" in outsider
    assert f"/impor/riwayat/{demo_run.pk}/" not in outsider
    assert demo.client("outsider").get(f"/impor/riwayat/{demo_run.pk}/").status_code == 404
    assert demo.client("viewer").get(f"/impor/riwayat/{demo_run.pk}/").status_code == 200
    assert demo.client("facilitator").get(f"/impor/riwayat/{demo_run.pk}/").status_code == 404
    assert demo.client("admin").get("/impor/riwayat/999999/").status_code == 404
    assert demo.client("admin").post("/impor/riwayat/").status_code == 405
