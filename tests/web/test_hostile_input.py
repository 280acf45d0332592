"""Hostile input on the web: the import wizard refuses bombs on its upload page and never
re-reads a file to show its report; a NUL in any parameter is answered 400 (issue 7)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikumuh.io import template
from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads
from sikumuh.web.views.rtdata import wizard
from tests.conftest import Personas
from tests.io import payloads
from tests.jobs.support import count_reader_calls, work_off
from tests.web.test_rtdata_support import (
    demo,
    demo_module,
    media,
    sarang_halang_rows,
    template_file,
)

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module", "media"]  # fixtures, imported for pytest

WIZARD = "/wilayah/63.01/impor/"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("jauh.xlsx", payloads.FAR_CELL, "lebih dari 200 kolom"),
        ("bohong.xlsx", payloads.DIMENSION_LIE, "lebih dari 200 kolom"),
        ("bom.xlsx", payloads.ZIP_BOMB, "bom zip"),
        ("spasi.xlsx", payloads.WHITESPACE, "bom zip"),
    ],
    ids=["far-cell", "dimension-lie", "zip-bomb", "whitespace"],
)
def test_a_hostile_workbook_is_only_stored_by_the_web_request_and_refused_by_its_job(
    demo: Personas,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    words: str,
) -> None:
    calls = count_reader_calls(monkeypatch)
    runs = ImportRun.objects.count()
    client = demo.client("admin")
    started = time.perf_counter()
    response = client.post(WIZARD, {"file": SimpleUploadedFile(name, content)})
    assert time.perf_counter() - started < 2
    assert response.status_code == 302
    assert calls == []  # no reader, no guard, no calamine ran in the web request
    review = client.get(response["Location"]).content.decode()
    assert "Menunggu pekerja mengambil tugas ini" in review
    work_off()
    assert calls == ["read", "guard"]  # the job's guard refused it before calamine saw it
    page = client.get(response["Location"])
    assert page.status_code == 200
    refusal = page.content.decode().split('class="callout error job-error" role="alert">', 1)[1]
    assert refusal.startswith(f"{name}: ")
    assert words in refusal.split("</p>", 1)[0]
    assert ImportRun.objects.count() == runs  # nothing recorded


def test_a_utf16_csv_is_refused_on_the_upload_page_and_kept_nowhere(
    demo: Personas, media: Path
) -> None:
    client = demo.client("admin")
    response = client.post(WIZARD, {"file": SimpleUploadedFile("utf16.csv", payloads.UTF16_NO_BOM)})
    # A small CSV is checked in the request: answering at all proves the process survived.
    assert response.status_code == 422
    page = response.content.decode()
    assert "utf16.csv: " in page
    assert "berkas bukan UTF-8" in page
    assert not any(uploads.root().iterdir())


def test_the_review_page_is_drawn_from_the_kept_report_without_reading_the_file(
    demo: Personas, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Any] = []
    original = template.read_template_columns

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(template, "read_template_columns", counting)
    client = demo.client("admin")
    content = template_file(sarang_halang_rows(2022))
    response = client.post(WIZARD, {"file": SimpleUploadedFile("rt.csv", content)})
    assert response.status_code == 302
    assert len(reads) == 1  # validated once, at the upload
    for _ in range(3):
        review = client.get(response["Location"])
        assert review.status_code == 200
        assert '<div class="value" id="count-new">6</div>' in review.content.decode()
    assert len(reads) == 1  # never again per view
    client.post(response["Location"] + "simpan/")
    assert len(reads) == 1  # the confirmation only starts the import job
    work_off()
    assert len(reads) == 2  # which validates once more, as it commits


def test_the_kept_report_holds_at_most_the_shown_problems_and_every_count(
    demo: Personas, media: Path
) -> None:
    client = demo.client("admin")
    rows = sarang_halang_rows(2022) * 700  # 4,200 rows, all but the first 6 duplicates
    response = client.post(WIZARD, {"file": SimpleUploadedFile("rt.csv", template_file(rows))})
    work_off()  # a CSV this large is checked by a job
    upload = uploads.load(
        response["Location"].rstrip("/").rsplit("/", 1)[1],
        user_id=demo.users["admin"].pk,
        region_code="63.01",
    )
    assert upload is not None
    kept = uploads.load_report(upload)
    assert kept is not None
    assert kept["error_count"] == 4194
    assert len(kept["errors"]) == wizard.SHOWN


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/wilayah/63.01/audit/", {"user": "a\x00b"}),
        ("get", "/wilayah/63.01/audit/", {"a\x00b": "1"}),
        ("post", WIZARD, {"note": "a\x00b"}),
    ],
    ids=["get-value", "get-name", "post-field"],
)
def test_a_nul_in_any_parameter_is_answered_400_in_indonesian(
    demo: Personas, method: str, url: str, data: dict[str, str]
) -> None:
    client = demo.client("viewer" if method == "get" else "admin")
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "Permintaan ditolak" in response.content.decode()


def test_a_nul_in_an_uploaded_file_cell_is_refused_naming_row_and_column(
    demo: Personas, media: Path
) -> None:
    client = demo.client("admin")
    content = template_file(sarang_halang_rows(2022)).replace(b"\n", b"\x00\n", 2)
    content = content.replace(b"\x00\n", b"\n", 1)  # the header stays clean
    response = client.post(WIZARD, {"file": SimpleUploadedFile("rt.csv", content)})
    assert response.status_code == 422
    assert "baris 2, kolom" in response.content.decode()
    assert "karakter NUL" in response.content.decode()
