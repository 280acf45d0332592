"""`sikumuh export rt-data`: the template's columns first, then the computed ones; an unedited
export imported with `sikumuh import template` changes nothing (the demo, a locked year too);
an edited one imports its edits. Errors are one Indonesian line each."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.cli import main
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.io.models import ImportRun
from sikumuh.io.template_columns import BASE_CODES
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.review import lock_year
from tests.conftest import Personas
from tests.web.test_rtdata_support import SARANG_HALANG, demo, demo_module, xlsx_rows

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

TEMPLATE_FIRST = ["kode_desa", "lokasi", "rt", "tahun", "nama_lokasi", "rules", *HEADER_FIELDS]
COMPUTED = ["nama_desa", "total_nilai", "tingkat_kekumuhan", "status_review"]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def state() -> tuple[int, int, int, list[Any]]:
    return (
        Observation.objects.count(),
        Score.objects.count(),
        AuditEntry.objects.count(),
        sorted(Observation.objects.values_list("pk", "status", "volumes", "luas_ha")),
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_export_holds_the_template_columns_first_then_the_computed_ones(
    demo: Personas, tmp_path: Path
) -> None:
    target = tmp_path / "rt.csv"
    code, out, _ = call("export", "rt-data", "--region", "63.01", "-o", str(target))
    assert code == 0
    rows = read_csv(target)
    header = list(rows[0])
    volumes = [f"v_{c}" for c in BASE_CODES]
    assert header[: len(TEMPLATE_FIRST) + len(volumes)] == TEMPLATE_FIRST + volumes
    rest = header[len(TEMPLATE_FIRST) + len(volumes) :]
    assert rest[0] == "nama_desa"
    assert rest[-3:] == ["total_nilai", "tingkat_kekumuhan", "status_review"]
    assert {f"persen_{c}" for c in BASE_CODES} | {f"nilai_{c}" for c in BASE_CODES} <= set(rest)
    assert len(rows) == Observation.objects.filter(rt__desa__code__startswith="63.01.").count()
    assert out == f"{len(rows)} baris RT 63.01 ditulis ke {target} (csv)\n"
    stored = Observation.objects.select_related("score").get(
        rt__desa_id=rows[0]["kode_desa"], rt__rt=rows[0]["rt"], tahun=int(rows[0]["tahun"])
    )
    assert int(rows[0]["total_nilai"]) == stored.score.total
    assert rows[0]["status_review"] == "approved"


def test_a_year_narrows_the_export(demo: Personas, tmp_path: Path) -> None:
    target = tmp_path / "rt-2021.csv"
    assert (
        call("export", "rt-data", "--region", SARANG_HALANG, "--tahun", "2021", "-o", str(target))[
            0
        ]
        == 0
    )
    rows = read_csv(target)
    assert {r["tahun"] for r in rows} == {"2021"}
    assert {r["kode_desa"] for r in rows} == {SARANG_HALANG}
    assert len(rows) == 6


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unedited_export_imports_back_changing_nothing_even_in_a_locked_year(
    demo: Personas, tmp_path: Path, fmt: str
) -> None:
    lock_year(actor=Actor.system("test"), kabupaten=Region.objects.get(code="63.01"), tahun=2019)
    target = tmp_path / f"rt.{fmt}"
    assert call("export", "rt-data", "--region", "63.01", "-o", str(target))[0] == 0
    before = state()
    code, out, _ = call("import", "template", str(target))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "status: tidak ada perubahan"
    assert "baru: 0" in lines
    assert "diperbarui: 0" in lines
    assert not any(line.startswith(("kesalahan", "peringatan")) for line in lines), out
    assert state() == before
    assert ImportRun.objects.latest("started_at").status == "unchanged"


def test_the_xlsx_export_is_the_same_table_as_the_csv(demo: Personas, tmp_path: Path) -> None:
    call("export", "rt-data", "--region", SARANG_HALANG, "-o", str(tmp_path / "a.csv"))
    call(
        "export",
        "rt-data",
        "--region",
        SARANG_HALANG,
        "--format",
        "xlsx",
        "-o",
        str(tmp_path / "a.bin"),
    )
    table = xlsx_rows((tmp_path / "a.bin").read_bytes(), "data")
    rows = read_csv(tmp_path / "a.csv")
    assert table[0] == list(rows[0])
    assert len(table) == len(rows) + 1


def test_an_edited_export_imports_its_edit_for_a_new_year(demo: Personas, tmp_path: Path) -> None:
    """The issue's scenario: Pelaihari's 2021 data, one slum RT's volumes set to 0 for 2022."""
    source = tmp_path / "pelaihari-2021.csv"
    call("export", "rt-data", "--region", "63.01.03", "--tahun", "2021", "-o", str(source))
    rows = read_csv(source)
    slum = next(r for r in rows if r["tingkat_kekumuhan"] != "Tidak Kumuh")
    edited = {**slum, "tahun": "2022", **{f"v_{c}": "0" for c in BASE_CODES}}
    target = tmp_path / "pelaihari-2022.csv"
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(slum))
        writer.writeheader()
        writer.writerow(edited)
    code, out, _ = call("import", "template", str(target))
    assert code == 0, out
    assert "baru: 1" in out.splitlines()
    new = Observation.objects.select_related("score").get(
        rt__desa_id=slum["kode_desa"], rt__rt=slum["rt"], tahun=2022
    )
    assert (new.score.total, new.score.klass) == (0, "tidak_kumuh")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "99.99"], "kode wilayah tidak dikenal: 99.99"),
        (["--region", "63.01", "--tahun", "21"], "--tahun 21: tahun harus empat angka, 2000–2100"),
    ],
)
def test_a_bad_region_or_year_is_one_indonesian_line(
    demo: Personas, tmp_path: Path, argv: list[str], message: str
) -> None:
    code, _, err = call("export", "rt-data", *argv, "-o", str(tmp_path / "x.csv"))
    assert code == 2
    assert err == f"sikumuh: kesalahan: {message}\n"
    assert not (tmp_path / "x.csv").exists()


def test_an_unwritable_file_is_one_line_without_a_traceback(demo: Personas, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "x.csv"
    code, _, err = call("export", "rt-data", "--region", SARANG_HALANG, "-o", str(target))
    assert code == 2
    assert err.count("\n") == 1
    assert "periksa apakah foldernya ada" in err


def test_importing_into_a_locked_year_is_refused_in_indonesian_on_the_command_line(
    demo: Personas, tmp_path: Path
) -> None:
    lock_year(
        actor=Actor.system("uji"),
        kabupaten=Region.objects.get(code="63.01"),
        tahun=2019,
        note="Data dasar final.",
    )
    source = tmp_path / "rt.csv"
    call("export", "rt-data", "--region", SARANG_HALANG, "--tahun", "2019", "-o", str(source))
    rows = read_csv(source)
    rows[0]["v_2b"] = "0" if rows[0]["v_2b"] != "0" else "1"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = state()
    code, out, _ = call("import", "template", str(source))
    assert code == 1
    problem = next(line for line in out.splitlines() if line.startswith("rt.csv, baris 2"))
    assert "tahun 2019 untuk Kabupaten Tanah Laut terkunci (oleh uji pada" in problem
    assert "Catatan kunci: Data dasar final." in problem
    assert state() == before
