"""Exporting a region's locations with their polygons and scores: GeoJSON and zipped Shapefile,
both readable back; the demo's 48 locations with their latest class."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pyogrio.raw
import pytest
import shapely

from sikumuh.audit.actions import Actor
from sikumuh.core.geometry import geodesic_area_ha
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.web.delineation_fixtures import (  # noqa: F401 (fixtures)
    SARANG_HALANG,
    A,
    fast_passwords_fixture,
    media_fixture,
    places_fixture,
)

pytestmark = pytest.mark.django_db

GEOJSON = "/wilayah/{code}/lokasi.geojson"
SHAPEFILE = "/wilayah/{code}/lokasi-shp.zip"


@pytest.mark.parametrize("pattern", [GEOJSON, SHAPEFILE])
@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("viewer", "63.01", 200),
        ("reviewer", "63.01", 200),
        ("facilitator", SARANG_HALANG, 200),
        ("facilitator", "63.01", 404),
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
    ],
)
def test_who_may_download_the_exports(
    personas: Personas,
    places: dict[str, Location],
    pattern: str,
    persona: str,
    code: str,
    status: int,
) -> None:
    response = personas.client(persona).get(pattern.format(code=code))
    assert response.status_code == status


@pytest.mark.parametrize("pattern", [GEOJSON, SHAPEFILE])
def test_the_exports_are_gets(
    personas: Personas, places: dict[str, Location], pattern: str
) -> None:
    assert personas.client("admin").post(pattern.format(code="63.01")).status_code == 405


def test_the_geojson_export_is_a_feature_collection_with_the_figures(
    personas: Personas, places: dict[str, Location]
) -> None:
    response = personas.client("viewer").get(GEOJSON.format(code="63.01"))
    assert response["Content-Type"] == "application/geo+json"
    assert 'filename="lokasi-63.01.geojson"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    by_code = {f["properties"]["kode"]: f for f in data["features"]}
    assert by_code["TL-01"]["properties"]["luas_sk_ha"] == 4.9
    assert by_code["TL-01"]["properties"]["luas_ha"] == pytest.approx(geodesic_area_ha(A), abs=1e-4)
    assert by_code["TL-01"]["properties"]["desa"] == "Sarang Halang"
    assert by_code["TL-01"]["properties"]["kecamatan"] == "Pelaihari"
    assert shapely.geometry.shape(by_code["TL-01"]["geometry"]).equals(A)
    assert by_code["TL-02"]["geometry"] is None  # not delineated yet


def test_a_facilitator_exports_only_their_desa(
    personas: Personas, places: dict[str, Location]
) -> None:
    response = personas.client("facilitator").get(GEOJSON.format(code=SARANG_HALANG))
    assert [f["properties"]["kode"] for f in json.loads(response.content)["features"]] == ["TL-01"]


def read_shapefile(
    content: bytes, folder: Path
) -> tuple[dict[str, object], list[object], list[list[object]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        archive.extractall(folder)
    assert [Path(n).suffix for n in names] == [".cpg", ".dbf", ".prj", ".shp", ".shx"]
    shp = next(folder / n for n in names if n.endswith(".shp"))
    meta, _fids, geometries, data = pyogrio.raw.read(shp)
    return meta, list(geometries), [list(column) for column in data]


def test_the_shapefile_export_reads_back_with_its_crs_and_attributes(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    response = personas.client("admin").get(SHAPEFILE.format(code="63.01"))
    assert response["Content-Type"] == "application/zip"
    meta, geometries, data = read_shapefile(response.content, tmp_path)
    assert meta["crs"] == "EPSG:4326"
    fields = list(meta["fields"])
    assert fields == [
        "kode",
        "nama",
        "desa",
        "kecamatan",
        "luas_sk_ha",
        "luas_ha",
        "tahun",
        "kelas",
        "kelas_nama",
        "nilai",
    ]
    assert data[0] == ["TL-01", "TL-02"]
    assert shapely.from_wkb(geometries[0]).normalize().equals_exact(A.normalize(), 1e-9)
    assert geometries[1] is None


def test_the_demo_exports_48_polygons_with_their_latest_class(
    personas: Personas, media: Path, tmp_path: Path
) -> None:
    build_demo(actor=Actor.system("test"))
    client = personas.client("viewer")
    features = json.loads(client.get(GEOJSON.format(code="63.01")).content)["features"]
    assert len(features) == 48
    assert all(f["geometry"] is not None for f in features)
    assert {f["properties"]["tahun"] for f in features} == {2021}
    classes = {f["properties"]["kelas"] for f in features}
    assert "tidak_kumuh" in classes
    assert classes - {"tidak_kumuh"}
    for feature in features:
        props = feature["properties"]
        assert props["luas_ha"] == pytest.approx(props["luas_sk_ha"], rel=0.005)
    _meta, geometries, data = read_shapefile(
        client.get(SHAPEFILE.format(code="63.01")).content, tmp_path
    )
    assert len(geometries) == 48
    assert all(g is not None for g in geometries)
    assert sorted(data[0]) == sorted(f["properties"]["kode"] for f in features)
