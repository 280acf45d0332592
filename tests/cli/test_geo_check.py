"""`sikumuh geo check FILE`: every format in any CRS, each feature's validity, geodesic area and
issues, the totals; errors one line in Bahasa Indonesia, never a traceback. No database."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from sikumuh.cli import main
from sikumuh.core.geometry import geodesic_area_ha, swap_xy
from tests.io.geo_files import square, to_utm50s, write, write_shapefile_zip
from tests.io.geo_payloads import disguised, vrt

A = square(114.750, -3.800)
B = square(114.760, -3.800)
A_HA = geodesic_area_ha(A)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["geo", "check", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def checked(path: Path, *extra: str) -> dict[str, Any]:
    code, out, err = run(str(path), "--format", "json", *extra)
    assert err == ""
    report: dict[str, Any] = json.loads(out)
    report["exit"] = code
    return report


def kmz(path: Path, features: list[tuple[dict[str, Any], BaseGeometry]]) -> Path:
    kml = write(path.with_suffix(".kml"), features)
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(kml, "doc.kml")
    return path


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("lokasi.geojson", lambda p, f: write(p, f)),
        ("lokasi.gpkg", lambda p, f: write(p, f)),
        ("lokasi.kml", lambda p, f: write(p, f)),
        ("lokasi.kmz", kmz),
        (
            "lokasi.zip",
            lambda p, f: write_shapefile_zip(
                p, [(q, to_utm50s(g)) for q, g in f], crs="EPSG:32750"
            ),
        ),
    ],
)
def test_every_format_gives_each_feature_its_geodesic_area(
    tmp_path: Path, name: str, build: Any
) -> None:
    path = build(tmp_path / name, [({"nama": "Sarang Halang"}, A), ({"nama": "Angsau"}, B)])
    report = checked(path)
    assert report["exit"] == 0
    assert [f["index"] for f in report["features"]] == [1, 2]
    assert all(f["valid"] and f["issues"] == [] for f in report["features"])
    assert report["features"][0]["area_ha"] == pytest.approx(A_HA, rel=1e-4)
    assert report["features"][0]["properties"]["nama"] == "Sarang Halang"
    assert report["total"] == {
        "features": 2,
        "valid": 2,
        "with_issues": 0,
        "area_ha": pytest.approx(A_HA + geodesic_area_ha(B), rel=1e-4),
    }


BOWTIE = Polygon([(114.75, -3.8), (114.752, -3.798), (114.752, -3.8), (114.75, -3.798)])


@pytest.mark.parametrize(
    ("features", "issues"),
    [
        ([A, B], [[], []]),
        ([BOWTIE], [["invalid"]]),
        ([swap_xy(A)], [["swapped"]]),
        ([square(10.0, 50.0)], [["outside"]]),
        ([A, A], [[], ["duplicate"]]),
        ([A, square(114.751, -3.800)], [["overlap"], ["overlap"]]),
    ],
    ids=["clean", "self-intersecting", "lat-lon-swapped", "outside", "duplicate", "overlap"],
)
def test_each_issue_is_named_on_its_feature(
    tmp_path: Path, features: list[BaseGeometry], issues: list[list[str]]
) -> None:
    path = write(tmp_path / "f.geojson", [({"n": str(i)}, g) for i, g in enumerate(features)])
    report = checked(path)
    assert [[i["code"] for i in f["issues"]] for f in report["features"]] == issues
    assert report["exit"] == (1 if any(issues) else 0)


def test_an_empty_geometry_is_named(tmp_path: Path) -> None:
    path = tmp_path / "f.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": {"type": "Polygon", "coordinates": []}}]}'
    )
    [feature] = checked(path)["features"]
    assert not feature["valid"]
    assert [i["code"] for i in feature["issues"]] in (["empty"], ["missing"])


def test_a_layer_without_crs_takes_the_given_one(tmp_path: Path) -> None:
    path = write_shapefile_zip(tmp_path / "f.zip", [({"n": "1"}, to_utm50s(A))], crs=None)
    report = checked(path, "--crs", "EPSG:32750")
    assert report["assumed_crs"] == "EPSG:32750"
    assert report["features"][0]["area_ha"] == pytest.approx(A_HA, rel=1e-4)


def test_the_text_output_names_features_issues_and_total_in_indonesian(tmp_path: Path) -> None:
    path = write(tmp_path / "f.geojson", [({"nama": "X"}, A), ({"nama": "Y"}, A)])
    code, out, _err = run(str(path))
    assert code == 1
    assert "#1 valid 4.9" in out
    assert "duplikat: poligon yang sama dengan fitur 1" in out
    assert out.splitlines()[-1].startswith("2 fitur, 2 valid, 1 bermasalah, total 9.8")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "hilang.geojson", "hilang.geojson: berkas tidak ada"),
        (lambda d: disguised(vrt("CSV:/etc/passwd"), "peta.kml", d), "peta.kml: bukan berkas KML"),
        (
            lambda d: disguised(vrt("CSV:/etc/passwd"), "lokasi.zip", d),
            "lokasi.zip: .shp di dalam zip bukan bagian Shapefile",
        ),
        (
            lambda d: write(d / "f.geojson", [({"n": "1"}, A)]),
            "f.geojson: CRS EPSG:999999 tidak dikenal (opsi --crs)",
        ),
    ],
    ids=["missing", "vrt-as-kml", "vrt-in-zip", "unknown-crs"],
)
def test_errors_are_one_indonesian_line_without_server_paths(
    tmp_path: Path, make: Any, message: str
) -> None:
    code, out, err = run(str(make(tmp_path)), "--crs", "EPSG:999999")
    assert code == 2
    assert out == ""
    assert err == f"sikumuh: kesalahan: {message}\n"
    assert str(tmp_path) not in err


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("lokasi.kml", lambda p, f: write(p, f)),
        ("lokasi.kmz", kmz),
        ("lokasi.geojson", lambda p, f: write(p, f)),
    ],
)
def test_a_kml_gives_its_own_attributes_not_the_empty_kml_standard_fields(
    tmp_path: Path, name: str, build: Any
) -> None:
    features = [({"KELURAHAN": "Angsau", "LUAS_HA": "4.9"}, A)]
    report = checked(build(tmp_path / name, features))
    assert _own(report["features"][0]["properties"]) == {"KELURAHAN": "Angsau", "LUAS_HA": "4.9"}


def _own(properties: dict[str, Any]) -> dict[str, Any]:
    """The attributes but the placemark id GDAL's KML writer gives ("lokasi.1"): a value given,
    so kept (the real KMZ checked had none)."""
    return {k: v for k, v in properties.items() if k != "id"}


def test_a_kml_name_and_description_that_are_given_are_kept(tmp_path: Path) -> None:
    features = [({"Name": "Kawasan Angsau", "description": "RT 01", "LUAS_HA": "4.9"}, A)]
    report = checked(write(tmp_path / "lokasi.kml", features))
    assert _own(report["features"][0]["properties"]) == {
        "Name": "Kawasan Angsau",
        "description": "RT 01",
        "LUAS_HA": "4.9",
    }


@pytest.mark.parametrize("side_m", [1.5, 5.0, 30.0])
def test_the_area_of_a_sliver_keeps_its_precision_in_json(tmp_path: Path, side_m: float) -> None:
    side = side_m / 111_000  # degrees of a few metres near the equator
    sliver = square(114.750, -3.800, side)
    report = checked(write(tmp_path / "lokasi.geojson", [({"n": "1"}, sliver)]))
    exact = geodesic_area_ha(sliver)
    assert report["features"][0]["area_ha"] == pytest.approx(exact, rel=0.005, abs=1e-6)
    assert report["total"]["area_ha"] == pytest.approx(exact, rel=0.005, abs=1e-6)
