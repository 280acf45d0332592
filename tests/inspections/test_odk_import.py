"""Importing the CSV exports of ODK Central and KoboToolbox into the checklists."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.inspections.actions.checklists import save_checklist
from sikumuh.inspections.form import QUESTIONS
from sikumuh.inspections.models import Checklist, Finding, FollowUp, UjiPetik
from sikumuh.io.models import ImportRun
from sikumuh.io.ujipetik.odk_import import column_name, import_submissions
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw

pytestmark = pytest.mark.django_db

# One answer set per submission: ODK values (choice names), as the phone stores them.
GOOD = {
    "surveyor": "Tim Pokja",
    "volume_planned": "120",
    "volume_built": "118.5",
    "meets_spec": "tidak",
    "quality": "rusak_ringan",
    "function": "berfungsi",
    "users_planned": "40",
    "users_actual": "38",
    "kpp_formed": "ya",
    "kpp_dues_or_schedule": "ya",
    "handed_over": "ya",
    "doc_plans_budget": "ya",
    "doc_accountability": "tidak_tahu",
    "doc_photos": "ya",
    "doc_handover": "ya",
    "land_free_of_dispute": "ya",
    "no_environmental_harm": "ya",
    "finding_severity": "tidak_ada",
    "notes": "",
}


def odk_central_csv(rows: Sequence[dict[str, str]]) -> bytes:
    """An ODK Central export: group paths joined with "-", the geopoint split in four."""
    header = ["SubmissionDate", "start", "end"]
    for q in QUESTIONS:
        if q.name in {"start", "end"}:
            continue
        path = f"{q.group}-{q.name}" if q.group else q.name
        if q.type == "geopoint":
            header += [
                f"{path}-{part}" for part in ("Latitude", "Longitude", "Altitude", "Accuracy")
            ]
        else:
            header.append(path)
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "ReviewState"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        values = []
        for column in header:
            name = column.rsplit("-", 1)[-1]
            if column.startswith("location-"):
                name = "location_" + name.lower()
            values.append(row.get(column, row.get(name, "")))
        writer.writerow(values)
    return out.getvalue().encode()


def submission(
    item_key: str, uuid: str, when: str = "2021-11-01T03:00:00.000Z", **answers: str
) -> dict[str, str]:
    return {
        "SubmissionDate": when,
        "item": item_key,
        "meta-instanceID": f"uuid:{uuid}",
        "KEY": f"uuid:{uuid}",
        "location_latitude": "-3.801234",
        "location_longitude": "114.761234",
        **GOOD,
        **answers,
    }


@pytest.fixture
def uji_petik(load_regions_under: Callable[..., int]) -> UjiPetik:
    load_regions_under("63.01")
    build_works()
    return draw(n=6, seed=42)


def key(up: UjiPetik, position: int) -> str:
    return f"UP{up.pk}-{position}"


def run(data: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    return import_submissions(data, actor=ACTOR, file_name="export.csv", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("volume-meets_spec", "meets_spec"),  # ODK Central group path
        ("volume/meets_spec", "meets_spec"),  # KoboToolbox group path
        ("meta-instanceID", "instance_id"),
        ("meta/instanceID", "instance_id"),
        ("KEY", "key"),
        ("_uuid", "_uuid"),
        ("SubmissionDate", "submission_time"),
        ("_submission_time", "submission_time"),
        ("location-Latitude", "location__latitude"),
        ("_location_longitude", "location__longitude"),
        ("\ufeffitem", "item"),
        ("Kegiatan sampel yang diperiksa", "item"),  # Kobo "labels" export
        ("Function", "function"),
    ],
)
def test_export_headers_are_read_as_questions(header: str, name: str) -> None:
    assert column_name(header) == name


def test_a_good_odk_central_export_fills_the_checklists(uji_petik: UjiPetik) -> None:
    data = odk_central_csv(
        [
            submission(key(uji_petik, 1), "a1"),
            submission(
                key(uji_petik, 2),
                "a2",
                function="tidak_berfungsi",
                finding_severity="tinggi",
                finding_description="Saluran runtuh",
                finding_photo="1699999.jpg",
                recommendation="Bangun ulang",
                responsible="Dinas Perkim",
                deadline="2021-12-31",
            ),
        ]
    )
    report = run(data, uji_petik=uji_petik)
    assert (
        report.status,
        report.extra["source"],
        report.created,
        report.counts["findings_created"],
    ) == (
        "committed",
        "odk",
        2,
        1,
    )
    first = Checklist.objects.get(sample_item__position=1)
    assert (first.submission_id, first.source, first.meets_spec, first.function) == (
        "uuid:a1",
        "odk",
        False,
        "berfungsi",
    )
    assert first.doc_accountability is None  # "tidak diketahui"
    assert (first.latitude, first.longitude) == (Decimal("-3.801234"), Decimal("114.761234"))
    assert first.volume_built == Decimal("118.5")
    assert first.submitted_at.isoformat() == "2021-11-01T03:00:00+00:00"
    finding = Finding.objects.get()
    assert (finding.severity, finding.photo_ref, finding.submission_id) == (
        "tinggi",
        "1699999.jpg",
        "uuid:a2",
    )
    assert FollowUp.objects.get().responsible == "Dinas Perkim"
    run_record = ImportRun.objects.get(pk=report.run_id)
    assert (run_record.kind, run_record.rows_created) == ("uji-petik-submissions", 2)


def test_importing_the_same_export_again_changes_nothing(uji_petik: UjiPetik) -> None:
    data = odk_central_csv(
        [submission(key(uji_petik, 1), "a1", finding_severity="rendah", finding_description="x")]
    )
    assert run(data).status == "committed"
    audit = AuditEntry.objects.count()
    again = run(data)
    assert (again.status, again.unchanged, again.created, again.counts["findings_created"]) == (
        "unchanged",
        1,
        0,
        0,
    )
    assert AuditEntry.objects.count() == audit
    assert Finding.objects.count() == 1


def test_a_kobo_export_with_semicolons_labels_and_bare_uuids_is_read(uji_petik: UjiPetik) -> None:
    # KoboToolbox: ";" separator, "group/question" headers, answers as labels here, `_uuid`
    # without the "uuid:" prefix, the geopoint as "lat lon alt acc".
    header = (
        "start;end;item;surveyor;volume/meets_spec;kondisi/quality;kondisi/function;"
        "pemeliharaan/kpp_formed;temuan/finding_severity;location;_location_latitude;"
        "_location_longitude;_id;_uuid;_submission_time;_index"
    )
    row = (
        f"2021-11-01T09:00:00.000+08:00;2021-11-01T09:20:00.000+08:00;{key(uji_petik, 3)};"
        "Ani;Ya;Baik;Berfungsi sebagian;Tidak;Tidak ada temuan;-3.8 114.7 12 5;-3.8;114.7;"
        "901;0b9a2c;2021-11-01T01:21:00;1"
    )
    report = run(f"{header}\n{row}\n".encode())
    assert (report.status, report.extra["source"], report.created) == ("committed", "kobo", 1)
    checklist = Checklist.objects.get()
    assert (checklist.submission_id, checklist.function, checklist.meets_spec) == (
        "uuid:0b9a2c",
        "berfungsi_sebagian",
        True,
    )
    assert checklist.kpp_formed is False
    assert checklist.submitted_at.isoformat() == "2021-11-01T01:21:00+00:00"


def test_the_export_of_another_form_is_rejected_naming_the_missing_columns(
    uji_petik: UjiPetik,
) -> None:
    data = b"SubmissionDate,nama,umur\n2021-11-01,Budi,40\n2021-11-02,Ani,35\n"
    report = run(data)
    assert report.status == "rejected"
    (error,) = report.errors
    assert "item" in error.column
    assert "meta-instanceID" in error.column
    assert "bukan ekspor formulir daftar periksa uji petik" in error.reason
    assert report.rejected_rows == ["2", "3"]
    assert not Checklist.objects.exists()


def test_every_unmatched_or_invalid_row_is_reported_and_nothing_is_stored(
    uji_petik: UjiPetik,
) -> None:
    data = odk_central_csv(
        [
            submission(key(uji_petik, 1), "ok1"),
            submission("UP999-1", "bad1"),
            submission(key(uji_petik, 2), "bad2", function="rusak"),
            submission("hello", "bad3"),
        ]
    )
    report = run(data)
    assert report.status == "rejected"
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        ("3", "item", "UP999-1"),
        ("4", "function", "rusak"),
        ("5", "item", "hello"),
    ]
    assert "bukan salah satu dari berfungsi" in report.errors[1].reason
    assert not Checklist.objects.exists()
    partial = run(data, skip_invalid=True)
    assert (partial.status, partial.created) == ("partial", 1)


def test_an_item_of_another_uji_petik_is_refused_when_importing_into_one(
    uji_petik: UjiPetik,
) -> None:
    other = draw(n=3, seed=5)
    report = run(odk_central_csv([submission(key(other, 1), "x1")]), uji_petik=uji_petik)
    assert report.status == "rejected"
    assert f"milik uji petik {other.pk}" in report.errors[0].reason


def test_duplicate_submissions_keep_the_latest_and_say_so(uji_petik: UjiPetik) -> None:
    data = odk_central_csv(
        [
            submission(
                key(uji_petik, 1), "early", when="2021-11-01T01:00:00Z", function="berfungsi"
            ),
            submission(
                key(uji_petik, 1), "late", when="2021-11-02T01:00:00Z", function="tidak_berfungsi"
            ),
            submission(
                key(uji_petik, 1), "late", when="2021-11-02T01:00:00Z", function="tidak_berfungsi"
            ),
        ]
    )
    report = run(data)
    assert (report.status, report.created) == ("committed", 1)
    checklist = Checklist.objects.get()
    assert (checklist.submission_id, checklist.function) == ("uuid:late", "tidak_berfungsi")
    messages = {(p.row, p.reason.split(":")[0]) for p in report.warnings}
    assert messages == {
        ("4", "kiriman yang sama dengan baris 3"),
        ("2", "kiriman yang lebih baru untuk butir yang sama ada di baris 3"),
    }


def test_a_submission_older_than_the_stored_checklist_does_not_overwrite_it(
    uji_petik: UjiPetik,
) -> None:
    item = uji_petik.items.get(position=1)
    save_checklist(actor=ACTOR, item=item, values={"function": "berfungsi"})  # entered now
    report = run(
        odk_central_csv([submission(key(uji_petik, 1), "old", function="tidak_berfungsi")])
    )
    assert report.status == "unchanged"
    assert "lebih baru daripada kiriman ini" in report.warnings[0].reason
    assert Checklist.objects.get().function == "berfungsi"
