"""Recording sosialisasi and FGD: audited, validated, attachments kept private."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.fieldwork.actions import (
    FieldworkError,
    create_fgd,
    create_sosialisasi,
    delete_meeting,
    update_meeting,
)
from sikumuh.fieldwork.models import Fgd
from sikumuh.regions.models import Region

ACTOR = Actor.system("test")
DAY = dt.date(2021, 6, 14)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages asserted in English (the site's default language is Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def regions(load_regions_under: Any) -> None:
    load_regions_under("63.01")


def pdf(name: str = "notulen.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_recording_an_fgd_audits_every_field_in_its_desa(regions: None, media: Path) -> None:
    fgd = create_fgd(
        actor=ACTOR,
        desa=Region.objects.get(code="63.01.03.1001"),
        date=DAY,
        place="Balai Sarang Halang",
        participants=21,
        notes="Delineasi disepakati.",
        delineation_agreed=True,
        attachment=pdf(),
    )
    entry = AuditEntry.objects.get(action="fgd.create")
    assert entry.region_code == "63.01.03.1001"
    assert entry.object_id == str(fgd.pk)
    assert entry.changes == {
        "attachment_name": [None, "notulen.pdf"],
        "date": [None, "2021-06-14"],
        "delineation_agreed": [None, True],
        "desa": [None, "63.01.03.1001"],
        "notes": [None, "Delineasi disepakati."],
        "participants": [None, 21],
        "place": [None, "Balai Sarang Halang"],
    }
    # Stored under MEDIA_ROOT with a neutral name (the user's name is kept apart).
    stored = Path(fgd.attachment.path)
    assert stored.is_relative_to(media)
    assert stored.name.startswith("lampiran")
    assert fgd.attachment_name == "notulen.pdf"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": dt.date.today() + dt.timedelta(days=2)}, "cannot be in the future"),
        ({"participants": -1}, "cannot be negative"),
        ({"attachment": pdf("halaman.html")}, "allowed are"),
        ({"attachment": pdf("peta.svg")}, "allowed are"),
        ({"attachment": pdf("besar.pdf", 10 * 1024 * 1024 + 1)}, "larger than 10 MB"),
    ],
)
def test_impossible_records_are_refused_with_the_reason(
    regions: None, media: Path, change: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {"date": DAY, "participants": 10, **change}
    with pytest.raises(FieldworkError, match=message):
        create_sosialisasi(actor=ACTOR, kecamatan=Region.objects.get(code="63.01.03"), **values)
    assert not AuditEntry.objects.filter(action="sosialisasi.create").exists()


@pytest.mark.parametrize(
    ("kind", "code"),
    [("sosialisasi", "63.01.03.1001"), ("sosialisasi", "63.01"), ("fgd", "63.01.03")],
)
def test_a_sosialisasi_belongs_to_a_kecamatan_and_an_fgd_to_a_desa(
    regions: None, kind: str, code: str
) -> None:
    region = Region.objects.get(code=code)
    create = {
        "sosialisasi": lambda: create_sosialisasi(actor=ACTOR, kecamatan=region, date=DAY),
        "fgd": lambda: create_fgd(actor=ACTOR, desa=region, date=DAY),
    }[kind]
    with pytest.raises(FieldworkError, match="is not a"):
        create()


def test_an_update_records_each_changed_field_before_and_after(regions: None) -> None:
    fgd = create_fgd(
        actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=DAY, participants=12
    )
    update_meeting(
        actor=ACTOR, meeting=fgd, values={"participants": 15, "delineation_agreed": True}
    )
    entry = AuditEntry.objects.get(action="fgd.update")
    assert entry.changes == {"delineation_agreed": [False, True], "participants": [12, 15]}
    # Saving the same values again records nothing.
    update_meeting(actor=ACTOR, meeting=fgd, values={"participants": 15})
    assert AuditEntry.objects.filter(action="fgd.update").count() == 1


def test_the_region_of_a_meeting_cannot_be_changed(regions: None) -> None:
    fgd = create_fgd(actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=DAY)
    with pytest.raises(FieldworkError, match="cannot change desa"):
        update_meeting(actor=ACTOR, meeting=fgd, values={"desa": "63.01.03.1002"})


def test_replacing_and_deleting_remove_the_old_file_and_keep_the_history(
    regions: None, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    fgd = create_fgd(
        actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=DAY, attachment=pdf()
    )
    first = Path(fgd.attachment.path)
    with django_capture_on_commit_callbacks(execute=True):
        update_meeting(actor=ACTOR, meeting=fgd, values={}, attachment=pdf("foto.jpg"))
    assert not first.exists()
    second = Path(fgd.attachment.path)
    assert second.exists()
    assert AuditEntry.objects.get(action="fgd.update").changes == {
        "attachment_name": ["notulen.pdf", "foto.jpg"]
    }

    pk = fgd.pk
    with django_capture_on_commit_callbacks(execute=True):
        delete_meeting(actor=ACTOR, meeting=fgd)
    assert not Fgd.objects.filter(pk=pk).exists()
    assert not second.exists()
    deleted = AuditEntry.objects.get(action="fgd.delete")
    assert deleted.object_id == str(pk)
    assert deleted.changes["attachment_name"] == ["foto.jpg", None]
    assert deleted.changes["date"] == ["2021-06-14", None]
