"""Hostile geometry files (issue #7, findings 1 and 6): the reader reads the uploaded file with
its one driver or refuses it in one fixed line; nothing outside the file is read, no request
leaves, and a geometry GEOS cannot build is a problem of its feature, never a crash."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import pyogrio
import pyogrio.errors
import pytest

from sikumuh.io.geo import GeoFileError, analyse, read_geofile
from sikumuh.io.geo.gdal_policy import ALLOWED_DRIVERS
from tests.io.geo_payloads import (
    DISGUISES,
    called,
    disguised,
    geopackage_with,
    kml_with_network_link,
    lie_about_sizes,
    listening,
    secret_csv,
    vrt,
    zip_of,
)

SECRET = "rahasia-server-7f3a"


def refusal(path: Path, name: str | None = None) -> str:
    with pytest.raises(GeoFileError) as caught:
        read_geofile(path, name=name)
    return str(caught.value)


def test_only_the_products_own_drivers_are_loaded_in_gdal() -> None:
    assert set(pyogrio.list_drivers()) == ALLOWED_DRIVERS
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_ALLOW_EXTERNAL_ACCESS") in ("NO", False)


@pytest.mark.parametrize("name", DISGUISES)
def test_a_vrt_document_in_any_disguise_reads_nothing_of_the_server(
    tmp_path: Path, name: str
) -> None:
    secret = secret_csv(tmp_path / "secret.csv", SECRET)
    for source in (f"CSV:{secret}", str(secret), "CSV:/etc/passwd"):
        path = disguised(vrt(source, layer="secret"), name, tmp_path / "up")
        message = refusal(path)
        assert message.startswith(f"{name}: ")
        assert SECRET not in message
        assert "root:" not in message
        assert str(tmp_path) not in message
        assert "/tmp" not in message


def test_a_vrt_document_behind_an_opening_brace_is_not_read_as_vrt(tmp_path: Path) -> None:
    secret = secret_csv(tmp_path / "secret.csv", SECRET)
    path = tmp_path / "peta.geojson"
    path.write_text('{"type": "FeatureCollection", "x": "' + vrt(f"CSV:{secret}") + '"}')
    message = refusal(path)
    assert SECRET not in message
    assert str(tmp_path) not in message


def test_gdal_itself_sends_no_request_even_for_a_vsicurl_path() -> None:
    """The second door: should a /vsicurl/ name ever reach GDAL, it still fetches nothing
    (without the policy this very call connects to the socket)."""
    with listening() as (url, server), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's "does not exist" warning
        for path in (f"/vsicurl/{url}", f"/vsicurl/{url}".replace(".csv", ".geojson")):
            with pytest.raises(pyogrio.errors.DataSourceError):
                pyogrio.read_info(path)
        assert not called(server)


@pytest.mark.parametrize("name", DISGUISES)
def test_a_vrt_pointing_at_vsicurl_sends_no_request(tmp_path: Path, name: str) -> None:
    with listening() as (url, server):
        for source in (f"/vsicurl/{url}", f"CSV:/vsicurl/{url}"):
            path = disguised(vrt(source), name, tmp_path / "up")
            refusal(path)
        assert not called(server)


def test_a_kml_network_link_style_or_icon_url_is_not_fetched(tmp_path: Path) -> None:
    with listening() as (url, server):
        path = tmp_path / "peta.kml"
        path.write_text(kml_with_network_link(url.replace(".csv", ".kml")))
        geofile = read_geofile(path)
        assert not called(server)
    assert [f.geometry is not None for f in geofile.features] == [True]


LINKED_CRS = [
    '{"type": "link", "properties": {"href": "URL", "type": "proj4"}}',
    '{"type": "url", "properties": {"url": "URL"}}',
    '{"Type": "LINK", "properties": {"href": "URL"}}',
    '{"type": "\\u006cink", "properties": {"href": "URL"}}',
]


@pytest.mark.parametrize("crs", LINKED_CRS, ids=["link", "url", "upper-case", "escaped"])
@pytest.mark.parametrize("where", ["collection", "geometry"])
def test_a_geojson_crs_given_by_a_link_is_refused_and_not_fetched(
    tmp_path: Path, crs: str, where: str
) -> None:
    path = tmp_path / "peta.geojson"
    with listening() as (url, server):
        member = '"crs": ' + crs.replace("URL", url)
        polygon = (
            '"type": "Polygon", "coordinates": '
            "[[[114.75, -3.8], [114.76, -3.8], [114.76, -3.79], [114.75, -3.8]]]"
        )
        geometry = "{" + (member + ", " if where == "geometry" else "") + polygon + "}"
        path.write_text(
            '{"type": "FeatureCollection", '
            + (member + ", " if where == "collection" else "")
            + '"features": [{"type": "Feature", "properties": {}, "geometry": '
            + geometry
            + "}]}"
        )
        assert refusal(path).startswith("peta.geojson: CRS yang diberikan lewat tautan")
        assert not called(server)


def test_a_geojson_crs_given_by_name_is_read(tmp_path: Path) -> None:
    path = tmp_path / "peta.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        '"urn:ogc:def:crs:EPSG::32750"}}, "features": [{"type": "Feature", "properties": '
        '{"foto_url": "x"}, "geometry": {"type": "Point", "coordinates": [500000, 9580000]}}]}'
    )
    [feature] = read_geofile(path).features
    assert feature.crs == "EPSG:32750"


@pytest.mark.parametrize(
    "name", ["/vsicurl/http:/x/peta.geojson", "CSV:peta.geojson", "GPKG:/etc/x.gpkg"]
)
def test_a_file_name_gdal_would_read_as_syntax_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "peta.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    assert refusal(path, name=name) == f"{name}: nama berkas ini tidak diterima"


def test_a_geopackage_with_a_view_is_refused(tmp_path: Path) -> None:
    path = geopackage_with(tmp_path / "peta.gpkg", "CREATE VIEW luar AS SELECT * FROM peta")
    assert refusal(path).startswith("peta.gpkg: ")


def test_a_geopackage_with_a_foreign_virtual_table_is_refused(tmp_path: Path) -> None:
    path = geopackage_with(
        tmp_path / "peta.gpkg",
        "PRAGMA writable_schema = ON",
        "INSERT INTO sqlite_master VALUES ('table', 'luar', 'luar', 0, "
        "'CREATE VIRTUAL TABLE luar USING VirtualOGR(''/etc/passwd'')')",
    )
    message = refusal(path)
    assert "passwd" not in message


def test_a_geopackage_trigger_never_fires_when_the_file_is_read(tmp_path: Path) -> None:
    path = geopackage_with(
        tmp_path / "peta.gpkg",
        "CREATE TABLE jejak (n INTEGER)",
        "CREATE TRIGGER pasang AFTER UPDATE ON peta BEGIN INSERT INTO jejak VALUES (1); END",
    )
    before = path.read_bytes()
    geofile = read_geofile(path)
    assert [f.properties["kode"] for f in geofile.features] == ["TL-01"]
    assert path.read_bytes() == before


@pytest.mark.parametrize("member", ["../lokasi.shp", "a/../../lokasi.shp", "/etc/lokasi.shp"])
def test_a_zip_member_climbing_out_of_its_folder_is_refused(tmp_path: Path, member: str) -> None:
    path = zip_of(tmp_path / "lokasi.zip", {member: b"x"})
    assert refusal(path).startswith("lokasi.zip: ")
    assert not (tmp_path.parent / "lokasi.shp").exists()


def test_a_zip_declaring_gigabytes_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = lie_about_sizes(zip_of(tmp_path / "lokasi.zip", {"lokasi.shp": b"\0" * 1000}), 2**32 - 2)
    assert refusal(path).startswith("lokasi.zip: ")


def test_a_zip_member_inflating_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = lie_about_sizes(zip_of(tmp_path / "lokasi.zip", {"lokasi.shp": b"\0" * 100_000}), 10)
    assert refusal(path).startswith("lokasi.zip: ")


@pytest.mark.parametrize("name", ["lokasi.zip", "peta.kmz"])
def test_a_zip_needing_a_newer_zip_version_is_refused_cleanly(tmp_path: Path, name: str) -> None:
    """zipfile raises NotImplementedError for "version needed to extract" above 6.3 (found by
    the fuzz target): a clean refusal, like any unreadable zip."""
    path = zip_of(tmp_path / name, {"doc.kml" if name.endswith("kmz") else "lokasi.shp": b"x"})
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory entry
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # version needed: 6.4
    path.write_bytes(bytes(data))
    assert refusal(path).startswith(f"{name}: ")


def test_a_kmz_is_read_from_its_main_document(tmp_path: Path) -> None:
    path = tmp_path / "peta.kmz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("doc.kml", kml_with_network_link("http://127.0.0.1:9/x.kml"))
    geofile = read_geofile(path)
    assert geofile.format == "KMZ"
    assert any(f.geometry is not None for f in geofile.features)


def test_a_kml_with_an_entity_declaration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "peta.kml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kml><Document><name>&x;</name></Document></kml>"
    )
    message = refusal(path)
    assert "root:" not in message


def ring_feature(coordinates: list[list[float | str]]) -> str:
    text = json.dumps(coordinates).replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
    return (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"kode": "TL-01"}, "geometry": {"type": "Polygon", "coordinates": [' + text + "]}}]}"
    )


@pytest.mark.parametrize(
    "ring",
    [
        [[114.75, -3.8], [114.76, -3.8], [114.76, -3.79]],  # unclosed
        [[114.75, -3.8], ["NaN", -3.8], [114.76, -3.79], [114.75, -3.8]],
        [[114.75, -3.8], ["Infinity", -3.8], [114.76, -3.79], [114.75, -3.8]],
    ],
    ids=["unclosed-ring", "nan", "infinity"],
)
def test_a_geometry_geos_cannot_build_is_a_problem_of_its_feature(
    tmp_path: Path, ring: list[list[float | str]]
) -> None:
    path = tmp_path / "peta.geojson"
    path.write_text(ring_feature(ring))
    geofile = read_geofile(path)
    [feature] = geofile.features
    assert feature.geometry is None
    assert feature.error
    analysis = analyse(geofile, [], match_field="kode")
    assert any(p.reason == feature.error and p.row == "1" for p in analysis.errors)
