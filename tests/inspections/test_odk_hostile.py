"""Hostile ODK/Kobo exports are one clean problem for the whole file, recorded as a rejected
run: never a 500, a traceback or a half-stored import (issue 7, finding 6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sikumuh.inspections.models import Checklist, UjiPetik
from sikumuh.io.models import ImportRun
from sikumuh.io.ujipetik.odk_import import import_submissions
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw
from tests.inspections.test_odk_import import key, odk_central_csv, submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def uji_petik(load_regions_under: Callable[..., int]) -> UjiPetik:
    load_regions_under("63.01")
    build_works()
    return draw(n=6, seed=42)


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        (
            {"notes": "x" * 140_000},
            "tidak dapat dibaca sebagai CSV",
        ),  # over the csv module's 128 KB
        ({"surveyor": "Tim\x00Pokja"}, "kolom surveyor: sel berisi karakter NUL"),
    ],
    ids=["cell-over-128-kb", "nul-in-a-cell"],
)
def test_a_hostile_export_is_one_problem_and_a_rejected_run(
    uji_petik: UjiPetik, answers: dict[str, str], words: str
) -> None:
    data = odk_central_csv([submission(key(uji_petik, 1), "a-1", **answers)])
    report = import_submissions(data, actor=ACTOR, file_name="export.csv")
    assert [(p.file, p.row) for p in report.errors] == [("export.csv", "1")]
    assert words in report.errors[0].reason
    assert report.status == ImportRun.Status.REJECTED
    assert ImportRun.objects.get(pk=report.run_id).status == ImportRun.Status.REJECTED
    assert not Checklist.objects.exists()


def test_an_export_in_utf16_without_bom_is_named_as_such(uji_petik: UjiPetik) -> None:
    data = odk_central_csv([submission(key(uji_petik, 1), "a-1")]).decode().encode("utf-16-le")
    report = import_submissions(data, actor=ACTOR, file_name="export.csv")
    assert "berkas bukan UTF-8" in report.errors[0].reason
