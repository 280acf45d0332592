"""`sikumuh uji-petik sample|xlsform|import-submissions`."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from sikumuh.cli import main
from sikumuh.inspections.models import Checklist, UjiPetik
from tests.inspections.helpers import build_works

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")
    build_works()


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


SAMPLE = ("uji-petik", "sample", "--region", "63.01", "--tahun", "2021", "--n", "6")


def test_a_dry_run_shows_the_sample_and_the_same_seed_shows_it_again(works: None) -> None:
    code, out, _ = call(*SAMPLE, "--seed", "42", "--dry-run", "--format", "json")
    assert code == 0
    first = json.loads(out)
    assert first["uji_petik"] is None
    assert (first["seed"], first["population"], first["n_random"]) == (42, 15, 6)
    assert [s["n"] for s in first["strata"]] == [3, 1, 2]
    _, again, _ = call(*SAMPLE, "--seed", "42", "--dry-run", "--format", "json")
    assert [i["id"] for i in json.loads(again)["items"]] == [i["id"] for i in first["items"]]
    assert not UjiPetik.objects.exists()


def test_sample_stores_the_uji_petik_with_its_seed(works: None) -> None:
    code, out, _ = call(*SAMPLE, "--seed", "42", "--format", "json")
    assert code == 0
    report = json.loads(out)
    stored = UjiPetik.objects.get()
    assert (report["uji_petik"], stored.seed) == (stored.pk, 42)
    assert report["items"][0]["key"] == f"UP{stored.pk}-1"
    _, dry, _ = call(*SAMPLE, "--seed", "42", "--dry-run", "--format", "json")
    assert [i["id"] for i in json.loads(dry)["items"]] == [i["id"] for i in report["items"]]


def test_sample_without_a_seed_picks_one_and_prints_it(works: None) -> None:
    code, out, _ = call(*SAMPLE, "--dry-run")
    assert code == 0
    assert "seed " in out.splitlines()[0]
    assert "dry run, nothing stored" in out


def test_sample_text_lists_strata_and_items(works: None) -> None:
    code, out, _ = call(*SAMPLE, "--seed", "1", "--strata", "kecamatan", "--min", "2")
    assert code == 0
    lines = out.splitlines()
    assert "6 random + 0 purposive of 15 investments, seed 1" in lines[0]
    assert "  Pelaihari: " in out
    assert "  Bajuin: " in out
    assert sum(1 for line in lines if line.strip().startswith(("1 ", "2 ", "3 "))) >= 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--region", "99.99"), "unknown region code"),
        (("--region", "63.01.03"), "bukan kabupaten/kota"),
        (("--tahun", "dua"), "is not a year"),
        (("--strata", "warna"), "cannot stratify"),
    ],
)
def test_sample_errors_are_one_line(works: None, args: tuple[str, ...], message: str) -> None:
    base = dict(zip(SAMPLE[2::2], SAMPLE[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["uji-petik", "sample", *[x for kv in base.items() for x in kv], "--seed", "1"]
    code, _, err = call(*argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_xlsform_writes_the_latest_sample_as_a_form_pyxform_converts(
    works: None, tmp_path: Path
) -> None:
    call(*SAMPLE, "--seed", "1")
    latest_code, _, _ = call(*SAMPLE, "--seed", "2")
    assert latest_code == 0
    latest = UjiPetik.objects.order_by("-drawn_at").first()
    assert latest is not None
    target = tmp_path / "form.xlsx"
    code, out, _ = call(
        "uji-petik", "xlsform", "--region", "63.01", "--tahun", "2021", "-o", str(target)
    )
    assert code == 0
    assert f"form sikumuh_uji_petik_{latest.pk}" in out
    assert f"UP{latest.pk}-1" in convert(xlsform=str(target)).xform


def test_xlsform_without_a_sample_says_so(works: None, tmp_path: Path) -> None:
    code, _, err = call("uji-petik", "xlsform", "--region", "63.01", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert "no uji petik of 63.01" in err


def test_import_submissions_reads_an_export_and_reports_problems(
    works: None, tmp_path: Path
) -> None:
    call(*SAMPLE, "--seed", "1")
    up = UjiPetik.objects.get()
    export = tmp_path / "submissions.csv"
    export.write_text(
        "SubmissionDate,item,kondisi-function,meta-instanceID\n"
        f"2021-11-01T01:00:00Z,UP{up.pk}-1,berfungsi,uuid:1\n"
        "2021-11-01T01:00:00Z,UP999-9,berfungsi,uuid:2\n",
        encoding="utf-8",
    )
    code, out, _ = call("uji-petik", "import-submissions", str(export))
    assert code == 1
    assert "rejected" in out.splitlines()[0]
    assert "row 3, column item, value 'UP999-9'" in out
    code, out, _ = call(
        "uji-petik", "import-submissions", str(export), "--skip-invalid", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["created"] == 1
    assert Checklist.objects.get().function == "berfungsi"


def test_import_submissions_of_a_missing_file_is_an_error(works: None, tmp_path: Path) -> None:
    code, _, err = call("uji-petik", "import-submissions", str(tmp_path / "none.csv"))
    assert (code, "no such file" in err) == (2, True)
