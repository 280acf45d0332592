from __future__ import annotations

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.io.region_list import load_regions, packaged_regions
from sikumuh.regions.models import Kind, Level, Region, code_at_level, kind_of, level_of


def test_the_packaged_list_holds_every_kemendagri_unit() -> None:
    regions = packaged_regions()
    by_level = dict.fromkeys(Level, 0)
    for region in regions:
        by_level[Level(region.level)] += 1
    assert len(regions) == 91_599
    assert by_level == {
        Level.PROVINSI: 38,
        Level.KABUPATEN: 514,
        Level.KECAMATAN: 7_285,
        Level.DESA: 83_762,
    }


def test_tanah_laut_has_11_kecamatan_and_135_desa_of_which_5_kelurahan() -> None:
    regions = [r for r in packaged_regions() if r.code.startswith("63.01.")]
    kecamatan = [r for r in regions if r.level == Level.KECAMATAN]
    desa = [r for r in regions if r.level == Level.DESA]
    assert len(kecamatan) == 11
    assert len(desa) == 135
    kelurahan = [r for r in desa if r.kind == Kind.KELURAHAN]
    assert len(kelurahan) == 5
    assert {r.parent_id for r in kelurahan} == {"63.01.03"}


@pytest.mark.parametrize(
    ("code", "name", "level", "kind"),
    [
        ("63", "Kalimantan Selatan", 1, Kind.PROVINSI),
        ("63.01", "Kabupaten Tanah Laut", 2, Kind.KABUPATEN),
        ("33.75", "Kota Pekalongan", 2, Kind.KOTA),
        ("63.01.03", "Pelaihari", 3, Kind.KECAMATAN),
        ("63.01.03.1001", "Sarang Halang", 4, Kind.KELURAHAN),
        ("63.01.01.2001", "Benua Lawas", 4, Kind.DESA),
    ],
)
def test_level_and_kind_follow_the_code(code: str, name: str, level: int, kind: str) -> None:
    assert level_of(code) == level
    assert kind_of(code, name) == kind


@pytest.mark.parametrize("bad", ["", "63.", "6a.01", "63.01.03.1001.1", "63..01"])
def test_a_malformed_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a Kemendagri region code"):
        level_of(bad)


@pytest.mark.parametrize(
    ("code", "level", "expected"),
    [
        ("63.01.03.1001", 1, "63"),
        ("63.01.03.1001", 2, "63.01"),
        ("63.01.03.1001", 3, "63.01.03"),
        ("63.01.03.1001", 4, "63.01.03.1001"),
        ("63.01", 3, None),
    ],
)
def test_code_at_level_gives_the_ancestor(code: str, level: int, expected: str | None) -> None:
    assert code_at_level(code, level) == expected


@pytest.mark.django_db
def test_loading_twice_inserts_everything_once_and_then_nothing() -> None:
    first = load_regions()
    assert first.created == 91_599
    assert Region.objects.count() == 91_599
    assert AuditEntry.objects.filter(action="regions.load").count() == 1
    second = load_regions()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 91_599)
    assert AuditEntry.objects.filter(action="regions.load").count() == 1
    tanah_laut = Region.objects.get(code="63.01")
    assert tanah_laut.parent_id == "63"
    assert tanah_laut.penduduk == 369_818
    assert tanah_laut.children.count() == 11


@pytest.mark.django_db
def test_a_renamed_region_is_updated_on_the_next_load() -> None:
    load_regions()
    Region.objects.filter(code="63.01.03").update(name="Old name")
    summary = load_regions()
    assert summary.updated == 1
    assert Region.objects.get(code="63.01.03").name == "Pelaihari"
