"""The import wizard for files from other systems: an ODK Central / KoboToolbox export of the RT
survey (drafts for review) and a SIM KOTAKU export (profil layer, status layer beside it). The
template wizard's steps: upload → full report (nothing stored) → confirm → the import job and
its run. Editors of the region only: the viewer is refused, the outsider gets 404, a
facilitator's rows of another desa are left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikumuh.io.guard import Limits
from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads
from sikumuh.jobs.kinds.imports import KIND as IMPORT
from sikumuh.jobs.kinds.imports import VALIDATE
from sikumuh.jobs.models import Job
from sikumuh.surveys.models import Observation, ObservationPhoto, Source, Status
from tests import factories
from tests.conftest import Personas
from tests.io.rt_survey_helpers import answers, kobo_csv, odk_central_csv
from tests.io.simkotaku_files import Export
from tests.io.test_odk_photos import export_zip, jpeg, stored_files
from tests.jobs.support import work_off

pytestmark = pytest.mark.django_db

SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa
BENUA_LAWAS = "63.01.01.2001"  # another desa of Tanah Laut
KOTA = "33.75"  # Kota Pekalongan: the outsider administers it


@pytest.fixture
def places(personas: Personas, settings: Any, tmp_path: Path) -> Personas:
    settings.MEDIA_ROOT = tmp_path / "media"
    here = factories.location("L-01", SARANG_HALANG)
    factories.rt(here, "001")
    factories.rt(here, "002")
    factories.rt(factories.location("L-02", BENUA_LAWAS), "001")
    return personas


def page(code: str, fmt: str) -> str:
    return reverse("web:foreign_import", kwargs={"code": code, "fmt": fmt})


def upload(client: Any, code: str, fmt: str, name: str, data: bytes, **more: Any) -> Any:
    return client.post(page(code, fmt), {"file": SimpleUploadedFile(name, data), **more})


def odk_export(*rows: tuple[str, dict[str, str]]) -> bytes:
    return odk_central_csv(list(rows) or [("a-1", answers()), ("a-2", answers(rt="002"))])


def test_the_rt_data_import_page_links_to_both_formats(places: Personas) -> None:
    html = places.client("admin").get(reverse("web:import_wizard", kwargs={"code": "63.01"}))
    text = html.content.decode()
    assert page("63.01", "odk") in text
    assert page("63.01", "simkotaku") in text


@pytest.mark.parametrize("export", [odk_central_csv, kobo_csv])
def test_an_odk_export_is_checked_then_stored_as_drafts_by_the_import_job(
    places: Personas, export: Any
) -> None:
    client = places.client("admin")
    data = export([("a-1", answers()), ("a-2", answers(rt="002"))])
    response = upload(client, "63.01", "odk", "rt_survey.csv", data)
    assert response.status_code == 302
    review = client.get(response.url)
    assert review.status_code == 200
    assert (review.context["report"]["created"], review.context["report"]["rejected"]) == (2, 0)
    assert 'id="import-format"' in review.content.decode()
    assert Observation.objects.count() == 0  # the review stores nothing
    done = client.post(response.url + "simpan/")
    job = Job.objects.get(kind=IMPORT)
    assert done.url == reverse("web:job", kwargs={"pk": job.pk})
    assert job.params["format"] == "odk"
    work_off()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    run = ImportRun.objects.get(pk=job.result["run_id"])
    assert (run.kind, run.status, run.rows_created, run.actor) == (
        "odk",
        "committed",
        2,
        places["admin"],
    )
    assert set(Observation.objects.values_list("status", "source")) == {(Status.DRAFT, Source.ODK)}


def test_an_odk_export_with_errors_lists_them_and_stores_nothing_by_default(
    places: Personas,
) -> None:
    client = places.client("admin")
    data = odk_export(("a-1", answers()), ("a-2", answers(rt="002", v_1a="-5")))
    response = upload(client, "63.01", "odk", "rt_survey.csv", data)
    review = client.get(response.url)
    [problem] = review.context["errors"]
    assert (problem["row"], problem["file"]) == ("3", "rt_survey.csv")
    client.post(response.url + "simpan/")
    work_off()
    assert Observation.objects.count() == 0
    assert ImportRun.objects.get().status == "rejected"


def test_a_facilitators_submissions_of_another_desa_are_left_out(places: Personas) -> None:
    client = places.client("facilitator")
    there = answers(kode_desa=BENUA_LAWAS, lokasi="L-02")
    response = upload(
        client, SARANG_HALANG, "odk", "rt.csv", odk_export(("a-1", answers()), ("b-1", there))
    )
    review = client.get(response.url)
    [problem] = review.context["errors"]
    # Named by the export's own column (with its group).
    assert (problem["row"], problem["column"], problem["value"]) == (
        "3",
        "identitas-kode_desa",
        BENUA_LAWAS,
    )
    client.post(response.url + "simpan/", {"skip_invalid": "on"})
    work_off()
    assert list(Observation.objects.values_list("rt__location__code", flat=True)) == ["L-01"]


def test_a_simkotaku_export_is_checked_by_a_job_then_stored(
    places: Personas, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    client = places.client("outsider")  # the administrator of Kota Pekalongan
    profil, status = export.write_profil(".geojson"), export.write_status(".geojson")
    response = upload(
        client,
        KOTA,
        "simkotaku",
        profil.name,
        profil.read_bytes(),
        status=SimpleUploadedFile(status.name, status.read_bytes()),
    )
    assert response.status_code == 302
    # A layer is read by GDAL: never in the web request, always in a job.
    assert Job.objects.get(kind=VALIDATE).params["format"] == "simkotaku"
    work_off()
    review = client.get(response.url)
    assert review.context["report"]["created"] == 4, review.context["errors"]
    assert Observation.objects.count() == 0
    client.post(response.url + "simpan/")
    work_off()
    run = ImportRun.objects.get(kind="simkotaku")
    assert (run.status, run.rows_created, run.file_name) == ("committed", 4, profil.name)
    assert run.report["status_differences"] == []
    assert Observation.objects.filter(source=Source.SIMKOTAKU).count() == 4


def test_a_file_that_is_no_simkotaku_layer_is_refused_whole(
    places: Personas, tmp_path: Path
) -> None:
    client = places.client("outsider")
    response = upload(client, KOTA, "simkotaku", "profil.csv", b"nama,luas\nA,1\n")
    assert response.status_code == 422
    assert "Profil Kumuh Basis" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_file_of_another_type_is_refused_on_upload(places: Personas) -> None:
    response = upload(places.client("admin"), "63.01", "odk", "rt.xlsx", b"PK\x03\x04")
    assert response.status_code == 422
    assert "rt.xlsx bukan berkas yang diterima impor ini (.csv, .zip)" in response.content.decode()


# --- The ZIP "CSV with media": the photos come with the submissions ----------------------------


def photo_zip(*rows: tuple[str, dict[str, str]], **members: bytes) -> bytes:
    """Central's ZIP: two submissions with a photo each (or `rows`), and their media."""
    csv_data = odk_export(
        *(rows or (("a-1", answers(foto_2b="jalan.jpg")), ("a-2", answers(rt="002"))))
    )
    return export_zip(csv_data, members or {"media/jalan.jpg": jpeg()})


def test_an_odk_zip_with_photos_is_checked_by_a_job_then_stored_with_its_photos(
    places: Personas, settings: Any
) -> None:
    client = places.client("admin")
    response = upload(client, "63.01", "odk", "rt_survey.zip", photo_zip())
    assert response.status_code == 302
    # A ZIP is never opened in the web request.
    assert Job.objects.get(kind=VALIDATE).params["format"] == "odk"
    work_off()
    review = client.get(response.url)
    assert (review.context["report"]["created"], review.context["errors"]) == (2, [])
    assert Observation.objects.count() == ObservationPhoto.objects.count() == 0
    assert "ZIP ini memuat 1 dari 1 foto yang disebut kiriman" in review.content.decode()
    client.post(response.url + "simpan/")
    work_off()
    run = ImportRun.objects.get(kind="odk")
    assert (run.status, run.rows_created, run.file_name) == ("committed", 2, "rt_survey.zip")
    assert (run.report["photos_named"], run.report["photos_in_zip"]) == (1, 1)
    photo = ObservationPhoto.objects.get()
    assert (photo.criterion, photo.name, photo.submission.observation.rt.rt) == (
        "2b",
        "jalan.jpg",
        "001",
    )
    with photo.file.open("rb") as stream:
        assert stream.read() == jpeg()
    # Stored as the CLI stores them: under the photos' folder, not among the staged uploads.
    assert [f for f in stored_files(Path(settings.MEDIA_ROOT)) if "foto" in f] == [photo.file.name]


def test_a_facilitators_zip_keeps_only_the_photos_of_its_own_desa(places: Personas) -> None:
    there = answers(kode_desa=BENUA_LAWAS, lokasi="L-02", foto_1a="sana.jpg")
    data = photo_zip(
        ("a-1", answers(foto_2b="jalan.jpg")),
        ("b-1", there),
        **{"media/jalan.jpg": jpeg(), "media/sana.jpg": jpeg("green")},
    )
    client = places.client("facilitator")
    response = upload(client, SARANG_HALANG, "odk", "rt.zip", data)
    work_off()
    [problem] = client.get(response.url).context["errors"]
    assert (problem["row"], problem["value"]) == ("3", BENUA_LAWAS)
    client.post(response.url + "simpan/", {"skip_invalid": "on"})
    work_off()
    assert list(ObservationPhoto.objects.values_list("name", flat=True)) == ["jalan.jpg"]


@pytest.mark.parametrize(("who", "code", "status"), [
    ("viewer", "63.01", 403),
    ("reviewer", "63.01", 403),
    ("outsider", "63.01", 404),
    ("facilitator", BENUA_LAWAS, 404),
])  # fmt: skip
def test_a_zip_from_outside_the_editors_is_refused_before_it_is_kept(
    places: Personas, who: str, code: str, status: int
) -> None:
    assert upload(places.client(who), code, "odk", "rt.zip", photo_zip()).status_code == status
    assert not Job.objects.exists()
    assert not uploads.root().exists() or not any(uploads.root().iterdir())


def test_a_zip_that_is_none_is_refused_on_upload(places: Personas) -> None:
    response = upload(places.client("admin"), "63.01", "odk", "rt.zip", b"id,rt\n1,001\n")
    assert response.status_code == 422
    assert "rt.zip bukan berkas yang diterima impor ini" in response.content.decode()
    assert not Job.objects.exists()


def test_a_zip_over_the_uploads_limit_is_refused_on_upload(
    places: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = photo_zip()
    monkeypatch.setattr(uploads, "MAX_BYTES", len(data) - 1)
    response = upload(places.client("admin"), "63.01", "odk", "rt.zip", data)
    assert response.status_code == 422
    assert "rt.zip lebih besar dari" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        # 8 MB of zeros behind a JPEG's first bytes packs to a few KB.
        ({"media/jalan.jpg": b"\xff\xd8\xff" + bytes(8 * 2**20)}, "(bom zip)"),
        ({"../jalan.jpg": jpeg()}, "anggota zip ../jalan.jpg tidak diterima"),
        ({"media/jalan.jpg": b"<?php echo 1; ?>"}, "bukan foto JPEG atau PNG"),
    ],
)
def test_a_hostile_zip_is_refused_whole_by_its_check_and_nothing_is_stored(
    places: Personas, settings: Any, members: dict[str, bytes], reason: str
) -> None:
    client = places.client("admin")
    response = upload(client, "63.01", "odk", "jahat.zip", photo_zip(**members))
    assert response.status_code == 302
    work_off()
    # The job that checked it failed with the reason; the review page tells it.
    assert Job.objects.get(kind=VALIDATE).status == Job.Status.FAILED
    text = client.get(response.url).content.decode()
    assert "jahat.zip: " in text
    assert reason in text
    assert Observation.objects.count() == ObservationPhoto.objects.count() == 0
    assert [f for f in stored_files(Path(settings.MEDIA_ROOT)) if "foto" in f] == []


def test_a_zip_unpacking_past_the_uploads_bound_is_refused(
    places: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKUMUH_ODK_MAX_EXPORT_BYTES", str(2**30))  # the CLI's bound is wide
    bound = Limits(max_inflated_bytes=1000)
    monkeypatch.setattr("sikumuh.io.wizard.formats.limits", lambda: bound)
    client = places.client("admin")
    response = upload(client, "63.01", "odk", "rt.zip", photo_zip())
    work_off()
    assert "rt.zip: zip ini terurai menjadi lebih dari" in client.get(response.url).content.decode()


@pytest.mark.parametrize("fmt", ["odk", "simkotaku"])
@pytest.mark.parametrize(("who", "code", "status"), [
    ("admin", "63.01", 200),
    ("facilitator", SARANG_HALANG, 200),
    ("viewer", "63.01", 403),
    ("outsider", "63.01", 404),
    ("facilitator", BENUA_LAWAS, 404),
    ("admin", "99.99", 404),
])  # fmt: skip
def test_the_upload_page_is_for_the_regions_editors(
    places: Personas, fmt: str, who: str, code: str, status: int
) -> None:
    client = places.client(who)
    assert client.get(page(code, fmt)).status_code == status
    if status != 200:
        assert upload(client, code, fmt, "rt.csv", odk_export()).status_code == status
        assert not Job.objects.exists()


def test_an_unknown_format_and_the_templates_own_name_answer_404(places: Personas) -> None:
    client = places.client("admin")
    assert client.get(page("63.01", "shapefile")).status_code == 404
    assert client.get(page("63.01", "templat")).status_code == 404


def test_the_review_and_confirmation_are_the_uploaders_only(places: Personas) -> None:
    response = upload(places.client("admin"), "63.01", "odk", "rt.csv", odk_export())
    url = response.url
    assert places.client("reviewer").get(url).status_code == 403  # reviewers do not import
    assert places.client("viewer").get(url).status_code == 403
    assert places.client("outsider").get(url).status_code == 404
    # Another format's wizard does not take the upload.
    assert places.client("admin").get(url.replace("/odk/", "/simkotaku/")).status_code == 404
    assert places.client("viewer").post(url + "simpan/").status_code == 403
    assert places.client("outsider").post(url + "simpan/").status_code == 404
    assert not Job.objects.filter(kind=IMPORT).exists()


def test_a_status_layer_beside_a_small_csv_is_still_read_in_a_job(
    places: Personas, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    profil, status = export.write_profil(".csv"), export.write_status(".geojson")
    response = upload(
        places.client("outsider"),
        KOTA,
        "simkotaku",
        profil.name,
        profil.read_bytes(),
        status=SimpleUploadedFile(status.name, status.read_bytes()),
    )
    assert response.status_code == 302
    assert Job.objects.filter(kind=VALIDATE).exists()


def test_a_bad_upload_id_and_wrong_methods(places: Personas) -> None:
    client = places.client("admin")
    unknown = "00000000-0000-4000-8000-000000000000"
    review = reverse(
        "web:foreign_import_review", kwargs={"code": "63.01", "fmt": "odk", "upload": unknown}
    )
    assert client.get(review).status_code == 404
    gone = client.post(review + "simpan/")
    assert (gone.status_code, gone.url) == (302, page("63.01", "odk"))
    assert client.put(page("63.01", "odk")).status_code == 405
    assert client.post(review).status_code == 405
    assert client.get(review + "simpan/").status_code == 405


@pytest.mark.parametrize(
    ("form", "created", "stored", "severity"),
    [({}, 3, 3, "error"), ({"negatives_as_zero": "on"}, 4, 4, "warning")],
)
def test_negative_percentages_are_scored_as_0_when_the_upload_asks_it(
    places: Personas,
    tmp_path: Path,
    form: dict[str, str],
    created: int,
    stored: int,
    severity: str,
) -> None:
    export = Export(tmp_path)
    export.rts[1].percents["4a"] = "-100.0"
    profil = export.write_profil(".geojson")
    client = places.client("outsider")
    response = upload(client, KOTA, "simkotaku", profil.name, profil.read_bytes(), **form)
    page_html = client.get(page(KOTA, "simkotaku")).content.decode()
    assert 'name="negatives_as_zero"' in page_html
    work_off()
    review = client.get(response.url)
    assert review.context["report"]["created"] == created
    found = [*review.context["errors"], *review.context["report"]["warnings"]]
    assert [(p["column"], p["severity"]) for p in found if p["column"] == "k4_a_p"] == [
        ("k4_a_p", severity)
    ]
    client.post(response.url + "simpan/", {"skip_invalid": "on"})
    work_off()  # the import job reads the choice the upload kept, as the check did
    assert Observation.objects.count() == stored
    assert ImportRun.objects.get(kind="simkotaku").report.get("negatives_as_zero", False) == bool(
        form
    )
