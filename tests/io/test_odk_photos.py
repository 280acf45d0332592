"""The photos of the RT survey's submissions: the ZIP "CSV with media" of ODK Central and
KoboToolbox, read with every member checked, each photo stored once with its observation and
criterion, shown on the RT page through a scoped view, and carried by the backup."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from sikumuh.accounts.actions import grant_role
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.cli import main
from sikumuh.io.backup.dump import media_files
from sikumuh.io.backup.tables import applied_nodes, migration_loader, state_apps, tables_of
from sikumuh.io.importer import ImportReport
from sikumuh.io.models import ImportRun
from sikumuh.io.odk_rt_import import import_rt_submissions
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, ObservationPhoto
from tests.conftest import PASSWORD, Personas
from tests.factories import location, rt
from tests.io.rt_survey_helpers import answers, kobo_csv, odk_central_csv

pytestmark = pytest.mark.django_db
REGION = "63.01"
ZIP_NAME = "sikumuh_rt_63_01_2026.zip"


def jpeg(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def export_zip(csv_data: bytes, members: dict[str, bytes], csv_name: str = "form.csv") -> bytes:
    """A "CSV with media" ZIP: the CSV at the root and the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, csv_data)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def region(personas: Personas) -> str:
    loc = location("L-01", "63.01.03.1001")
    rt(loc, "001")
    rt(loc, "002")
    return REGION


def run(data: bytes | Path, file_name: str = ZIP_NAME) -> ImportReport:
    with translation.override("id"):
        return import_rt_submissions(
            data, actor=Actor.system(), file_name=file_name, region_code=REGION
        )


def central_zip() -> bytes:
    submissions = [
        ("a-1", answers(foto_2b="jalan.jpg", foto_4a="air.png")),
        ("a-2", answers(rt="002", foto_2b="jalan2.jpg")),
    ]
    members = {"media/jalan.jpg": jpeg(), "media/air.png": png(), "media/jalan2.jpg": jpeg("green")}
    return export_zip(odk_central_csv(submissions), members)


def content(photo: ObservationPhoto) -> bytes:
    with photo.file.open("rb") as stream:
        data: bytes = stream.read()
    return data


def stored_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_photos_of_a_central_zip_are_stored_per_observation_and_criterion(
    region: str, media: Path
) -> None:
    report = run(central_zip())
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    assert report.warnings == []
    assert (report.extra["photos_named"], report.extra["photos_in_zip"]) == (3, 3)
    photos = {
        (p.submission.observation.rt.rt, p.criterion): p
        for p in ObservationPhoto.objects.select_related("submission__observation__rt")
    }
    assert sorted(photos) == [("001", "2b"), ("001", "4a"), ("002", "2b")]
    assert content(photos[("001", "2b")]) == jpeg()
    assert photos[("001", "4a")].file.name.endswith(".png")
    assert photos[("001", "2b")].name == "jalan.jpg"
    assert len(stored_files(media)) == 3
    assert AuditEntry.objects.filter(action="observation.photo").count() == 3


def test_a_reimport_keeps_one_copy(region: str, media: Path) -> None:
    data = central_zip()
    run(data)
    before = stored_files(media)
    again = run(data)
    assert again.status == ImportRun.Status.UNCHANGED
    assert again.extra["changes_kept"] == 0
    assert ObservationPhoto.objects.count() == 3
    assert stored_files(media) == before


def test_kobo_attachments_are_matched_by_the_submissions_folder(region: str) -> None:
    # Both submissions name their photo "1.jpg": the instance's folder tells them apart.
    csv_data = kobo_csv(
        [("k-1", answers(foto_1a="1.jpg")), ("k-2", answers(rt="002", foto_1a="1.jpg"))]
    )
    members = {
        "tim/attachments/k-1/1.jpg": jpeg("red"),
        "tim/attachments/k-2/1.jpg": jpeg("yellow"),
    }
    report = run(export_zip(csv_data, members, "tim/sikumuh.csv"))
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    by_rt = {
        p.submission.observation.rt.rt: content(p)
        for p in ObservationPhoto.objects.select_related("submission__observation__rt")
    }
    assert by_rt == {"001": jpeg("red"), "002": jpeg("yellow")}


def test_the_csv_alone_names_the_photos_and_the_zip_brings_them_later(
    region: str, personas: Personas
) -> None:
    csv_data = odk_central_csv([("a-1", answers(foto_2b="jalan.jpg"))])
    report = run(csv_data, "rt_survey.csv")
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    named = ObservationPhoto.objects.get()
    assert (named.name, bool(named.file)) == ("jalan.jpg", False)
    obs = Observation.objects.get()
    url = reverse("web:rt_form", kwargs={"pk": obs.rt_id, "tahun": obs.tahun})
    html = personas.client("viewer").get(url).content.decode()
    assert "jalan.jpg (hanya nama" in html
    assert personas.client("admin").get(reverse("web:rt_photo", args=[named.pk])).status_code == 404

    run(export_zip(csv_data, {"media/jalan.jpg": jpeg()}))
    named.refresh_from_db()
    assert content(named) == jpeg()
    assert ObservationPhoto.objects.count() == 1
    # The CSV again does not take the stored photo away.
    run(csv_data, "rt_survey.csv")
    named.refresh_from_db()
    assert named.file


def test_a_photo_missing_from_the_zip_is_a_warning(region: str) -> None:
    data = export_zip(odk_central_csv([("a-1", answers(foto_3a="hilang.jpg"))]), {})
    report = run(data)
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == ("2", "aspek_3-foto_3a", "hilang.jpg")
    assert "tidak ada dalam zip" in warning.reason
    assert ObservationPhoto.objects.get().name == "hilang.jpg"


@pytest.mark.parametrize(
    ("members", "member", "reason"),
    [
        ({"../jalan.jpg": b"x"}, "../jalan.jpg", "tidak diterima"),
        ({"media\\..\\..\\jalan.jpg": b"x"}, "media\\..\\..\\jalan.jpg", "tidak diterima"),
        ({"media/C:evil.jpg": b"x"}, "media/C:evil.jpg", "tidak diterima"),
        ({"/etc/jalan.jpg": b"x"}, "/etc/jalan.jpg", "tidak diterima"),
        ({"media/jalan.jpg": b"<?php echo 1; ?>"}, "media/jalan.jpg", "bukan foto JPEG atau PNG"),
        ({"media/kosong.jpg": b""}, "media/kosong.jpg", "bukan foto JPEG atau PNG"),
        ({"media/besar.jpg": b"\xff\xd8\xff" + b"\x00" * 5000}, "media/besar.jpg", "paling besar"),
    ],
)
def test_a_hostile_zip_is_refused_naming_the_file_and_member(
    region: str,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    members: dict[str, bytes],
    member: str,
    reason: str,
) -> None:
    monkeypatch.setenv("SIKUMUH_ODK_MAX_PHOTO_BYTES", "4096")
    csv_data = odk_central_csv([("a-1", answers(foto_2b="jalan.jpg"))])
    report = run(export_zip(csv_data, {"media/ok.jpg": jpeg(), **members}))
    assert report.status == ImportRun.Status.REJECTED
    [error] = report.errors
    assert error.reason.startswith(f"{ZIP_NAME}: ")
    assert member in error.reason
    assert reason in error.reason
    assert Observation.objects.count() == ObservationPhoto.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not a zip", "bukan berkas zip"),
        (export_zip(b"", {}, "notes.txt"), "tidak berisi ekspor CSV"),
        (
            export_zip(b"a,b\n", {"b.csv": b"a,b\n"}, "a.csv"),
            "beberapa berkas CSV (a.csv, b.csv)",
        ),
    ],
    # Named, not by their bytes: a zip's bytes hold the time it was made, and the test ids must
    # be the same in every process that collects them (pytest-xdist's workers).
    ids=["not-a-zip", "no-csv", "two-csvs"],
)
def test_a_zip_that_is_not_an_export_is_refused(region: str, data: bytes, reason: str) -> None:
    report = run(data)
    assert report.status == ImportRun.Status.REJECTED
    assert reason in report.errors[0].reason
    assert report.errors[0].reason.startswith(ZIP_NAME)


def test_the_cli_imports_a_zip(region: str, tmp_path: Path) -> None:
    path = tmp_path / ZIP_NAME
    path.write_bytes(central_zip())
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "odk", str(path), "--region", REGION], out, err) == 0
    assert "status: tersimpan" in out.getvalue()
    assert ObservationPhoto.objects.exclude(file="").count() == 3
    hostile = tmp_path / "jahat.zip"
    hostile.write_bytes(export_zip(odk_central_csv([("a-9", answers())]), {"x.jpg": b"GIF89a"}))
    with translation.override("id"):
        assert main(["import", "odk", str(hostile), "--region", REGION], out, err) == 1
    assert "jahat.zip: anggota zip x.jpg bukan foto JPEG atau PNG" in out.getvalue()


def test_the_backup_carries_the_photos_and_their_rows(region: str) -> None:
    run(central_zip())
    files = [relative for relative, _path in media_files()]
    assert len([f for f in files if f.startswith("survei-rt/foto/")]) == 3
    loader = migration_loader()
    labels = {t.label for t in tables_of(state_apps(loader, applied_nodes(loader)))}
    assert {"surveys.observationphoto", "surveys.observationsubmission"} <= labels


# --- The photo view: the persona checklist ------------------------------------------------------


@pytest.fixture
def photo(region: str) -> ObservationPhoto:
    run(central_zip())
    return ObservationPhoto.objects.get(submission__observation__rt__rt="001", criterion="2b")


def other_desa_facilitator() -> Client:
    user = User.objects.create_user("fasilitator-lain", password=PASSWORD)
    grant_role(
        actor=Actor.system("test"),
        user=user,
        region=Region.objects.get(code="63.01.03.1002"),
        role="editor",
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("reviewer", 200),
        ("facilitator", 200),
        ("viewer", 200),
        ("outsider", 404),
        ("other-desa", 404),
    ],
)
def test_the_photo_is_served_inside_the_scope_only(
    photo: ObservationPhoto, personas: Personas, who: str, status: int
) -> None:
    client = other_desa_facilitator() if who == "other-desa" else personas.client(who)
    response = client.get(reverse("web:rt_photo", args=[photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == jpeg()  # type: ignore[attr-defined]


def test_the_photo_view_refuses_anonymous_unknown_ids_and_writes(
    photo: ObservationPhoto, personas: Personas
) -> None:
    url = reverse("web:rt_photo", args=[photo.pk])
    assert Client().get(url).status_code == 302
    admin = personas.client("admin")
    assert admin.get(reverse("web:rt_photo", args=[photo.pk + 999])).status_code == 404
    assert admin.post(url).status_code == 405


def test_the_rt_page_links_each_photo_per_criterion(
    photo: ObservationPhoto, personas: Personas
) -> None:
    obs = photo.submission.observation
    link = reverse("web:rt_photo", args=[photo.pk])
    for url in (
        reverse("web:rt_form", kwargs={"pk": obs.rt_id, "tahun": obs.tahun}),
        reverse("web:rt", args=[obs.rt_id]),
    ):
        html = personas.client("facilitator").get(url).content.decode()
        assert f'<a href="{link}"' in html
        assert "Foto kriteria 2b" in html
        assert 'data-code="4a"' in html
        assert "/media/" not in html
    assert default_storage.exists(photo.file.name)


def test_a_zip_over_the_export_limit_is_refused_before_it_is_opened(
    region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKUMUH_ODK_MAX_EXPORT_BYTES", "1000")
    report = run(central_zip())
    assert report.status == ImportRun.Status.REJECTED
    assert report.errors[0].reason.startswith(f"{ZIP_NAME}: berkas berukuran")
    assert Observation.objects.count() == 0
