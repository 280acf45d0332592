"""Reading and checking delineation files (no database): four formats, reprojection, and every
problem named by file, feature, field, value and reason."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import geodesic_area_ha, swap_xy
from sikumuh.io.geo import (
    GeoFileError,
    LocationRef,
    analyse,
    detect_match_field,
    read_geofile,
)
from tests.io.geo_files import square, to_utm50s, write, write_shapefile_zip

A = square(114.750, -3.800)
B = square(114.760, -3.800)
LOCATIONS = [
    LocationRef(1, "TL-01", "Kawasan Sarang Halang", Decimal("4.90")),
    LocationRef(2, "TL-02", "Kawasan Angsau", Decimal("2.00")),
]
FEATURES = [
    ({"kode": "TL-01", "nama": "Kawasan Sarang Halang"}, A),
    ({"kode": "tl-02", "nama": "x"}, B),
]


def build(kind: str, folder: Path) -> Path:
    """The same two squares in each format; the Shapefile in UTM zone 50S metres."""
    if kind == "geojson":
        return write(folder / "lokasi.geojson", FEATURES)
    if kind == "shapefile-utm50s":
        utm = [(p, to_utm50s(g)) for p, g in FEATURES]
        return write_shapefile_zip(folder / "lokasi.zip", utm, crs="EPSG:32750", folder="data/")
    if kind == "gpkg":
        return write(folder / "lokasi.gpkg", FEATURES)
    assert kind == "kml"
    return write(folder / "lokasi.kml", FEATURES)


@pytest.mark.parametrize("kind", ["geojson", "shapefile-utm50s", "gpkg", "kml"])
def test_every_format_gives_the_same_two_polygons_in_lon_lat_with_their_geodesic_area(
    kind: str, tmp_path: Path
) -> None:
    geofile = read_geofile(build(kind, tmp_path))
    analysis = analyse(geofile, LOCATIONS, match_field="kode")
    assert analysis.ok, analysis.problems
    assert [f.location.code for f in analysis.features if f.location] == ["TL-01", "TL-02"]
    first = analysis.features[0]
    assert first.geometry is not None
    # Shapefiles store rings clockwise: compare the normalised rings, to 1 cm.
    assert first.geometry.normalize().equals_exact(A.normalize(), tolerance=1e-7)
    assert first.area_ha == pytest.approx(geodesic_area_ha(A), rel=1e-6)
    assert first.utm_area_ha == pytest.approx(first.area_ha, rel=2e-3)
    assert first.source_crs == ("EPSG:32750" if kind.startswith("shapefile") else "EPSG:4326")
    assert first.comparison is not None
    assert first.comparison.declared_ha == Decimal("4.90")


def test_the_match_field_is_detected_from_the_values_that_match_locations(tmp_path: Path) -> None:
    geofile = read_geofile(build("geojson", tmp_path))
    assert detect_match_field(geofile, LOCATIONS) == "kode"
    by_name = [({"id": "7", "nama": "Kawasan Angsau"}, B)]
    assert detect_match_field(read_geofile(write(tmp_path / "n.geojson", by_name)), LOCATIONS) == (
        "nama"
    )


def test_locations_are_matched_by_name_when_the_field_holds_names(tmp_path: Path) -> None:
    features = [({"nama": "  kawasan   sarang HALANG "}, A)]
    analysis = analyse(read_geofile(write(tmp_path / "n.geojson", features)), LOCATIONS)
    assert analysis.ok
    assert analysis.features[0].location == LOCATIONS[0]


def problems_of(
    tmp_path: Path, features: list[tuple[dict[str, str], BaseGeometry]]
) -> list[tuple[str, str | None, str | None, str]]:
    path = write(tmp_path / "f.geojson", features)
    analysis = analyse(read_geofile(path), LOCATIONS, match_field="kode")
    return [(p.row, p.column, p.value, p.reason) for p in analysis.errors]


def test_swapped_coordinates_are_an_error_that_names_the_fix(tmp_path: Path) -> None:
    [(row, column, _value, reason)] = problems_of(tmp_path, [({"kode": "TL-01"}, swap_xy(A))])
    assert (row, column) == ("1", "geometry")
    assert "(lintang, bujur)" in reason
    assert "ditukar kembali dapat dipakai" in reason


def test_swapped_coordinates_are_swapped_back_on_request_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "f.geojson", [({"kode": "TL-01"}, swap_xy(A))])
    analysis = analyse(read_geofile(path), LOCATIONS, match_field="kode", fix_swapped=True)
    assert analysis.ok
    assert analysis.swapped == 1
    assert analysis.features[0].geometry is not None
    assert analysis.features[0].geometry.equals(A)
    assert [p.reason for p in analysis.warnings] == [
        "koordinat ditukar kembali menjadi (bujur, lintang)"
    ]


def test_a_self_intersecting_ring_is_an_error_with_its_place(tmp_path: Path) -> None:
    bow_tie = Polygon([(114.75, -3.80), (114.76, -3.81), (114.76, -3.80), (114.75, -3.81)])
    [problem] = problems_of(tmp_path, [({"kode": "TL-01"}, A), ({"kode": "TL-02"}, bow_tie)])
    assert problem[:2] == ("2", "geometry")
    assert "batasnya memotong dirinya sendiri di dekat bujur 114,755, lintang -3,805" in problem[3]


@pytest.mark.parametrize(
    ("kode", "reason"),
    [
        ("TL-99", "tidak ada lokasi dengan kode atau nama ini"),
        ("", "fitur ini tidak memuat kode atau nama lokasi"),
    ],
)
def test_a_feature_without_a_known_location_is_an_error_naming_the_value(
    tmp_path: Path, kode: str, reason: str
) -> None:
    [problem] = problems_of(tmp_path, [({"kode": kode}, A)])
    assert problem == ("1", "kode", kode or None, reason)


def test_a_location_given_twice_is_an_error_on_the_second_feature(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, [({"kode": "TL-01"}, A), ({"kode": "TL-01"}, B)])
    assert problem[:3] == ("2", "kode", "TL-01")
    assert "sudah memiliki fitur 1" in problem[3]


def test_overlapping_locations_are_warned_about_with_the_shared_hectares(tmp_path: Path) -> None:
    half = square(114.751, -3.800)  # overlaps A by half
    path = write(tmp_path / "f.geojson", [({"kode": "TL-01"}, A), ({"kode": "TL-02"}, half)])
    analysis = analyse(read_geofile(path), LOCATIONS, match_field="kode")
    assert analysis.ok
    overlaps = [
        (p.row, p.reason, p.value) for p in analysis.warnings if "bertumpang tindih" in p.reason
    ]
    shared = f"{geodesic_area_ha(A) / 2:.4f} ha".replace(".", ",")
    assert overlaps == [
        ("1", "bertumpang tindih dengan fitur 2 (TL-02)", shared),
        ("2", "bertumpang tindih dengan fitur 1 (TL-01)", shared),
    ]


def test_an_overlap_with_a_location_already_delineated_is_warned_about(tmp_path: Path) -> None:
    existing = [
        LOCATIONS[0],
        LocationRef(2, "TL-02", "Kawasan Angsau", None, square(114.751, -3.8)),
    ]
    path = write(tmp_path / "f.geojson", [({"kode": "TL-01"}, A)])
    analysis = analyse(read_geofile(path), existing, match_field="kode")
    assert [p.reason for p in analysis.warnings] == ["bertumpang tindih dengan lokasi TL-02"]


def test_an_area_far_from_the_sk_hectares_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "f.geojson", [({"kode": "TL-02"}, A)])  # 4.9 ha against 2.00
    [warning] = analyse(read_geofile(path), LOCATIONS, match_field="kode").warnings
    # Indonesian numbers, not the database's places (issue 12: "7.30000000000000 ha").
    assert warning.reason.startswith("berbeda 1")
    assert warning.reason.endswith("% dari luas SK 2 ha")
    assert "," in warning.reason
    assert warning.value is not None
    assert "," in warning.value


def test_a_shapefile_without_prj_is_read_as_lon_lat_with_a_warning(tmp_path: Path) -> None:
    path = write_shapefile_zip(tmp_path / "f.zip", FEATURES, crs=None)
    analysis = analyse(read_geofile(path), LOCATIONS, match_field="kode")
    assert analysis.ok
    assert analysis.file_problems[0].reason == ("berkas tidak menyebut CRS-nya: dianggap EPSG:4326")


def test_a_utm_shapefile_without_prj_is_outside_indonesia_unless_its_crs_is_given(
    tmp_path: Path,
) -> None:
    utm = [(p, to_utm50s(g)) for p, g in FEATURES]
    path = write_shapefile_zip(tmp_path / "f.zip", utm, crs=None)
    without = analyse(read_geofile(path), LOCATIONS, match_field="kode")
    assert "apakah CRS-nya benar?" in without.errors[0].reason
    given = analyse(read_geofile(path), LOCATIONS, match_field="kode", source_crs="EPSG:32750")
    assert given.ok
    assert given.features[0].source_crs == "EPSG:32750"


def test_a_missing_match_field_is_one_file_level_error(tmp_path: Path) -> None:
    path = write(tmp_path / "f.geojson", [({"fid": "x"}, A)])
    analysis = analyse(read_geofile(path), LOCATIONS, match_field="kode")
    [error] = analysis.errors
    assert "pilih atribut" in error.reason
    assert "fid" in error.reason


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(GeoFileError, match=r"a\.txt: bukan berkas GeoJSON, Shapefile dalam zip"):
        read_geofile(tmp_path / "a.txt")
    (tmp_path / "b.zip").write_bytes(b"not a zip")
    with pytest.raises(GeoFileError, match=r"b\.zip: bukan berkas zip"):
        read_geofile(tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:
        archive.writestr("readme.txt", "no shapefile")
    with pytest.raises(GeoFileError, match=r"c\.zip: zip tidak memuat Shapefile \(.shp\)"):
        read_geofile(tmp_path / "c.zip")
    (tmp_path / "d.geojson").write_text("{broken")
    with pytest.raises(GeoFileError, match=r"d\.geojson: tidak dapat dibaca sebagai GeoJSON"):
        read_geofile(tmp_path / "d.geojson")


def test_a_zip_with_two_shapefiles_is_refused(tmp_path: Path) -> None:
    one = write_shapefile_zip(tmp_path / "one.zip", FEATURES)
    with zipfile.ZipFile(one) as source, zipfile.ZipFile(tmp_path / "two.zip", "w") as target:
        for entry in source.namelist():
            target.writestr(entry, source.read(entry))
            target.writestr("b/" + entry, source.read(entry))
    with pytest.raises(GeoFileError, match="zip memuat 2 Shapefile"):
        read_geofile(tmp_path / "two.zip")
