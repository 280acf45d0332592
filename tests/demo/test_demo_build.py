"""The Tanah Laut demo in the database: the figures of the 2021 report, computed by the product's
selectors from the imported RT data (the targets are the specification, seed-facts.md)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db.models import Model

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.handling import removal_eligibility
from sikumuh.demo.build import DemoError, DemoSummary, build_demo
from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from sikumuh.slums.models import Location, RtUnit, SkDecree, SkLocation
from sikumuh.surveys.models import Observation, Score, Source
from sikumuh.surveys.selectors import location_score, slum_area

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test-demo")
MODELS: list[type[Model]] = [
    SkDecree,
    SkLocation,
    Location,
    RtUnit,
    Observation,
    Score,
    Investment,
    AuditEntry,
    ImportRun,
]


@pytest.fixture
def built(load_regions_under: Callable[..., int]) -> DemoSummary:
    load_regions_under("63.01")
    return build_demo(actor=ACTOR)


def figures(code: str) -> dict[int, Decimal]:
    return {year.tahun: year.slum_ha for year in slum_area(code).years}


def test_pelaihari_slum_area_computes_to_47_53_ha_at_baseline_and_24_36_ha_in_2021(
    built: DemoSummary,
) -> None:
    assert figures("63.01.03") == {2019: Decimal("47.53"), 2021: Decimal("24.36")}


def test_pelaihari_reduction_is_23_17_ha_with_its_own_and_the_sk_base(built: DemoSummary) -> None:
    report = slum_area("63.01.03")
    assert report.baseline_year == 2019
    assert report.sk_total_ha == Decimal("184.92")
    now = report.years[-1]
    assert now.tahun == 2021
    assert now.reduction_own is not None
    assert now.reduction_sk is not None
    assert (now.reduction_own.ha, now.reduction_own.percent, now.reduction_own.base_ha) == (
        Decimal("23.17"),
        Decimal("48.75"),
        Decimal("47.53"),
    )
    # The "12.53 %" of the report: the share of the whole kabupaten's SK area.
    assert (now.reduction_sk.ha, now.reduction_sk.percent, now.reduction_sk.base_ha) == (
        Decimal("23.17"),
        Decimal("12.53"),
        Decimal("184.92"),
    )


def test_the_kabupaten_baseline_slum_area_equals_its_sk_total_of_184_92_ha(
    built: DemoSummary,
) -> None:
    report = slum_area("63.01")
    assert report.sk_total_ha == Decimal("184.92")
    assert report.years[0].tahun == 2019
    assert report.years[0].slum_ha == report.years[0].assessed_ha == Decimal("184.92")
    assert SkDecree.objects.get(kabupaten_id="63.01").entries.count() == 48


def test_every_sk_location_of_bajuin_and_batu_ampar_may_leave_the_sk_in_2021(
    built: DemoSummary,
) -> None:
    locations = Location.objects.filter(
        sk_entries__isnull=False, desa__parent_id__in=["63.01.10", "63.01.09"]
    )
    assert sorted(loc.desa.name for loc in locations) == [
        "Gunung Mas",
        "Pemalongan",
        "Sungai Bakar",
    ]
    for location in locations:
        result = location_score(location.pk, 2021)
        assert result is not None
        assert result.klass is SlumClass.TIDAK_KUMUH
        removal = removal_eligibility(result.total, PERMEN_PUPR_14_2018, result.percent)
        assert removal.eligible_with_services, (location, removal.coverage)
        baseline = location_score(location.pk, 2019)
        assert baseline is not None
        assert baseline.klass is not SlumClass.TIDAK_KUMUH
    for code in ("63.01.10", "63.01.09"):
        assert figures(code)[2021] == 0


def test_the_other_eight_kecamatan_are_still_kumuh_in_2021(built: DemoSummary) -> None:
    for kecamatan in ("01", "02", "04", "05", "06", "07", "08", "11"):
        area = figures(f"63.01.{kecamatan}")
        assert area[2021] == area[2019] > 0


def test_demo_rows_are_stored_as_synthetic_demo_data_with_their_investments(
    built: DemoSummary,
) -> None:
    assert set(Observation.objects.values_list("source", flat=True)) == {Source.DEMO}
    assert built.sk_created
    assert built.locations_created == 48
    assert built.observations_created == Observation.objects.count() > 0
    assert built.investments_created == Investment.objects.count() > 0
    assert not Investment.objects.filter(rt__isnull=True).exists()
    assert (
        AuditEntry.objects.filter(action="investment.create").count() == Investment.objects.count()
    )
    typologies = set(Location.objects.values_list("typology", flat=True))
    assert "di_perbukitan" in typologies
    assert "" not in typologies


def test_building_twice_adds_no_row_and_no_audit_entry(built: DemoSummary) -> None:
    before = {model.__name__: model.objects.count() for model in MODELS}
    again = build_demo(actor=ACTOR)
    assert not again.changed
    assert {model.__name__: model.objects.count() for model in MODELS} == before


def test_building_without_the_regions_loaded_fails_with_a_clear_error() -> None:
    with pytest.raises(DemoError, match="sikumuh migrate"):
        build_demo(actor=ACTOR)
