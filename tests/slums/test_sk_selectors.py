"""Reads of the SK registry (sikumuh.slums.selectors, and the entries with their statuses of
sikumuh.surveys.sk_entries) against hand-made versions and the demo."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db.models import Q

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import SlumClass, get_rule_set
from sikumuh.core.handling import Authority, removal_eligibility
from sikumuh.demo.build import build_demo
from sikumuh.demo.tanah_laut import REMOVED_DESA
from sikumuh.regions.codes import location_inside
from sikumuh.regions.models import Region
from sikumuh.slums import selectors
from sikumuh.slums.actions import create_location
from sikumuh.slums.models import Location, SkDecree
from sikumuh.surveys import sk_entries
from sikumuh.surveys.location_status import location_statuses
from sikumuh.surveys.selectors import location_score
from tests.factories import ACTOR
from tests.slums.test_sk_data import SARANG_HALANG, Versions, two_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(load_regions_under: Callable[..., int]) -> Versions:
    load_regions_under("63.01")
    return two_versions()


@pytest.fixture
def demo(load_regions_under: Callable[..., int]) -> SkDecree:
    load_regions_under("63.01")
    build_demo(actor=Actor.system("test"))
    return SkDecree.objects.get(kabupaten_id="63.01")


def codes(rows: list[sk_entries.EntryRow]) -> list[str]:
    return [row.code for row in rows]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("ID", ["SK-A", "SK-B", "SK-C", "SK-D", "SK-K"]),
        ("63", ["SK-A", "SK-B", "SK-C", "SK-D", "SK-K"]),
        ("63.01", ["SK-A", "SK-B", "SK-C", "SK-D", "SK-K"]),
        ("63.01.03", ["SK-A", "SK-B", "SK-D"]),  # SK-K has no desa: only in the kabupaten
        (SARANG_HALANG, ["SK-A", "SK-D"]),
        ("63.01.10", ["SK-C"]),
        ("63.01.01", []),
    ],
)
def test_a_location_lies_inside_its_desa_and_every_region_holding_it(
    versions: Versions, region: str, expected: list[str]
) -> None:
    create_location(actor=ACTOR, kabupaten=Region.objects.get(code="63.01"), code="SK-K", name="K")
    found = Location.objects.filter(location_inside(region)).order_by("code")
    assert [loc.code for loc in found] == expected


def test_the_list_is_newest_first_with_locations_and_hectares_and_the_sk_in_force(
    versions: Versions,
) -> None:
    rows = selectors.decree_list("63.01")
    assert [(r.decree.number, r.locations, r.total_ha, r.is_latest) for r in rows] == [
        ("188.45/120/2021", 3, Decimal("8.70"), True),
        ("188.45/050/2016", 3, Decimal("20.45"), False),
    ]
    assert rows[1].superseded_by_id == versions.v2.pk
    assert rows[0].superseded_by_id is None


def test_the_list_for_a_desa_counts_only_the_entries_inside_it(versions: Versions) -> None:
    rows = selectors.decree_list(SARANG_HALANG)
    assert [(r.locations, r.total_ha) for r in rows] == [
        (2, Decimal("6.20")),
        (1, Decimal("4.95")),
    ]


def test_the_version_chain_is_the_same_from_either_end(versions: Versions) -> None:
    assert selectors.version_chain(versions.v1) == [versions.v1, versions.v2]
    assert selectors.version_chain(versions.v2) == [versions.v1, versions.v2]


def test_a_lone_sk_is_a_chain_of_one(versions: Versions) -> None:
    lone = SkDecree.objects.create(kabupaten_id="63.01", number="X", year=2010)
    assert selectors.version_chain(lone) == [lone]


def test_entries_carry_desa_kecamatan_and_kewenangan_by_area(versions: Versions) -> None:
    rows = {row.code: row for row in sk_entries.decree_entries(versions.v1)}
    assert (rows["SK-A"].desa_name, rows["SK-A"].kecamatan_name) == ("Sarang Halang", "Pelaihari")
    assert rows["SK-A"].authority is Authority.KABUPATEN_KOTA
    assert rows["SK-C"].authority is Authority.PROVINSI  # 12.50 ha
    assert rows["SK-A"].status is None  # no RT data


def test_totals_per_kecamatan_add_up_to_the_sk(versions: Versions) -> None:
    rows = sk_entries.decree_entries(versions.v1)
    totals = sk_entries.kecamatan_totals(rows)
    assert [(t.name, t.locations, t.luas_ha) for t in totals] == [
        ("Pelaihari", 2, Decimal("7.95")),
        ("Bajuin", 1, Decimal("12.50")),
    ]
    assert sum(t.luas_ha for t in totals) == sk_entries.total_ha(rows) == Decimal("20.45")


@pytest.mark.parametrize("order", ["old-new", "new-old"])
def test_the_diff_lists_added_removed_and_changed_locations_whatever_the_order(
    versions: Versions, order: str
) -> None:
    pair = (versions.v1, versions.v2) if order == "old-new" else (versions.v2, versions.v1)
    diff = sk_entries.decree_diff(*pair)
    assert (diff.before, diff.after) == (versions.v1, versions.v2)
    assert [r.row.code for r in diff.added] == ["SK-D"]
    assert [r.row.code for r in diff.removed] == ["SK-C"]
    assert [(r.row.code, r.ha_before, r.ha_after, r.change) for r in diff.changed] == [
        ("SK-B", Decimal("3.00"), Decimal("2.50"), Decimal("-0.50"))
    ]
    assert diff.unchanged == 1
    assert (diff.total_before, diff.total_after, diff.total_change) == (
        Decimal("20.45"),
        Decimal("8.70"),
        Decimal("-11.75"),
    )


def test_the_diff_seen_from_a_desa_compares_only_its_locations(versions: Versions) -> None:
    inside = location_inside(SARANG_HALANG, "location__")
    diff = sk_entries.decree_diff(versions.v1, versions.v2, inside)
    assert [r.row.code for r in diff.added] == ["SK-D"]
    assert (diff.removed, diff.changed, diff.unchanged) == ([], [], 1)
    assert (diff.total_before, diff.total_after) == (Decimal("4.95"), Decimal("6.20"))


def test_a_decree_compared_with_itself_has_no_change(versions: Versions) -> None:
    diff = sk_entries.decree_diff(versions.v1, versions.v1)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == ([], [], [], 3)


def test_bulk_location_statuses_agree_with_scoring_each_location_alone(demo: SkDecree) -> None:
    ids = list(demo.entries.values_list("location_id", flat=True))
    statuses = location_statuses(ids)
    assert set(statuses) == set(ids)
    for location_id, status in statuses.items():
        alone = location_score(location_id, 2021)
        assert status.tahun == 2021
        assert status.result == alone


def test_the_removal_draft_lists_the_three_desa_of_bajuin_and_batu_ampar_as_qualifying(
    demo: SkDecree,
) -> None:
    draft = sk_entries.removal_draft("63.01")
    assert draft is not None
    assert draft.decree == demo
    qualifying = {row.desa_code for row in draft.qualifying}
    assert set(REMOVED_DESA) <= qualifying
    assert {row.desa_name for row in draft.qualifying if row.desa_code in REMOVED_DESA} == {
        "Sungai Bakar",
        "Pemalongan",
        "Gunung Mas",
    }


def test_the_removal_draft_holds_exactly_the_locations_the_engine_finds_tidak_kumuh(
    demo: SkDecree,
) -> None:
    """Checked against the engine location by location, never against a hard-coded list."""
    tidak_kumuh, both, pelaihari = set(), set(), set()
    for entry in demo.entries.select_related("location__desa"):
        result = location_score(entry.location_id, 2021)
        assert result is not None
        if result.klass is SlumClass.TIDAK_KUMUH:
            tidak_kumuh.add(entry.location.code)
            if entry.location.desa.parent_id == "63.01.03":
                pelaihari.add(entry.location.code)
            removal = removal_eligibility(
                result.total, get_rule_set(result.rule_set_id), result.percent
            )
            if removal.eligible_with_services:
                both.add(entry.location.code)
    draft = sk_entries.removal_draft("63.01")
    assert draft is not None
    assert set(codes(draft.rows)) == tidak_kumuh
    assert set(codes(draft.qualifying)) == both
    # Pelaihari locations that became Tidak Kumuh are there too, each with its verdict.
    assert pelaihari
    assert {row.code for row in draft.rows if row.kecamatan_code == "63.01.03"} == pelaihari
    # Those meeting both conditions come first.
    assert codes(draft.rows)[: len(both)] == sorted(both)


def test_the_removal_draft_totals_are_the_sk_area_before_and_after_removal(
    demo: SkDecree,
) -> None:
    draft = sk_entries.removal_draft("63.01")
    assert draft is not None
    assert (draft.sk_locations, draft.sk_ha, draft.without_class) == (48, Decimal("184.92"), 0)
    assert draft.qualifying_ha == sum(row.luas_ha for row in draft.qualifying)
    assert draft.remaining_ha == Decimal("184.92") - draft.qualifying_ha


def test_the_removal_draft_of_a_kecamatan_covers_its_locations_only(demo: SkDecree) -> None:
    draft = sk_entries.removal_draft("63.01.10")
    assert draft is not None
    assert sorted(row.desa_name for row in draft.qualifying) == ["Pemalongan", "Sungai Bakar"]
    assert draft.sk_locations == 2


def test_there_is_no_removal_draft_without_an_sk(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")
    assert sk_entries.removal_draft("63.01") is None


def test_an_entry_filter_is_applied_to_the_entries(versions: Versions) -> None:
    rows = sk_entries.decree_entries(versions.v2, Q(location__code="SK-B"), with_status=False)
    assert codes(rows) == ["SK-B"]
