"""The photo files of phone submissions follow their rows: deleting an observation, its RT or
the RTs of its location, or replacing a photo by a re-import, removes the file from MEDIA
storage once the transaction commits, and leaves it when the transaction rolls back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from sikumuh.io.models import ImportRun
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation, ObservationPhoto
from tests.factories import location, rt
from tests.io.rt_survey_helpers import answers, odk_central_csv
from tests.io.test_odk_photos import central_zip, export_zip, jpeg, run, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def photos(personas: Any, media: Path) -> list[str]:
    """Three photos of two RTs' observations, stored: their file names."""
    loc = location("L-01", "63.01.03.1001")
    rt(loc, "001")
    rt(loc, "002")
    report = run(central_zip())
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    names = sorted(ObservationPhoto.objects.values_list("file", flat=True))
    assert len(names) == 3
    assert stored_files(media) == names
    return names


def one_observation() -> None:
    Observation.objects.get(rt__rt="001").delete()


def one_rt() -> None:
    RtUnit.objects.get(rt="001").delete()


def the_locations_rts() -> None:
    RtUnit.objects.filter(location__code="L-01").delete()


#: What is deleted → the files left (by RT: RT 001 has two photos, RT 002 one).
DELETIONS = [
    pytest.param(one_observation, {"002"}, id="observation"),
    pytest.param(one_rt, {"002"}, id="rt"),
    pytest.param(the_locations_rts, set(), id="the-locations-rts"),
]


def rts_of(names: list[str]) -> set[str]:
    by_file = dict(ObservationPhoto.objects.values_list("file", "submission__observation__rt__rt"))
    return {by_file[name] for name in names}


@pytest.mark.parametrize(("delete", "left"), DELETIONS)
def test_a_deletion_removes_the_photo_files_once_it_commits(
    photos: list[str],
    media: Path,
    delete: Callable[[], None],
    left: set[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    expected = [n for n in photos if rts_of([n]) <= left]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delete()
        # Until the commit the files stay: the rows may still come back.
        assert stored_files(media) == photos
    assert stored_files(media) == expected
    assert sorted(ObservationPhoto.objects.values_list("file", flat=True)) == expected


@pytest.mark.parametrize(("delete", "left"), DELETIONS)
def test_a_rolled_back_deletion_leaves_the_photo_files(
    photos: list[str],
    media: Path,
    delete: Callable[[], None],
    left: set[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    def cancelled() -> None:
        with transaction.atomic():
            delete()
            raise RuntimeError("the user cancelled")

    # The capture runs what the commit would: the rolled-back savepoint left nothing to run.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        cancelled()
    assert callbacks == []
    assert stored_files(media) == photos
    assert ObservationPhoto.objects.count() == 3


def replacing_zip() -> bytes:
    """The first submission again, its road photo taken anew (same name, other content)."""
    csv_data = odk_central_csv([("a-1", answers(foto_2b="jalan.jpg"))])
    return export_zip(csv_data, {"media/jalan.jpg": jpeg("black")})


def road_photo() -> ObservationPhoto:
    return ObservationPhoto.objects.get(submission__observation__rt__rt="001", criterion="2b")


def test_a_reimport_replacing_a_photo_removes_the_old_file_once_it_commits(
    photos: list[str], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    old = road_photo().file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = run(replacing_zip())
    assert report.extra["changes_kept"] == 1, report.errors  # the values are as they were
    new = road_photo()
    assert new.file.name != old
    with new.file.open("rb") as stream:
        assert stream.read() == jpeg("black")
    assert stored_files(media) == sorted({*photos, new.file.name} - {old})


def test_a_failed_replacement_keeps_the_old_file_and_leaves_no_new_one(
    photos: list[str], media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = road_photo().file.name

    def broken(entries: Any) -> None:
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr("sikumuh.surveys.actions.record_many", broken)
    with pytest.raises(RuntimeError):
        run(replacing_zip())
    assert road_photo().file.name == old
    assert stored_files(media) == photos


def test_a_csv_renaming_a_photo_removes_the_stored_file_once_it_commits(
    photos: list[str], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    old = road_photo().file.name
    csv_data = odk_central_csv([("a-1", answers(foto_2b="jalan-baru.jpg", foto_4a="air.png"))])
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_data, "rt_survey.csv")
    renamed = road_photo()
    assert (renamed.name, bool(renamed.file)) == ("jalan-baru.jpg", False)
    assert stored_files(media) == sorted(set(photos) - {old})
