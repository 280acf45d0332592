"""The data-collection pages: progress, recording, detail, edit, delete, attachments.

Persona checklist on every URL: works; in-scope user ok; outsider 404; read-only role refused
(403) on writes; bad id 404; wrong method 405.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.demo.build import build_demo
from sikumuh.fieldwork.actions import create_fgd, create_sosialisasi
from sikumuh.fieldwork.models import Fgd, Sosialisasi
from sikumuh.regions.models import Region

ACTOR = Actor.system("test")
DAY = dt.date(2021, 6, 14)
DESA = "63.01.03.1001"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name: str = "notulen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 notulen", content_type="application/pdf")


@pytest.fixture
def records(personas: Any, media: Path) -> dict[str, Any]:
    """A sosialisasi in Pelaihari and an FGD in the facilitator's desa, both with a file."""
    return {
        "sosialisasi": create_sosialisasi(
            actor=ACTOR,
            kecamatan=Region.objects.get(code="63.01.03"),
            date=DAY,
            participants=40,
            attachment=pdf(),
        ),
        "fgd": create_fgd(
            actor=ACTOR, desa=Region.objects.get(code=DESA), date=DAY, attachment=pdf("foto.jpg")
        ),
    }


# --- The progress page -------------------------------------------------------------------------


def test_the_demo_progress_page_shows_the_reports_figures(personas: Any) -> None:
    build_demo(actor=ACTOR)
    response = personas.client("viewer").get("/wilayah/63.01/pendataan/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "7 kecamatan" in text
    assert "FGD 35 dari 48 desa" in text
    assert "(72,9 %)" in text
    assert "SK DEMO/188.45/2020 (2020)" in text
    assert "Data demo sintetis" not in text  # notes are on the detail pages, not the list
    assert "Catat sosialisasi" not in text  # a viewer gets no form


def test_the_progress_page_in_english_says_of(personas: Any) -> None:
    build_demo(actor=ACTOR)
    client = personas.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/wilayah/63.01/pendataan/").content.decode()
    assert "FGD 35 of 48 desa" in text
    assert "(72.9 %)" in text


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("admin", "63.01", 200),
        ("reviewer", "63.01", 200),
        ("viewer", "63.01", 200),
        ("facilitator", DESA, 200),
        ("facilitator", "63.01", 404),  # a desa's facilitator does not see the kabupaten
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
    ],
)
def test_the_progress_page_is_scoped(personas: Any, who: str, code: str, status: int) -> None:
    assert personas.client(who).get(f"/wilayah/{code}/pendataan/").status_code == status


def test_the_progress_page_answers_only_get(personas: Any) -> None:
    assert personas.client("admin").post("/wilayah/63.01/pendataan/").status_code == 405


def test_editors_get_the_forms_for_what_they_may_record(personas: Any) -> None:
    admin = personas.client("admin").get("/wilayah/63.01/pendataan/").content.decode()
    assert "Catat sosialisasi" in admin
    assert "Catat FGD" in admin
    facilitator = personas.client("facilitator").get(f"/wilayah/{DESA}/pendataan/")
    text = facilitator.content.decode()
    assert "Catat sosialisasi" not in text  # the kecamatan is not theirs
    assert "Catat FGD" in text
    assert facilitator.context["fgd_form"].fields["desa"].choices == [(DESA, "Sarang Halang")]


# --- Recording ---------------------------------------------------------------------------------


def test_an_admin_records_a_sosialisasi_with_minutes(personas: Any, media: Path) -> None:
    response = personas.client("admin").post(
        "/wilayah/63.01/pendataan/sosialisasi/baru/",
        {
            "kecamatan": "63.01.03",
            "date": "2021-03-01",
            "place": "Aula Kecamatan",
            "participants": "33",
            "notes": "Camat membuka.",
            "attachment": pdf(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/wilayah/63.01/pendataan/"
    sosialisasi = Sosialisasi.objects.get()
    assert (sosialisasi.kecamatan_id, sosialisasi.participants) == ("63.01.03", 33)
    assert sosialisasi.attachment_name == "notulen.pdf"
    entry = AuditEntry.objects.get(action="sosialisasi.create")
    assert entry.actor_label == "admin"


def test_the_facilitator_records_an_fgd_in_their_desa(personas: Any) -> None:
    response = personas.client("facilitator").post(
        f"/wilayah/{DESA}/pendataan/fgd/baru/",
        {"desa": DESA, "date": "2021-06-01", "participants": "20", "delineation_agreed": "on"},
    )
    assert response.status_code == 302
    fgd = Fgd.objects.get()
    assert (fgd.desa_id, fgd.delineation_agreed, fgd.created_by) == (
        DESA,
        True,
        personas["facilitator"],
    )


@pytest.mark.parametrize(
    ("who", "url", "data", "status"),
    [
        ("viewer", "/wilayah/63.01/pendataan/sosialisasi/baru/", {"kecamatan": "63.01.03"}, 403),
        ("reviewer", "/wilayah/63.01/pendataan/fgd/baru/", {"desa": DESA}, 403),
        ("outsider", "/wilayah/63.01/pendataan/fgd/baru/", {"desa": DESA}, 404),
        ("facilitator", "/wilayah/63.01/pendataan/fgd/baru/", {"desa": DESA}, 404),
        (
            "facilitator",
            f"/wilayah/{DESA}/pendataan/sosialisasi/baru/",
            {"kecamatan": "63.01.03"},
            403,
        ),
        # A desa outside the page's region, or one the user may not edit, is not a choice.
        ("facilitator", f"/wilayah/{DESA}/pendataan/fgd/baru/", {"desa": "63.01.03.1002"}, 400),
        ("admin", "/wilayah/63.01/pendataan/fgd/baru/", {"desa": "33.75.01.1001"}, 400),
        ("admin", "/wilayah/63.01/pendataan/sosialisasi/baru/", {"kecamatan": DESA}, 400),
    ],
)
def test_recording_is_refused_outside_what_the_user_may_edit(
    personas: Any, who: str, url: str, data: dict[str, str], status: int
) -> None:
    response = personas.client(who).post(url, {"date": "2021-06-01", **data})
    assert response.status_code == status
    assert not Fgd.objects.exists()
    assert not Sosialisasi.objects.exists()


def test_an_invalid_record_comes_back_with_the_reason(personas: Any) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = personas.client("admin").post(
        "/wilayah/63.01/pendataan/fgd/baru/", {"desa": DESA, "date": future}
    )
    assert response.status_code == 400
    assert "tanggal pertemuan tidak boleh di masa depan" in response.content.decode()
    response = personas.client("admin").post(
        "/wilayah/63.01/pendataan/fgd/baru/", {"desa": DESA, "date": "kemarin"}
    )
    assert response.status_code == 400


def test_recording_answers_only_post(personas: Any) -> None:
    response = personas.client("admin").get("/wilayah/63.01/pendataan/sosialisasi/baru/")
    assert response.status_code == 405


# --- Detail, edit, delete ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("admin", "sosialisasi", 200),
        ("viewer", "sosialisasi", 200),
        ("facilitator", "sosialisasi", 404),  # the kecamatan is outside a desa's scope
        ("facilitator", "fgd", 200),
        ("reviewer", "fgd", 200),
        ("outsider", "fgd", 404),
        ("outsider", "sosialisasi", 404),
    ],
)
def test_detail_pages_are_scoped(
    records: dict[str, Any], personas: Any, who: str, kind: str, status: int
) -> None:
    url = f"/pendataan/{kind}/{records[kind].pk}/"
    assert personas.client(who).get(url).status_code == status


def test_a_detail_page_shows_the_record_and_its_history(
    records: dict[str, Any], personas: Any
) -> None:
    response = personas.client("admin").get(f"/pendataan/sosialisasi/{records['sosialisasi'].pk}/")
    text = response.content.decode()
    assert "14 Juni 2021" in text
    assert "Riwayat perubahan" in text
    assert "Sosialisasi dicatat" in text  # the action as a sentence (issue 12)
    assert response.context["audit_entries"][0].entry.action == "sosialisasi.create"


def test_detail_bad_id_and_wrong_method(records: dict[str, Any], personas: Any) -> None:
    client = personas.client("admin")
    assert client.get("/pendataan/fgd/999999/").status_code == 404
    assert client.post(f"/pendataan/fgd/{records['fgd'].pk}/").status_code == 405
    assert client.get(f"/pendataan/fgd/{records['fgd'].pk}/ubah/").status_code == 405
    assert client.get(f"/pendataan/fgd/{records['fgd'].pk}/hapus/").status_code == 405


def test_editing_shows_before_and_after_in_the_panel(
    records: dict[str, Any], personas: Any
) -> None:
    fgd = records["fgd"]
    client = personas.client("facilitator")
    response = client.post(
        f"/pendataan/fgd/{fgd.pk}/ubah/",
        {"date": "2021-06-14", "participants": "25", "delineation_agreed": "on"},
    )
    assert response.status_code == 302
    text = client.get(f"/pendataan/fgd/{fgd.pk}/").content.decode()
    assert "FGD diubah" in text  # the action as a sentence (issue 12)
    # Fields by their labels, not their names (issue 12).
    assert '<span class="field">peserta</span>: <del>–</del>' in text
    assert "<ins>25</ins>" in text
    assert '<span class="field">delineasi disepakati</span>: <del>tidak</del>' in text


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("viewer", "fgd", 403),
        ("reviewer", "sosialisasi", 403),
        ("outsider", "fgd", 404),
        ("facilitator", "sosialisasi", 404),
    ],
)
def test_edit_and_delete_are_refused_outside_edit_rights(
    records: dict[str, Any], personas: Any, who: str, kind: str, status: int
) -> None:
    pk = records[kind].pk
    client = personas.client(who)
    assert client.post(f"/pendataan/{kind}/{pk}/ubah/", {"date": "2021-01-05"}).status_code == (
        status
    )
    assert client.post(f"/pendataan/{kind}/{pk}/hapus/").status_code == status
    assert records[kind].__class__.objects.get(pk=pk).date == DAY


def test_deleting_returns_to_the_widest_progress_page_the_user_sees(
    records: dict[str, Any], personas: Any
) -> None:
    response = personas.client("admin").post(f"/pendataan/fgd/{records['fgd'].pk}/hapus/")
    assert response["Location"] == "/wilayah/63.01/pendataan/"
    assert not Fgd.objects.exists()
    response = personas.client("admin").post(
        f"/pendataan/sosialisasi/{records['sosialisasi'].pk}/hapus/"
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action__endswith=".delete").count() == 2


# --- Attachments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("admin", "sosialisasi", 200),
        ("viewer", "sosialisasi", 200),
        ("facilitator", "fgd", 200),
        ("facilitator", "sosialisasi", 404),
        ("outsider", "sosialisasi", 404),
        ("outsider", "fgd", 404),
    ],
)
def test_attachments_are_served_only_within_the_scope(
    records: dict[str, Any], personas: Any, who: str, kind: str, status: int
) -> None:
    response = personas.client(who).get(f"/pendataan/lampiran/{kind}/{records[kind].pk}/")
    assert response.status_code == status
    if status == 200:
        name = "notulen.pdf" if kind == "sosialisasi" else "foto.jpg"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")  # type: ignore[attr-defined]


def test_attachment_bad_kind_bad_id_no_file_wrong_method(
    records: dict[str, Any], personas: Any
) -> None:
    client = personas.client("admin")
    assert client.get(f"/pendataan/lampiran/rapat/{records['fgd'].pk}/").status_code == 404
    assert client.get("/pendataan/lampiran/fgd/999999/").status_code == 404
    bare = create_fgd(actor=ACTOR, desa=Region.objects.get(code="63.01.03.1002"), date=DAY)
    assert client.get(f"/pendataan/lampiran/fgd/{bare.pk}/").status_code == 404
    assert client.post(f"/pendataan/lampiran/fgd/{records['fgd'].pk}/").status_code == 405


def test_attachments_have_no_public_media_url(settings: Any) -> None:
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/fieldwork/fgd/2021/lampiran.pdf")


def test_a_national_administrator_sees_the_national_pages_without_forms(
    records: dict[str, Any], personas: Any
) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.create_superuser("pusat", password="sandi-pusat-123"))
    response = client.get("/wilayah/ID/pendataan/")
    assert response.status_code == 200
    assert response.context["fgd_form"] is None
    assert response.context["progress"].all_kecamatan > 11  # Tanah Laut's and Pekalongan's
    assert client.get("/wilayah/ID/tinjauan/").status_code == 200
    assert client.get("/wilayah/ID/audit/").status_code == 200
