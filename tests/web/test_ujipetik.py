"""Uji petik pages, each with the persona checklist: works, in-scope ok, outsider 404,
read-only refused (403) on writes, bad id 404, wrong method 405."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikumuh.audit.models import AuditEntry
from sikumuh.inspections.actions.checklists import add_follow_up, record_finding
from sikumuh.inspections.models import (
    Checklist,
    Finding,
    FollowUp,
    Resurvey,
    SampleItem,
    UjiPetik,
)
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.inspections.helpers import SARANG_HALANG, build_works, draw

pytestmark = pytest.mark.django_db


def png() -> bytes:
    """A 2×2 PNG, for the finding photo."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def up(personas: Personas) -> UjiPetik:
    build_works()
    return draw(n=6, seed=42)


def own_item(up: UjiPetik) -> SampleItem:
    """An item in the facilitator's desa (Sarang Halang)."""
    item = up.items.filter(desa_code=SARANG_HALANG).first()
    assert item is not None
    return item


def other_item(up: UjiPetik) -> SampleItem:
    item = up.items.exclude(desa_code=SARANG_HALANG).first()
    assert item is not None
    return item


def draw_data(**changes: Any) -> dict[str, Any]:
    data = {
        "tahun": ["2021"],
        "population": "investments",
        "strata": ["kecamatan", "aspect"],
        "n": "5",
        "minimum": "1",
        "allocation": "size",
        "seed": "123",
        "purposive": "",
        "purposive_reason": "",
        "title": "",
        "note": "",
    }
    data.update(changes)
    return data


# --- List and draw -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("reviewer", 200), ("viewer", 200), ("facilitator", 404), ("outsider", 404)],
)
def test_the_kabupaten_list_is_shown_in_scope_only(
    up: UjiPetik, personas: Personas, persona: str, status: int
) -> None:
    response = personas.client(persona).get("/wilayah/63.01/uji-petik/")
    assert response.status_code == status
    if status == 200:
        assert up.title in response.content.decode()


def test_the_list_is_in_bahasa_indonesia_and_the_navigation_links_to_it(
    up: UjiPetik, personas: Personas
) -> None:
    page = personas.client("admin").get("/wilayah/63.01/uji-petik/").content.decode()
    assert "Tarik sampel baru" in page
    assert 'href="/wilayah/63.01/uji-petik/"' in page


def test_only_the_pokja_sees_the_draw_form(up: UjiPetik, personas: Personas) -> None:
    assert (
        'id="draw"' in personas.client("reviewer").get("/wilayah/63.01/uji-petik/").content.decode()
    )
    assert (
        'id="draw"'
        not in personas.client("viewer").get("/wilayah/63.01/uji-petik/").content.decode()
    )


def test_a_facilitator_sees_the_sampled_works_of_their_desa(
    up: UjiPetik, personas: Personas
) -> None:
    response = personas.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/uji-petik/")
    assert response.status_code == 200
    page = response.content.decode()
    assert own_item(up).key in page
    assert other_item(up).key not in page
    assert f"/uji-petik/{up.pk}/" not in page  # the kabupaten's page is not theirs


def test_a_reviewer_draws_a_sample(up: UjiPetik, personas: Personas) -> None:
    response = personas.client("reviewer").post("/wilayah/63.01/uji-petik/", draw_data())
    assert response.status_code == 302
    drawn = UjiPetik.objects.exclude(pk=up.pk).get()
    assert response["Location"] == f"/uji-petik/{drawn.pk}/"
    assert (drawn.seed, drawn.drawn_by_label) == (123, "reviewer")
    assert AuditEntry.objects.filter(action="uji_petik.draw", actor_label="reviewer").exists()


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("viewer", "63.01", 403),
        ("facilitator", "63.01", 404),
        ("outsider", "63.01", 404),
        ("admin", "63.01.03", 404),  # samples are drawn for a kabupaten
        ("admin", "99.99", 404),
    ],
)
def test_drawing_is_refused_outside_the_pokja(
    up: UjiPetik, personas: Personas, persona: str, code: str, status: int
) -> None:
    response = personas.client(persona).post(f"/wilayah/{code}/uji-petik/", draw_data())
    assert response.status_code == status
    assert UjiPetik.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [{"n": "0"}, {"tahun": []}, {"strata": ["klass"]}, {"purposive": "abc"}, {"tahun": ["1999"]}],
)
def test_an_invalid_draw_form_is_shown_again(
    up: UjiPetik, personas: Personas, changes: dict[str, Any]
) -> None:
    response = personas.client("admin").post("/wilayah/63.01/uji-petik/", draw_data(**changes))
    assert response.status_code == 400
    assert UjiPetik.objects.count() == 1


def test_the_list_answers_only_get_and_post(up: UjiPetik, personas: Personas) -> None:
    assert personas.client("admin").put("/wilayah/63.01/uji-petik/").status_code == 405


# --- Detail, XLSForm, submissions, purposive ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("viewer", 200), ("facilitator", 404), ("outsider", 404)],
)
def test_the_detail_page_is_shown_in_scope_only(
    up: UjiPetik, personas: Personas, persona: str, status: int
) -> None:
    response = personas.client(persona).get(f"/uji-petik/{up.pk}/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert f'<code id="seed">{up.seed}</code>' in page
        assert own_item(up).key in page


def test_a_viewer_sees_no_form_on_the_detail_page(up: UjiPetik, personas: Personas) -> None:
    page = personas.client("viewer").get(f"/uji-petik/{up.pk}/").content.decode()
    assert 'id="submissions"' not in page
    assert 'id="purposive"' not in page
    admin = personas.client("admin").get(f"/uji-petik/{up.pk}/").content.decode()
    assert 'id="submissions"' in admin
    assert 'id="purposive"' in admin


def test_detail_bad_id_and_wrong_method(up: UjiPetik, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.get("/uji-petik/99999/").status_code == 404
    assert client.post(f"/uji-petik/{up.pk}/").status_code == 405


def test_the_xlsform_is_downloaded_in_scope(up: UjiPetik, personas: Personas) -> None:
    response = personas.client("viewer").get(f"/uji-petik/{up.pk}/xlsform.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert personas.client("outsider").get(f"/uji-petik/{up.pk}/xlsform.xlsx").status_code == 404
    assert personas.client("admin").get("/uji-petik/99999/xlsform.xlsx").status_code == 404
    assert personas.client("admin").post(f"/uji-petik/{up.pk}/xlsform.xlsx").status_code == 405


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")


def test_an_odk_export_is_uploaded_and_its_report_shown(up: UjiPetik, personas: Personas) -> None:
    text = (
        "SubmissionDate,item,kondisi-function,meta-instanceID\n"
        f"2021-11-01T01:00:00Z,UP{up.pk}-1,berfungsi,uuid:w1\n"
        f"2021-11-01T01:00:00Z,UP{up.pk}-99,berfungsi,uuid:w2\n"
    )
    client = personas.client("admin")
    response = client.post(f"/uji-petik/{up.pk}/impor-odk/", {"file": csv_upload(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"UP{up.pk}-99" in page  # the unmatched row, with its value
    assert "(ODK Central)" in page  # the form server by name, not "odk" (issue 12)
    assert "tidak ada butir sampel dengan kunci ini" in page  # the reason in Indonesian
    assert not Checklist.objects.exists()
    response = client.post(
        f"/uji-petik/{up.pk}/impor-odk/", {"file": csv_upload(text), "skip_invalid": "on"}
    )
    assert Checklist.objects.get().submission_id == "uuid:w1"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("item,meta-instanceID\nUP1-1," + "x" * 140_000 + "\n", "tidak dapat dibaca sebagai CSV"),
        ("item,meta-instanceID\nUP1-1,uuid:a\x00b\n", "kolom meta-instanceID: sel berisi"),
    ],
    ids=["cell-over-128-kb", "nul-in-a-cell"],
)
def test_a_hostile_odk_export_gets_its_report_not_a_server_error(
    up: UjiPetik, personas: Personas, text: str, words: str
) -> None:
    client = personas.client("admin")
    response = client.post(f"/uji-petik/{up.pk}/impor-odk/", {"file": csv_upload(text)})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Checklist.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("outsider", 404)])
def test_uploading_submissions_is_refused_to_readers_and_outsiders(
    up: UjiPetik, personas: Personas, persona: str, status: int
) -> None:
    response = personas.client(persona).post(
        f"/uji-petik/{up.pk}/impor-odk/", {"file": csv_upload("item\n")}
    )
    assert response.status_code == status


def test_submissions_bad_id_wrong_method_and_missing_file(up: UjiPetik, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.post("/uji-petik/99999/impor-odk/", {}).status_code == 404
    assert client.get(f"/uji-petik/{up.pk}/impor-odk/").status_code == 405
    assert client.post(f"/uji-petik/{up.pk}/impor-odk/", {}).status_code == 400


def test_a_reviewer_adds_an_item_purposively(up: UjiPetik, personas: Personas) -> None:
    taken = set(up.items.values_list("investment_id", flat=True))
    from sikumuh.investments.models import Investment

    extra = Investment.objects.filter(tahun=2021).exclude(pk__in=taken).first()
    assert extra is not None
    client = personas.client("reviewer")
    response = client.post(
        f"/uji-petik/{up.pk}/purposif/", {"object_id": str(extra.pk), "reason": "terbesar"}
    )
    assert response.status_code == 302
    assert up.items.get(purposive=True).investment_id == extra.pk
    # Not twice: the item is no longer a choice.
    again = client.post(f"/uji-petik/{up.pk}/purposif/", {"object_id": str(extra.pk)})
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("facilitator", 404), ("outsider", 404)]
)
def test_purposive_additions_are_the_pokjas(
    up: UjiPetik, personas: Personas, persona: str, status: int
) -> None:
    response = personas.client(persona).post(f"/uji-petik/{up.pk}/purposif/", {"object_id": "1"})
    assert response.status_code == status


def test_purposive_bad_id_and_wrong_method(up: UjiPetik, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.post("/uji-petik/99999/purposif/", {}).status_code == 404
    assert client.get(f"/uji-petik/{up.pk}/purposif/").status_code == 405


# --- Checklist ---------------------------------------------------------------------------------

CHECKLIST = {
    "surveyor": "",
    "volume_planned": "100",
    "volume_built": "100",
    "meets_spec": "true",
    "quality": "baik",
    "function": "berfungsi",
    "kpp_formed": "true",
    "kpp_dues_or_schedule": "false",
    "handed_over": "unknown",
}


def test_a_facilitator_fills_the_checklist_of_a_work_in_their_desa(
    up: UjiPetik, personas: Personas
) -> None:
    item = own_item(up)
    client = personas.client("facilitator")
    assert client.get(f"/uji-petik/item/{item.pk}/checklist/").status_code == 200
    response = client.post(f"/uji-petik/item/{item.pk}/checklist/", CHECKLIST)
    assert response.status_code == 302
    checklist = Checklist.objects.get(sample_item=item)
    assert (checklist.function, checklist.meets_spec, checklist.kpp_dues_or_schedule) == (
        "berfungsi",
        True,
        False,
    )
    assert checklist.handed_over is None
    assert (checklist.source, checklist.surveyor) == ("web", "facilitator")
    assert AuditEntry.objects.get(action="checklist.create").actor_label == "facilitator"


@pytest.mark.parametrize(
    ("persona", "which", "get", "post"),
    [
        ("admin", "other", 200, 302),
        ("reviewer", "other", 200, 302),
        ("viewer", "other", 200, 403),
        ("facilitator", "other", 404, 404),
        ("outsider", "own", 404, 404),
    ],
)
def test_the_checklist_persona_rules(
    up: UjiPetik, personas: Personas, persona: str, which: str, get: int, post: int
) -> None:
    item = own_item(up) if which == "own" else other_item(up)
    client = personas.client(persona)
    assert client.get(f"/uji-petik/item/{item.pk}/checklist/").status_code == get
    assert client.post(f"/uji-petik/item/{item.pk}/checklist/", CHECKLIST).status_code == post


def test_checklist_bad_id_wrong_method_and_invalid_answers(
    up: UjiPetik, personas: Personas
) -> None:
    client = personas.client("admin")
    item = own_item(up)
    assert client.get("/uji-petik/item/99999/checklist/").status_code == 404
    assert client.put(f"/uji-petik/item/{item.pk}/checklist/").status_code == 405
    response = client.post(
        f"/uji-petik/item/{item.pk}/checklist/", {**CHECKLIST, "volume_built": "-3"}
    )
    assert response.status_code == 400
    assert not Checklist.objects.exists()


# --- Findings, follow-ups, files ---------------------------------------------------------------


def test_a_facilitator_records_a_finding_with_a_photo_on_their_work(
    up: UjiPetik, personas: Personas
) -> None:
    item = own_item(up)
    client = personas.client("facilitator")
    photo_bytes = png()
    response = client.post(
        f"/uji-petik/{up.pk}/temuan/",
        {
            "severity": "sedang",
            "description": "Retak rambut",
            "item": str(item.pk),
            "photo": SimpleUploadedFile("retak.png", photo_bytes, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.sample_item_id, finding.severity) == (item.pk, "sedang")
    photo = client.get(f"/uji-petik/berkas/temuan/{finding.pk}/")
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content) == photo_bytes  # type: ignore[attr-defined]
    assert (
        personas.client("outsider").get(f"/uji-petik/berkas/temuan/{finding.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "item", "status"),
    [
        ("viewer", "own", 403),
        ("facilitator", "other", 404),
        ("facilitator", "none", 404),  # a general finding is the kabupaten's
        ("outsider", "own", 404),
        ("admin", "none", 302),
    ],
)
def test_recording_findings_follows_the_scope(
    up: UjiPetik, personas: Personas, persona: str, item: str, status: int
) -> None:
    data = {"severity": "rendah", "description": "x"}
    if item != "none":
        data["item"] = str((own_item(up) if item == "own" else other_item(up)).pk)
    response = personas.client(persona).post(f"/uji-petik/{up.pk}/temuan/", data)
    assert response.status_code == status


def test_finding_bad_ids_wrong_method_and_invalid_form(up: UjiPetik, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.post("/uji-petik/99999/temuan/", {"severity": "rendah"}).status_code == 404
    assert client.post(f"/uji-petik/{up.pk}/temuan/", {"item": "99999"}).status_code == 404
    assert client.get(f"/uji-petik/{up.pk}/temuan/").status_code == 405
    assert client.post(f"/uji-petik/{up.pk}/temuan/", {"severity": "parah"}).status_code == 400


@pytest.fixture
def finding(up: UjiPetik) -> Finding:
    return record_finding(actor=ACTOR, uji_petik=up, severity="tinggi", description="Ambles")


def test_a_follow_up_is_added_and_closed_with_an_evidence_file(
    finding: Finding, personas: Personas
) -> None:
    client = personas.client("reviewer")
    response = client.post(
        f"/uji-petik/temuan/{finding.pk}/tindak-lanjut/",
        {"action": "Perbaikan", "responsible": "Dinas Perkim", "deadline": "2021-12-31"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert str(follow_up.deadline) == "2021-12-31"
    response = client.post(
        f"/uji-petik/tindak-lanjut/{follow_up.pk}/selesai/",
        {"evidence": "", "file": SimpleUploadedFile("ba.pdf", b"%PDF-1.4 bukti")},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    evidence = client.get(f"/uji-petik/berkas/bukti/{follow_up.pk}/")
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 bukti"  # type: ignore[attr-defined]


def test_closing_without_evidence_keeps_the_follow_up_open(
    finding: Finding, personas: Personas
) -> None:
    follow_up = add_follow_up(actor=ACTOR, finding=finding, action="a", responsible="b")
    personas.client("admin").post(f"/uji-petik/tindak-lanjut/{follow_up.pk}/selesai/", {})
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("outsider", 404)])
def test_follow_ups_are_refused_to_readers_and_outsiders(
    finding: Finding, personas: Personas, persona: str, status: int
) -> None:
    follow_up = add_follow_up(actor=ACTOR, finding=finding, action="a", responsible="b")
    client = personas.client(persona)
    data = {"action": "x", "responsible": "y"}
    assert client.post(f"/uji-petik/temuan/{finding.pk}/tindak-lanjut/", data).status_code == status
    closing = client.post(f"/uji-petik/tindak-lanjut/{follow_up.pk}/selesai/", {"evidence": "ok"})
    assert closing.status_code == status


def test_follow_up_bad_ids_and_wrong_methods(finding: Finding, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.post("/uji-petik/temuan/99999/tindak-lanjut/", {}).status_code == 404
    assert client.post("/uji-petik/tindak-lanjut/99999/selesai/", {}).status_code == 404
    assert client.get(f"/uji-petik/temuan/{finding.pk}/tindak-lanjut/").status_code == 405
    assert client.get("/uji-petik/tindak-lanjut/1/selesai/").status_code == 405


def test_attachments_need_a_file_a_known_kind_and_get(finding: Finding, personas: Personas) -> None:
    client = personas.client("admin")
    assert client.get(f"/uji-petik/berkas/temuan/{finding.pk}/").status_code == 404  # no photo
    assert client.get(f"/uji-petik/berkas/lain/{finding.pk}/").status_code == 404
    assert client.get("/uji-petik/berkas/temuan/99999/").status_code == 404
    assert client.post(f"/uji-petik/berkas/temuan/{finding.pk}/").status_code == 405


def test_an_attachment_whose_file_is_gone_answers_404(
    finding: Finding, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    Finding.objects.filter(pk=finding.pk).update(photo="uji-petik/temuan/hilang.jpg")
    response = personas.client("admin").get(f"/uji-petik/berkas/temuan/{finding.pk}/")
    assert response.status_code == 404


# --- Re-survey ---------------------------------------------------------------------------------


def test_a_facilitator_records_a_resurvey_of_their_rt(up: UjiPetik, personas: Personas) -> None:
    item = own_item(up)
    client = personas.client("facilitator")
    page = client.get(f"/uji-petik/item/{item.pk}/survei-ulang/")
    assert page.status_code == 200
    response = client.post(
        f"/uji-petik/item/{item.pk}/survei-ulang/",
        {"facilitator": "Faskel A", "measured_on": "2021-11-02", "v_2a": "400", "v_4b": ""},
    )
    assert response.status_code == 302
    resurvey = Resurvey.objects.get()
    assert (resurvey.volumes_found, resurvey.facilitator) == ({"2a": "400"}, "Faskel A")


@pytest.mark.parametrize(
    ("persona", "which", "get", "post"),
    [
        ("viewer", "own", 200, 403),
        ("facilitator", "other", 404, 404),
        ("outsider", "own", 404, 404),
    ],
)
def test_the_resurvey_persona_rules(
    up: UjiPetik, personas: Personas, persona: str, which: str, get: int, post: int
) -> None:
    item = own_item(up) if which == "own" else other_item(up)
    client = personas.client(persona)
    url = f"/uji-petik/item/{item.pk}/survei-ulang/"
    assert client.get(url).status_code == get
    assert client.post(url, {"facilitator": "x", "measured_on": "2021-11-02"}).status_code == post


def test_resurvey_bad_id_wrong_method_and_invalid_volume(up: UjiPetik, personas: Personas) -> None:
    client = personas.client("admin")
    url = f"/uji-petik/item/{own_item(up).pk}/survei-ulang/"
    assert client.get("/uji-petik/item/99999/survei-ulang/").status_code == 404
    assert client.put(url).status_code == 405
    invalid = client.post(url, {"facilitator": "x", "measured_on": "2021-11-02", "v_2a": "-1"})
    assert invalid.status_code == 400


def test_the_detail_page_reads_with_a_bounded_number_of_queries(
    up: UjiPetik, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client = personas.client("admin")
    client.get(f"/uji-petik/{up.pk}/")  # warm the session and the scope
    with django_assert_max_num_queries(20):
        assert client.get(f"/uji-petik/{up.pk}/").status_code == 200


def test_page_download_of_the_form_matches_the_cli_one(up: UjiPetik, personas: Personas) -> None:
    from pyxform.xls2xform import convert

    content = personas.client("admin").get(f"/uji-petik/{up.pk}/xlsform.xlsx").content
    assert f"UP{up.pk}-6" in convert(xlsform=io.BytesIO(content)).xform
