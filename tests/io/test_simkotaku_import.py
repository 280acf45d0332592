"""`import_simkotaku`: the profil layer stored as 02/2016 percentages, the status layer compared.

Runs on the test database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.io.models import ImportRun
from sikumuh.io.simkotaku import SimkotakuError, import_simkotaku
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation, Score
from tests.io.simkotaku_files import Export

pytestmark = pytest.mark.django_db
FORMATS = [".geojson", ".zip", ".csv"]


def _import(profil: Path, status: Path | None = None, **options: object) -> object:
    return import_simkotaku(
        profil,
        status,
        region_code="33.75",
        actor=Actor.system(),
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_whole_export_is_stored_scored_under_the_2016_rules_in_every_format(
    kota_pekalongan: Region, tmp_path: Path, suffix: str
) -> None:
    export = Export(tmp_path)
    report = import_simkotaku(
        export.write_profil(suffix),
        export.write_status(suffix),
        region_code="33.75",
        actor=Actor.system(),
    )
    assert (report.status, report.created, report.rejected_rows) == ("committed", 4, [])
    scores = {
        s.observation.rt.rt: (s.rule_set, s.total, s.klass)
        for s in Score.objects.select_related("observation__rt")
    }
    assert scores == {
        "RT001-RW002": ("permen-pupr-02-2016", 95, "kumuh_berat"),
        "RT003-RW001": ("permen-pupr-02-2016", 57, "kumuh_sedang"),
        "RT002-RW005": ("permen-pupr-02-2016", 19, "kumuh_ringan"),
        "RT010-RW003": ("permen-pupr-02-2016", 0, "tidak_kumuh"),
    }
    obs = Observation.objects.get(rt__rt="RT001-RW002")
    assert (obs.tahun, obs.source, obs.volumes) == (2020, "simkotaku", {})
    assert obs.percents["4d"] == "80"
    assert report.extra["status_differences"] == []
    assert set(Location.objects.values_list("code", flat=True)) == {
        "SIMKOTAKU-33.75.01.1002",
        "SIMKOTAKU-33.75.01.1008",
        "SIMKOTAKU-33.75.02.1012",
        "SIMKOTAKU-33.75.04.1010",
    }
    outlines = [rt.polygon for rt in RtUnit.objects.all()]
    if suffix == ".csv":
        assert outlines == [None] * 4
    else:
        assert all(p and p["type"] == "Polygon" for p in outlines)
        assert report.extra["polygons"]["rts_set"] == 4


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_importing_the_same_export_again_changes_nothing(
    kota_pekalongan: Region, tmp_path: Path, suffix: str
) -> None:
    export = Export(tmp_path)
    _import(export.write_profil(suffix))
    audit_rows = AuditEntry.objects.count()
    report = _import(export.write_profil(suffix))
    assert (report.status, report.unchanged, report.created, report.updated) == (  # type: ignore[attr-defined]
        "unchanged",
        4,
        0,
        0,
    )
    assert AuditEntry.objects.count() == audit_rows


def test_a_negative_percentage_rejects_the_whole_import_naming_its_row(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts[1].percents["4a"] = "-100.0"
    report = _import(export.write_profil(".csv"))
    assert report.status == "rejected"  # type: ignore[attr-defined]
    [error] = report.errors  # type: ignore[attr-defined]
    assert (error.file, error.row, error.column, error.value) == (
        "profil_kumuh_basis.csv",
        "3",
        "k4_a_p",
        "-100.0",
    )
    assert Observation.objects.count() == 0
    assert ImportRun.objects.get().status == "rejected"


def test_skip_invalid_stores_the_valid_rows_and_lists_the_others(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts[1].percents["4a"] = "-100.0"
    export.rts[2].kelurahan = "Atlantis"
    report = _import(export.write_profil(".geojson"), skip_invalid=True)
    assert report.status == "partial"  # type: ignore[attr-defined]
    assert report.rejected_rows == ["2", "3"]  # type: ignore[attr-defined]
    assert Observation.objects.count() == 2
    names = report.extra["kelurahan_names"]  # type: ignore[attr-defined]
    assert [n["kelurahan"] for n in names["unresolved"]] == ["Atlantis"]


def test_every_difference_of_the_status_layer_is_listed(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.status[1] = (56, "Kumuh Ringan")  # computed: 57, sedang
    export.status[3] = (0, "Kumuh Ringan")  # computed: tidak kumuh
    profil = export.write_profil(".zip")
    status = export.write_status(".zip", kum="kum")  # kum_awal / kum_akhir
    export.rts.append(export.rts[0].__class__("33750999-RT001-RW001", "X", "Medono", "1", 0, 0))
    export.status.append((0, "Tidak Kumuh"))
    report = _import(profil, export.write_status(".geojson"))
    differences = report.extra["status_differences"]  # type: ignore[attr-defined]
    assert [
        (d["kode_rtrw"], d["column"], d["stated"], d["computed"], d["severity"])
        for d in differences
    ] == [
        ("33750115-RT003-RW001", "skor_awal", "56", "57", "error"),
        ("33750115-RT003-RW001", "kumuh_awal", "Kumuh Ringan", "kumuh_sedang", "error"),
        ("33750412-RT010-RW003", "kumuh_awal", "Kumuh Ringan", "tidak_kumuh", "error"),
        ("33750999-RT001-RW001", "Kode_RTRW", "33750999-RT001-RW001", None, "error"),
    ], differences
    report = _import(profil, status)
    columns = [d["column"] for d in report.extra["status_differences"]]  # type: ignore[attr-defined]
    assert columns == ["skor_awal", "kum_awal", "kum_awal"]


def test_a_file_without_the_profil_columns_is_refused_in_one_line(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    with pytest.raises(SimkotakuError, match="bukan lapisan Profil Kumuh Basis"):
        _import(export.write_status(".csv"))


def test_an_unknown_region_is_refused(kota_pekalongan: Region, tmp_path: Path) -> None:
    with pytest.raises(SimkotakuError, match=r"99\.99"):
        import_simkotaku(
            Export(tmp_path).write_profil(".csv"), region_code="99.99", actor=Actor.system()
        )


def test_an_rt_given_twice_with_other_figures_is_refused_as_a_duplicate(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts.append(replace(export.rts[0], percent="70"))  # the same figures: one RT in parts
    report = _import(export.write_profil(".csv"))
    assert report.status == "rejected"  # type: ignore[attr-defined]
    [error] = report.errors  # type: ignore[attr-defined]
    assert (error.row, error.column, error.value) == ("6", "rt", "RT001-RW002")
    assert error.reason.startswith("duplicate of row 2")


def test_an_outline_outside_indonesia_is_not_kept_but_its_rt_is(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts[0].lon, export.rts[0].lat = 2.35, 48.85  # Paris
    report = _import(export.write_profil(".geojson"))
    assert report.status == "committed"  # type: ignore[attr-defined]
    [warning] = [w for w in report.warnings if w.column == "geometry"]  # type: ignore[attr-defined]
    assert (warning.row, warning.reason.endswith("batas RT tidak disimpan")) == ("1", True)
    assert RtUnit.objects.get(rt="RT001-RW002").polygon is None
    assert Observation.objects.get(rt__rt="RT001-RW002").luas_ha is None


def test_a_percentage_above_100_is_kept_with_a_warning_naming_the_exports_column(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    export.rts[0].percents["4a"] = "120"
    report = _import(export.write_profil(".csv"))
    assert report.status == "committed"  # type: ignore[attr-defined]
    [warning] = report.warnings  # type: ignore[attr-defined]
    assert (warning.row, warning.column, warning.value) == ("2", "k4_a_p", "120.000000")
    stored = ImportRun.objects.get().report["warnings"]
    assert [w["column"] for w in stored] == ["k4_a_p"]
