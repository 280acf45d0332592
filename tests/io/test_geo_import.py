"""Saving delineations: every upload is a new version, the current one is copied to the location,
each change is audited with its area before and after, and a file is saved whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.core.geometry import geodesic_area_ha, swap_xy, to_geojson, to_ha
from sikumuh.io.geo.delineation import check_geometries, import_geometries
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.delineation_actions import GeometryRejected, save_geometry
from sikumuh.slums.models import Location, LocationGeometry
from tests.factories import ACTOR, location
from tests.io.geo_files import square, to_utm50s, write, write_shapefile_zip

pytestmark = pytest.mark.django_db

A = square(114.750, -3.800)
B = square(114.760, -3.800)
SARANG_HALANG = "63.01.03.1001"
ANGSAU = "63.01.03.1004"


@pytest.fixture
def places(load_regions_under: Callable[..., int]) -> dict[str, Location]:
    load_regions_under("63.01")
    one = location("TL-01", SARANG_HALANG)
    two = location("TL-02", ANGSAU)
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="SK/1/2020",
        year=2020,
        entries=[(one, Decimal("4.90")), (two, Decimal("4.90"))],
    )
    return {"TL-01": one, "TL-02": two}


def kabupaten() -> Region:
    return Region.objects.get(code="63.01")


def test_a_saved_polygon_is_version_1_current_and_copied_to_the_location(
    places: dict[str, Location],
) -> None:
    version = save_geometry(
        actor=ACTOR, location=places["TL-01"], geometry=to_geojson(A), source="x"
    )
    assert (version.version, version.is_current) == (1, True)
    assert version.area_ha == to_ha(geodesic_area_ha(A))
    places["TL-01"].refresh_from_db()
    assert places["TL-01"].polygon == version.geometry


def test_saving_twice_keeps_both_versions_and_audits_the_areas_before_and_after(
    places: dict[str, Location],
) -> None:
    loc = places["TL-01"]
    first = save_geometry(actor=ACTOR, location=loc, geometry=to_geojson(A), source="a.geojson")
    bigger = square(114.750, -3.800, side_deg=0.003)
    second = save_geometry(actor=ACTOR, location=loc, geometry=bigger, source="b.geojson")
    versions = list(LocationGeometry.objects.filter(location=loc).order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    loc.refresh_from_db()
    assert loc.polygon == second.geometry == to_geojson(bigger)
    entries = list(AuditEntry.objects.filter(action="location.geometry").order_by("id"))
    assert [e.changes for e in entries] == [
        {"area_ha": [None, str(first.area_ha)], "version": [None, 1]},
        {"area_ha": [str(first.area_ha), str(second.area_ha)], "version": [1, 2]},
    ]
    assert entries[1].context["source"] == "b.geojson"
    assert entries[1].region_code == SARANG_HALANG


def test_a_polygon_set_before_versions_existed_is_the_audited_before_area(
    places: dict[str, Location],
) -> None:
    Location.objects.filter(pk=places["TL-01"].pk).update(polygon=to_geojson(A))
    places["TL-01"].refresh_from_db()
    bigger = square(114.750, -3.800, side_deg=0.003)
    save_geometry(actor=ACTOR, location=places["TL-01"], geometry=bigger, source="x")
    entry = AuditEntry.objects.get(action="location.geometry")
    assert entry.changes["area_ha"][0] == str(to_ha(geodesic_area_ha(A)))


def test_a_polygon_in_utm_50s_is_stored_in_lon_lat(places: dict[str, Location]) -> None:
    version = save_geometry(
        actor=ACTOR,
        location=places["TL-01"],
        geometry=to_utm50s(A),
        source="x",
        source_crs="EPSG:32750",
    )
    assert version.source_crs == "EPSG:32750"
    assert version.geometry["coordinates"][0][0][0] == pytest.approx(114.752, abs=1e-7)


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        (swap_xy(A), "berurutan (lintang, bujur)"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [114.75, -3.8],
                        [114.76, -3.81],
                        [114.76, -3.8],
                        [114.75, -3.81],
                        [114.75, -3.8],
                    ]
                ],
            },
            "batasnya memotong dirinya sendiri",
        ),
        ({"type": "Point", "coordinates": [114.75, -3.8]}, "sebuah titik, bukan poligon"),
    ],
)
def test_an_unusable_polygon_is_rejected_and_nothing_is_written(
    places: dict[str, Location], geometry: object, reason: str
) -> None:
    with pytest.raises(GeometryRejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        save_geometry(actor=ACTOR, location=places["TL-01"], geometry=geometry, source="x")  # type: ignore[arg-type]
    assert not LocationGeometry.objects.exists()
    assert not AuditEntry.objects.filter(action="location.geometry").exists()


FEATURES = [({"kode": "TL-01"}, A), ({"kode": "TL-02"}, B)]


@pytest.mark.parametrize(
    "name",
    ["lokasi.geojson", "lokasi.zip", "lokasi.gpkg", "lokasi.kml"],
)
def test_each_format_is_imported_as_one_committed_run(
    places: dict[str, Location], tmp_path: Path, name: str
) -> None:
    if name.endswith(".zip"):
        utm = [(p, to_utm50s(g)) for p, g in FEATURES]
        path = write_shapefile_zip(tmp_path / name, utm, crs="EPSG:32750")
    else:
        path = write(tmp_path / name, FEATURES)
    report = import_geometries(actor=ACTOR, file=path, region=kabupaten(), match_field="kode")
    assert report.ok, report.problems
    assert report.created == 2
    for code, shape in (("TL-01", A), ("TL-02", B)):
        current = LocationGeometry.objects.get(location__code=code, is_current=True)
        assert float(current.area_ha) == pytest.approx(geodesic_area_ha(shape), abs=1e-4)
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.kind, run.status, run.rows_total, run.rows_created) == (
        "delineation",
        "committed",
        2,
        2,
    )
    assert AuditEntry.objects.filter(action="location.geometry").count() == 2


def test_one_bad_feature_and_nothing_is_saved_but_the_run_is_recorded_with_every_problem(
    places: dict[str, Location], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "f.geojson",
        [({"kode": "TL-01"}, A), ({"kode": "TL-02"}, swap_xy(B)), ({"kode": "TL-77"}, B)],
    )
    report = import_geometries(actor=ACTOR, file=path, region=kabupaten(), match_field="kode")
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems if p.severity == "error"] == [
        ("2", "geometry"),
        ("3", "kode"),
    ]
    assert not LocationGeometry.objects.exists()
    assert not AuditEntry.objects.filter(action="location.geometry").exists()
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.status, run.rows_rejected) == ("rejected", 2)
    assert len(run.report["errors"]) == 2


def test_swapped_coordinates_are_imported_swapped_back_when_asked(
    places: dict[str, Location], tmp_path: Path
) -> None:
    path = write(tmp_path / "f.geojson", [({"kode": "TL-01"}, swap_xy(A))])
    report = import_geometries(
        actor=ACTOR, file=path, region=kabupaten(), match_field="kode", fix_swapped=True
    )
    assert report.ok
    places["TL-01"].refresh_from_db()
    assert places["TL-01"].polygon == to_geojson(A)


def test_uploading_twice_keeps_two_versions_with_the_latest_current(
    places: dict[str, Location], tmp_path: Path
) -> None:
    first = write(tmp_path / "a.geojson", [({"kode": "TL-01"}, A)])
    second = write(tmp_path / "b.geojson", [({"kode": "TL-01"}, square(114.75, -3.8, 0.0025))])
    for path in (first, second):
        assert import_geometries(actor=ACTOR, file=path, region=kabupaten()).ok
    versions = LocationGeometry.objects.filter(location=places["TL-01"]).order_by("version")
    assert [(v.version, v.source_name, v.is_current) for v in versions] == [
        (1, "a.geojson", False),
        (2, "b.geojson", True),
    ]
    places["TL-01"].refresh_from_db()
    assert places["TL-01"].polygon == versions[1].geometry


def test_only_the_locations_the_user_may_edit_can_be_matched(
    places: dict[str, Location], tmp_path: Path
) -> None:
    path = write(tmp_path / "f.geojson", FEATURES)
    report = import_geometries(
        actor=ACTOR,
        file=path,
        region=kabupaten(),
        match_field="kode",
        may_edit=lambda code: code.startswith(SARANG_HALANG),
    )
    assert not report.ok
    [error] = [p for p in report.problems if p.severity == "error"]
    assert (error.row, error.value, error.reason) == (
        "2",
        "TL-02",
        "tidak ada lokasi dengan kode atau nama ini di Kabupaten Tanah Laut",
    )


def test_an_unreadable_file_is_a_rejected_run_whose_page_says_why(
    places: dict[str, Location], tmp_path: Path
) -> None:
    path = tmp_path / "f.geojson"
    path.write_text("{broken")
    report = import_geometries(actor=ACTOR, file=path, region=kabupaten())
    assert (report.status, report.preview) == ("rejected", None)
    reason = "f.geojson: tidak dapat dibaca sebagai GeoJSON"
    assert [p.reason for p in report.errors] == [reason]
    run = ImportRun.objects.get(pk=report.run_id)
    assert run.status == "rejected"
    # The run's page lists the run's errors: the file's own one among them.
    assert [p["reason"] for p in run.report["errors"]] == [reason]


def test_a_check_writes_nothing_and_is_ready_only_when_every_feature_would_be_saved(
    places: dict[str, Location], tmp_path: Path
) -> None:
    good = write(tmp_path / "good.geojson", FEATURES)
    bad = write(tmp_path / "bad.geojson", [({"kode": "TL-77"}, A)])
    checked = [
        check_geometries(file=path, region=kabupaten(), match_field="kode").status
        for path in (good, bad)
    ]
    assert checked == ["ready", "rejected"]
    assert not ImportRun.objects.exists()
    assert not LocationGeometry.objects.exists()
