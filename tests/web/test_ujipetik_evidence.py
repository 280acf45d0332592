"""Closing evidence of a follow-up: PDF, JPG, PNG or WebP, by name and by content (issue 7,
finding 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikumuh.inspections.actions.checklists import add_follow_up, record_finding
from sikumuh.inspections.models import FollowUp
from sikumuh.web.file_types import is_of_type
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw

PDF = b"%PDF-1.4\n%bukti"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
HTML = b"<html><script>alert(1)</script></html>"

CASES = [
    ("ba.pdf", PDF, True),
    ("foto.jpg", JPG, True),
    ("foto.JPEG", JPG, True),
    ("foto.png", PNG, True),
    ("foto.webp", WEBP, True),
    ("ba.html", HTML, False),  # a page served back to reviewers
    ("ba.pdf", HTML, False),  # renamed: the content says otherwise
    ("foto.png", JPG, False),  # the name and the content disagree
    ("ba.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", False),
    ("ba.exe", b"MZ\x90\x00", False),
    ("ba", PDF, False),  # no ending
    ("ba.pdf", b"", False),
]


@pytest.mark.parametrize(("name", "content", "accepted"), CASES)
def test_evidence_files_are_allowed_by_name_and_content(
    name: str, content: bytes, accepted: bool
) -> None:
    assert is_of_type(SimpleUploadedFile(name, content)) is accepted


@pytest.fixture
def follow_up(personas: Personas, settings: Any, tmp_path: Path) -> FollowUp:
    settings.MEDIA_ROOT = tmp_path / "media"
    build_works()
    finding = record_finding(
        actor=ACTOR, uji_petik=draw(n=6, seed=42), severity="tinggi", description="Ambles"
    )
    return add_follow_up(actor=ACTOR, finding=finding, action="Perbaikan", responsible="Dinas")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "accepted"), [CASES[0], CASES[3], CASES[5], CASES[6]])
def test_closing_a_follow_up_takes_only_allowed_evidence_files(
    follow_up: FollowUp, personas: Personas, name: str, content: bytes, accepted: bool
) -> None:
    client = personas.client("reviewer")
    response = client.post(
        f"/uji-petik/tindak-lanjut/{follow_up.pk}/selesai/",
        {"evidence": "", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    follow_up.refresh_from_db()
    assert follow_up.status == ("done" if accepted else "open")
    assert bool(follow_up.closing_file) is accepted
    if not accepted:
        assert "harus berupa berkas PDF, JPG, PNG atau WebP" in response.content.decode()
