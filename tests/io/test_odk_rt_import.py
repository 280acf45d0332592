"""The RT survey's submissions, exported by ODK Central or KoboToolbox, land as drafts through the
template's checks and the one commit path; a re-import changes nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from sikumuh.audit.actions import Actor
from sikumuh.cli import main
from sikumuh.core.rows import ImportReport
from sikumuh.io.models import ImportRun
from sikumuh.io.odk_rt_import import import_rt_submissions
from sikumuh.surveys.models import Observation, Source, Status
from tests.factories import location, rt
from tests.io.rt_survey_helpers import answers, kobo_csv, odk_central_csv

pytestmark = pytest.mark.django_db
REGION = "63.01"


@pytest.fixture
def region(load_regions_under: Callable[..., int]) -> str:
    load_regions_under("63.01", "33.75")
    loc = location("L-01", "63.01.03.1001")
    rt(loc, "001")
    rt(loc, "002")
    return REGION


def run(data: bytes, region_code: str = REGION, *, skip_invalid: bool = False) -> ImportReport:
    return import_rt_submissions(
        data,
        actor=Actor.system(),
        file_name="rt_survey.csv",
        region_code=region_code,
        skip_invalid=skip_invalid,
    )


@pytest.mark.parametrize("export", [odk_central_csv, kobo_csv])
def test_submissions_land_as_draft_observations_with_the_instance_id(
    region: str, export: Callable[..., bytes]
) -> None:
    data = export([("a-1", answers()), ("a-2", answers(rt="002", v_1a="50"))])
    report = run(data)
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    assert (report.created, report.rows_total) == (2, 2)
    stored = {o.rt.rt: o for o in Observation.objects.select_related("rt")}
    assert {o.status for o in stored.values()} == {Status.DRAFT}
    assert {o.source for o in stored.values()} == {Source.ODK}
    assert stored["001"].source_ref == "uuid:a-1"
    assert Decimal(stored["002"].volumes["1a"]) == 50
    assert stored["001"].tahun == 2026
    assert stored["001"].rule_set == "permen-pupr-14-2018"
    assert stored["001"].luas_ha == Decimal("1.5")
    assert ImportRun.objects.get(pk=report.run_id).kind == "odk"


def test_a_reimport_of_the_same_export_changes_nothing(region: str) -> None:
    data = odk_central_csv([("a-1", answers()), ("a-2", answers(rt="002"))])
    run(data)
    again = run(data)
    assert again.status == ImportRun.Status.UNCHANGED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Observation.objects.count() == 2


def test_a_submission_repeated_in_the_file_is_stored_once_with_a_warning(region: str) -> None:
    data = odk_central_csv([("a-1", answers()), ("a-1", answers())])
    report = run(data)
    assert report.created == 1
    assert [(w.row, w.column, w.value) for w in report.warnings] == [
        ("3", "meta-instanceID", "uuid:a-1")
    ]


@pytest.mark.parametrize(
    ("override", "column", "value", "reason"),
    [
        ({"v_2b": "-3"}, "aspek_2-v_2b", "-3", "kriteria 2b: volume -3 negatif"),
        ({"v_1a": "banyak"}, "aspek_1-v_1a", "banyak", "bukan angka"),
        ({"jumlah_kk": "60.5"}, "pembagi-jumlah_kk", "60.5", "harus bilangan bulat"),
        ({"v_3a": ""}, "aspek_3-v_3a", None, "kriteria 3a: volume belum diisi"),
        (
            {"kode_desa": "33.75.01.1002"},
            "identitas-kode_desa",
            "33.75.01.1002",
            "di luar wilayah 63.01",
        ),
        ({"tahun": "26"}, "identitas-tahun", "26", "tahun harus empat angka"),
        ({"panjang_jalan_ideal_m": "0"}, "aspek_2-v_2a", "390", "padahal"),
    ],
)
def test_a_bad_value_rejects_the_file_naming_row_column_and_value_in_indonesian(
    region: str, override: dict[str, str], column: str, value: str | None, reason: str
) -> None:
    data = odk_central_csv([("a-1", answers()), ("a-2", answers(rt="002", **override))])
    with translation.override("id"):
        report = run(data)
    assert report.status == ImportRun.Status.REJECTED
    assert Observation.objects.count() == 0
    problem = report.errors[0]
    assert (problem.file, problem.row, problem.column) == ("rt_survey.csv", "3", column)
    assert reason in problem.reason
    if value is not None:
        assert problem.value is not None
        assert value in problem.value


def test_skip_invalid_stores_the_good_submissions(region: str) -> None:
    data = odk_central_csv([("a-1", answers()), ("a-2", answers(rt="002", v_2b="-3"))])
    report = run(data, skip_invalid=True)
    assert report.status == ImportRun.Status.PARTIAL
    assert report.rejected_rows == ["3"]
    assert Observation.objects.count() == 1


def test_a_volume_above_its_denominator_is_stored_with_a_warning(region: str) -> None:
    report = run(odk_central_csv([("a-1", answers(v_1a="70"))]))
    assert report.created == 1
    assert any(w.column == "aspek_1-v_1a" for w in report.warnings)


def test_a_file_that_is_not_the_survey_export_is_refused_in_indonesian(region: str) -> None:
    with translation.override("id"):
        report = run(b"foo,bar\n1,2\n")
    assert report.status == ImportRun.Status.REJECTED
    assert report.errors[0].row == "1"
    assert "bukan ekspor formulir pendataan RT" in report.errors[0].reason


def test_the_cli_imports_and_reports_a_bad_value_in_indonesian(region: str, tmp_path: Path) -> None:
    path = tmp_path / "rt_survey.csv"
    path.write_bytes(odk_central_csv([("a-1", answers(v_2b="-3"))]))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("id"):
        code = main(["import", "odk", str(path), "--region", REGION], out, err)
    assert code == 1
    assert "rt_survey.csv, baris 2, kolom aspek_2-v_2b, nilai '-3" in out.getvalue()
    assert "kriteria 2b: volume -3 negatif" in out.getvalue()
    path.write_bytes(odk_central_csv([("a-1", answers())]))
    assert main(["import", "odk", str(path), "--region", REGION], out, err) == 0
    assert main(["import", "odk", str(path), "--region", REGION], out, err) == 0
    assert "status: tidak ada perubahan" in out.getvalue()


def test_the_test_exports_follow_the_forms_groups(region: str) -> None:
    central = odk_central_csv([("a-1", answers())]).decode().split("\n", 1)[0].split(",")
    assert {"identitas-kode_desa", "identitas-titik-Latitude", "pembagi-luas_ha"} <= set(central)
    assert {"aspek_1-v_1a", "aspek_7-foto_7b", "meta-instanceID", "KEY"} <= set(central)
    kobo = kobo_csv([("a-1", answers())]).decode().split("\n", 1)[0].split(";")
    assert {"identitas/kode_desa", "aspek_4/v_4c", "_uuid", "_titik_latitude"} <= set(kobo)
