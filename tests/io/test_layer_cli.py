"""`sikumuh import layer FILE --region CODE [--map …] [--sk-number N --sk-date D]`: the mapping
guessed or given, a summary per feature, the unresolved names and every problem naming file,
feature, attribute and value; `--format json` prints the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, SkDecree
from tests.io import layer_files
from tests.io.import_cli import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def tanah_laut(load_regions_under: Callable[..., int]) -> Region:
    load_regions_under("63.01")
    return Region.objects.get(code="63.01")


def test_a_layer_with_a_guessed_mapping_becomes_the_new_sk(
    tanah_laut: Region, tmp_path: Path
) -> None:
    path = layer_files.shapefile_zip(tmp_path / "lokasi.zip", valid_only=True)
    code, out = call(
        "layer", str(path), "--region", "63.01", "--sk-number", "SK/9/2025",
        "--sk-date", "2025-06-01", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    report = json.loads(out)
    assert report["status"] == "committed"
    assert report["mapping"]["name"] == "NAMA_LOKAS"
    assert report["total"]["locations_created"] == 3
    assert [f["kode_desa"] for f in report["features"]] == list(layer_files.RESOLVED.values())
    assert SkDecree.objects.get(number="SK/9/2025").entries.count() == 3


def test_an_unresolved_desa_rejects_the_layer_and_is_listed(
    tanah_laut: Region, tmp_path: Path
) -> None:
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson")
    mapping = "name=Nm_Lokasi,desa=DESA,kecamatan=KEC,class=TINGKAT_KUMUH,ha=LUAS_HA"
    code, out = call("layer", str(path), "--region", "63.01", "--map", mapping)
    assert code == 1
    assert Location.objects.count() == 0
    assert "    #4 'Kelurahan Antah Berantah' (Pelaihari)" in out.splitlines()
    assert "lokasi.geojson, fitur 4, atribut DESA, nilai 'Kelurahan Antah Berantah'" in out


def test_skip_invalid_stores_the_others(tanah_laut: Region, tmp_path: Path) -> None:
    path = layer_files.kmz(tmp_path / "lokasi.kmz")
    code, out = call("layer", str(path), "--region", "63.01", "--skip-invalid")
    assert code == 0, out
    assert Location.objects.count() == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--map", "nama=X"), "nama"),
        (("--sk-number", "SK/1"), "--sk-date"),
    ],
)
def test_a_bad_option_is_one_line(
    tanah_laut: Region, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson")
    code, out = call("layer", str(path), "--region", "63.01", *extra)
    assert code != 0
    assert message in out
    assert "\n" not in out.strip()
