"""The slum class a consultant's layer states (issue #11 §1): kept on the SK entries the import
creates (`SkLocation.stated_class`), and compared, as the stated hectares are, with the class
computed from the RTs of a location the product already holds: a warning where they differ,
by the import, the command and its JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.core.criteria import SlumClass
from sikumuh.io.geo.layer_import import import_layer
from sikumuh.io.geo.layer_mapping import guess_mapping
from sikumuh.io.geo.read import read_geofile
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, SkLocation
from sikumuh.surveys.actions import save_observation
from tests.factories import ACTOR, HEADER, location, rt, volumes_at
from tests.io import layer_files
from tests.io.import_cli import call

pytestmark = pytest.mark.django_db

DATE = dt.date(2025, 6, 1)
#: The layer's classes by location name (tests.io.layer_files.ROWS).
STATED = {
    "Kawasan Pasar Lama": "kumuh_sedang",
    "Kawasan Tepi Sungai": "kumuh_ringan",
    "Kampung Nelayan": "kumuh_berat",
}


@pytest.fixture
def tanah_laut(load_regions_under: Callable[..., int]) -> Region:
    load_regions_under("63.01")
    return Region.objects.get(code="63.01")


def pasar_lama(*shares: str) -> Location:
    """The layer's first location, already held, with one RT per share of its volumes
    ("0.8" alone scores Kumuh Berat; "0.8" and "0.3" together Kumuh Sedang)."""
    held = location("TL-01", "63.01.03.1001")
    held.name = "Kawasan Pasar Lama"
    held.save()
    for number, share in enumerate(shares, start=1):
        unit = rt(held, f"{number:03d}")
        save_observation(actor=ACTOR, rt=unit, tahun=2024, header=HEADER, volumes=volumes_at(share))
    return held


def layer(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = layer_files.shapefile_zip(tmp_path / "lokasi.zip", valid_only=True)
    return path, guess_mapping(read_geofile(path).fields)


def test_the_stated_class_is_kept_on_each_sk_entry_and_audited(
    tanah_laut: Region, tmp_path: Path
) -> None:
    path, mapping = layer(tmp_path)
    assert "class" in mapping
    result = import_layer(
        path, actor=ACTOR, kabupaten=tanah_laut, mapping=mapping, number="SK/7", date=DATE
    )
    assert result.status == "committed", result.errors
    stored = dict(SkLocation.objects.values_list("location__name", "stated_class"))
    assert stored == STATED
    added = AuditEntry.objects.filter(action="sk.location.add")
    assert sorted(e.changes["stated_class"][1] for e in added) == sorted(STATED.values())


def test_without_a_class_attribute_nothing_is_stated(tanah_laut: Region, tmp_path: Path) -> None:
    path, mapping = layer(tmp_path)
    del mapping["class"]
    result = import_layer(
        path, actor=ACTOR, kabupaten=tanah_laut, mapping=mapping, number="SK/7", date=DATE
    )
    assert result.status == "committed", result.errors
    assert set(SkLocation.objects.values_list("stated_class", flat=True)) == {None}


@pytest.mark.parametrize(
    ("shares", "computed", "warned"),
    [
        (("0.8",), SlumClass.BERAT, True),
        (("0.8", "0.3"), SlumClass.SEDANG, False),
        ((), None, False),  # no RT data: nothing to compare with
    ],
)
def test_the_stated_class_is_compared_with_the_class_computed_from_the_rts(
    tanah_laut: Region,
    tmp_path: Path,
    shares: tuple[str, ...],
    computed: SlumClass | None,
    warned: bool,
) -> None:
    pasar_lama(*shares)
    path, mapping = layer(tmp_path)
    result = import_layer(
        path, actor=ACTOR, kabupaten=tanah_laut, mapping=mapping, number="SK/7", date=DATE
    )
    assert result.status == "committed", result.errors
    assert result.preview is not None
    first, *new = result.preview.features
    assert (first.code, first.slum_class, first.computed_class) == (
        "TL-01",
        SlumClass.SEDANG,
        computed,
    )
    assert first.class_differs is warned
    # New locations have no RTs yet: nothing to compare.
    assert [f.computed_class for f in new] == [None, None]
    flags = [w for w in result.warnings if w.column == mapping["class"]]
    assert len(flags) == warned
    report = result.as_dict()
    assert report["total"]["class_differs"] == ([1] if warned else [])
    if warned:
        assert (flags[0].row, flags[0].value) == ("1", "Kumuh Sedang")
        assert "Kumuh Sedang" in flags[0].reason
        assert "Kumuh Berat" in flags[0].reason
        assert report["features"][0]["computed_class"] == "kumuh_berat"
    # Stated all the same: the SK keeps what the layer says, the page shows both.
    assert SkLocation.objects.get(location__code="TL-01").stated_class == "kumuh_sedang"


def test_the_command_shows_each_class_and_flags_a_difference(
    tanah_laut: Region, tmp_path: Path
) -> None:
    pasar_lama("0.8")
    path, _mapping = layer(tmp_path)
    code, out = call(
        "layer", str(path), "--region", "63.01", "--sk-number", "SK/9", "--sk-date", "2025-06-01"
    )
    assert code == 0, out
    lines = out.splitlines()
    [first] = [line for line in lines if line.startswith("#1 ")]
    assert first.endswith("tingkat Kumuh Sedang, terhitung Kumuh Berat ⚠")  # the CLI speaks id
    [third] = [line for line in lines if line.startswith("#3 ")]
    assert third.endswith("tingkat Kumuh Berat")
    assert any("terhitung Kumuh Berat dari data RT sampai 2024" in line for line in lines)

    SkLocation.objects.all().delete()
    code, out = call(
        "layer", str(path), "--region", "63.01", "--sk-number", "SK/10",
        "--sk-date", "2025-07-01", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    report = json.loads(out)
    assert report["total"]["class_differs"] == [1]
    assert [f["class"] for f in report["features"]] == list(STATED.values())
