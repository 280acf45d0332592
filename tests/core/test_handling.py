"""Status removal, pertimbangan lain, legality, handling pattern, priority, kewenangan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.considerations import (
    CitySize,
    ConsiderationBand,
    assess_pertimbangan_lain,
    consideration_band,
    kependudukan_score,
    population_density,
)
from sikumuh.core.criteria import PERMEN_PUPR_02_2016, PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.handling import (
    Authority,
    HandlingPattern,
    LandLegality,
    Typology,
    authority_for_area,
    handling_pattern,
    priority,
    removal_eligibility,
)

ALL_ZERO = {code: Decimal(0) for code in PERMEN_PUPR_14_2018.codes}


@pytest.mark.parametrize(
    ("total", "eligible"),
    [(0, True), (15, True), (16, False), (None, False)],
    ids=["0", "15", "16", "no-total"],
)
def test_removal_by_score_needs_tidak_kumuh(total: int | None, eligible: bool) -> None:
    result = removal_eligibility(total, PERMEN_PUPR_14_2018, ALL_ZERO)
    assert result.eligible_by_score is eligible
    assert result.services_above_min
    assert result.eligible_with_services is eligible


@pytest.mark.parametrize(
    ("road_percents", "coverage", "above"),
    [
        pytest.param(("20", "20"), "80.00", False, id="exactly-80-is-not-above"),
        pytest.param(("19.98", "20"), "80.01", True, id="80.01-is-above"),
        pytest.param(("-10", "30"), "85.00", True, id="negative-clipped-to-0"),
        pytest.param(("150", "0"), "50.00", False, id="above-100-capped"),
    ],
)
def test_a_basic_service_coverage_is_100_minus_the_mean_of_its_criteria(
    road_percents: tuple[str, str], coverage: str, above: bool
) -> None:
    percents = {**ALL_ZERO, "2a": Decimal(road_percents[0]), "2b": Decimal(road_percents[1])}
    result = removal_eligibility(10, PERMEN_PUPR_14_2018, percents)
    assert result.coverage["jalan"] == Decimal(coverage)
    assert result.coverage["air_minum"] == Decimal("100.00")
    assert result.services_above_min is above
    assert result.eligible_with_services is above


def test_an_unknown_percentage_leaves_the_coverage_unknown_and_the_condition_unmet() -> None:
    result = removal_eligibility(10, PERMEN_PUPR_14_2018, {**ALL_ZERO, "5a": None})
    assert result.coverage["air_limbah"] is None
    assert not result.services_above_min
    assert result.eligible_by_score


def test_the_2016_drainage_service_counts_its_five_criteria() -> None:
    percents = {code: Decimal(0) for code in PERMEN_PUPR_02_2016.codes} | {"4e": Decimal(100)}
    result = removal_eligibility(18, PERMEN_PUPR_02_2016, percents)
    assert result.coverage["drainase"] == Decimal("80.00")
    assert result.eligible_by_score  # 18 is Tidak Kumuh in 2016


@pytest.mark.parametrize(
    ("density", "city", "score"),
    [
        ("100", CitySize.SEDANG_KECIL, 1),
        ("150", CitySize.SEDANG_KECIL, 1),
        ("150.01", CitySize.SEDANG_KECIL, 3),
        ("151", CitySize.SEDANG_KECIL, 3),
        ("200", CitySize.SEDANG_KECIL, 3),
        ("200.01", CitySize.SEDANG_KECIL, 5),
        ("150", CitySize.METROPOLITAN_BESAR, 1),
        ("201", CitySize.METROPOLITAN_BESAR, 3),
        ("400", CitySize.METROPOLITAN_BESAR, 3),
        ("401", CitySize.METROPOLITAN_BESAR, 5),
    ],
    ids=lambda v: str(v),
)
def test_kependudukan_scores_population_density(density: str, city: CitySize, score: int) -> None:
    assert kependudukan_score(Decimal(density), city) == score


def test_population_density_is_jiwa_per_ha_to_two_decimals() -> None:
    assert population_density(Decimal(141), Decimal("0.848808")) == Decimal("166.12")
    assert population_density(Decimal(10), Decimal(0)) is None


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (3, ConsiderationBand.RENDAH),
        (5, ConsiderationBand.RENDAH),
        (6, ConsiderationBand.SEDANG),
        (10, ConsiderationBand.SEDANG),
        (11, ConsiderationBand.TINGGI),
        (15, ConsiderationBand.TINGGI),
    ],
    ids=lambda v: str(v),
)
def test_pertimbangan_lain_totals_fall_in_bands(total: int, band: ConsiderationBand) -> None:
    assert consideration_band(total) is band


def test_a_pertimbangan_total_below_3_is_impossible() -> None:
    with pytest.raises(ValueError, match="below"):
        consideration_band(2)


def test_pertimbangan_lain_sums_its_three_scores() -> None:
    result = assess_pertimbangan_lain(
        strategic=True, density=Decimal("180"), socio_economic_potential=False
    )
    assert (result.nilai_strategis, result.kependudukan, result.sosial_ekonomi_budaya) == (5, 3, 1)
    assert (result.total, result.band) == (9, ConsiderationBand.SEDANG)
    assert result.band.label_id == "Sedang"


@pytest.mark.parametrize(
    ("tenure", "rtr", "legal"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
    ids=["++", "+-", "-+", "--"],
)
def test_land_is_legal_only_when_tenure_and_spatial_plan_are_both_plus(
    tenure: bool, rtr: bool, legal: bool
) -> None:
    assert LandLegality(tenure, rtr).legal is legal


@pytest.mark.parametrize(
    ("klass", "legal", "pattern"),
    [
        (SlumClass.BERAT, True, HandlingPattern.PEREMAJAAN),
        (SlumClass.BERAT, False, HandlingPattern.PEMUKIMAN_KEMBALI),
        (SlumClass.SEDANG, True, HandlingPattern.PEREMAJAAN),
        (SlumClass.SEDANG, False, HandlingPattern.PEMUKIMAN_KEMBALI),
        (SlumClass.RINGAN, True, HandlingPattern.PEMUGARAN),
        (SlumClass.RINGAN, False, HandlingPattern.PEMUKIMAN_KEMBALI),
        (SlumClass.TIDAK_KUMUH, True, HandlingPattern.PENCEGAHAN),
        (SlumClass.TIDAK_KUMUH, False, HandlingPattern.PENCEGAHAN),
    ],
    ids=lambda v: str(v),
)
def test_the_handling_pattern_follows_class_and_legality(
    klass: SlumClass, legal: bool, pattern: HandlingPattern
) -> None:
    assert handling_pattern(klass, legal) is pattern
    assert handling_pattern(klass, LandLegality(legal, legal)) is pattern


def test_handling_patterns_have_indonesian_labels() -> None:
    assert HandlingPattern.PEMUKIMAN_KEMBALI.label_id == "Pemukiman Kembali"


@pytest.mark.parametrize(
    ("klass", "band", "rank"),
    [
        (SlumClass.BERAT, ConsiderationBand.TINGGI, 1),
        (SlumClass.BERAT, ConsiderationBand.SEDANG, 2),
        (SlumClass.BERAT, ConsiderationBand.RENDAH, 3),
        (SlumClass.SEDANG, ConsiderationBand.TINGGI, 4),
        (SlumClass.SEDANG, ConsiderationBand.SEDANG, 5),
        (SlumClass.SEDANG, ConsiderationBand.RENDAH, 6),
        (SlumClass.RINGAN, ConsiderationBand.TINGGI, 7),
        (SlumClass.RINGAN, ConsiderationBand.SEDANG, 8),
        (SlumClass.RINGAN, ConsiderationBand.RENDAH, 9),
        (SlumClass.TIDAK_KUMUH, ConsiderationBand.TINGGI, None),
    ],
    ids=lambda v: str(v),
)
def test_priority_orders_class_first_then_pertimbangan(
    klass: SlumClass, band: ConsiderationBand, rank: int | None
) -> None:
    assert priority(klass, band) == rank


@pytest.mark.parametrize(
    ("area", "authority"),
    [
        ("0", Authority.KABUPATEN_KOTA),
        ("9.999999", Authority.KABUPATEN_KOTA),
        ("10", Authority.PROVINSI),
        ("12.5", Authority.PROVINSI),
        ("14.999999", Authority.PROVINSI),
        ("15", Authority.PUSAT),
        ("15.000001", Authority.PUSAT),
        ("47.53", Authority.PUSAT),
    ],
    ids=lambda v: str(v),
)
def test_kewenangan_follows_the_location_area(area: str, authority: Authority) -> None:
    assert authority_for_area(Decimal(area)) is authority


def test_kewenangan_refuses_a_negative_area() -> None:
    with pytest.raises(ValueError, match="area"):
        authority_for_area(Decimal("-1"))
    assert Authority.PROVINSI.label_id == "Pemerintah Provinsi"


def test_typologies_have_indonesian_labels() -> None:
    assert [t.label_id for t in Typology] == [
        "Di atas air",
        "Di tepi air",
        "Di dataran rendah",
        "Di perbukitan",
        "Di daerah rawan bencana",
    ]
