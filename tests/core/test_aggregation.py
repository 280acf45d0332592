"""Aggregation sums volumes and denominators, then rescores; slum area sums unit areas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.aggregation import aggregate_inputs, slum_area
from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.decimals import RawValue
from sikumuh.core.scoring import UnitInput, score_unit

HEADER: dict[str, RawValue] = {
    "luas_ha": 1,
    "jumlah_bangunan": 10,
    "jumlah_penduduk": 40,
    "jumlah_kk": 10,
    "panjang_jalan_ideal_m": 100,
    "panjang_drainase_ideal_m": 100,
}


def rt(
    volumes: dict[str, RawValue] | None = None,
    header: dict[str, RawValue] | None = None,
    percents: dict[str, RawValue] | None = None,
) -> UnitInput:
    """An RT with every criterion at 0 unless overridden."""
    percents = percents or {}
    all_volumes: dict[str, RawValue] = {
        c: 0 for c in PERMEN_PUPR_14_2018.codes if c not in percents
    }
    all_volumes.update(volumes or {})
    return UnitInput.from_values(
        header={**HEADER, **(header or {})}, volumes=all_volumes, percents=percents
    )


def test_a_location_is_scored_from_summed_volumes_not_from_averaged_scores() -> None:
    bad = rt({"2a": 90})  # 90/100 m → 90.00 % → 5
    good = rt({"2a": 10}, {"panjang_jalan_ideal_m": 900})  # 10/900 m → 1.11 % → 0
    location = score_unit(aggregate_inputs([bad, good]))
    assert location.percent["2a"] == Decimal("10.00")  # 100 m of 1000 m
    assert location.score["2a"] == 0
    # Averaging would say otherwise: mean score 2.5, mean percentage 45.56 % (→ 1).
    scores = [score_unit(u).score["2a"] or 0 for u in (bad, good)]
    assert sum(scores) / 2 == 2.5


def test_header_fields_and_volumes_are_summed_exactly() -> None:
    a = rt({"1b": 0.1}, {"luas_ha": 0.1})
    b = rt({"1b": 0.2}, {"luas_ha": 0.2})
    total = aggregate_inputs([a, b])
    assert total.volumes["1b"] == Decimal("0.300000")
    assert total.header["luas_ha"] == Decimal("0.300000")
    assert total.header["jumlah_kk"] == Decimal("20.000000")
    assert score_unit(total).percent["1b"] == Decimal("100.00")


def test_a_missing_denominator_in_one_unit_leaves_the_sum_missing() -> None:
    total = aggregate_inputs([rt(), rt(header={"jumlah_kk": None})])
    assert total.header["jumlah_kk"] is None
    assert {e.code for e in score_unit(total).errors} == {"missing_denominator"}


def test_a_percentage_only_criterion_cannot_be_aggregated() -> None:
    total = aggregate_inputs([rt(), rt(percents={"3a": 40})])
    result = score_unit(total)
    assert [(e.code, e.criterion) for e in result.errors] == [("cannot_aggregate_percent", "3a")]
    assert "1 of 2 units" in result.errors[0].message
    assert result.score["3a"] is None
    assert result.total is None


def test_issues_of_the_parts_are_carried_into_higher_aggregates() -> None:
    desa = aggregate_inputs([rt(), rt(percents={"3a": 40})])
    kecamatan = aggregate_inputs([desa, rt()])
    assert [e.code for e in score_unit(kecamatan).errors] == ["cannot_aggregate_percent"]


def test_aggregating_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="zero units"):
        aggregate_inputs([])


def test_slum_area_counts_units_not_tidak_kumuh_and_keeps_unscored_apart() -> None:
    summary = slum_area(
        [
            (Decimal("1.25"), SlumClass.BERAT),
            (Decimal("2.5"), SlumClass.SEDANG),
            (Decimal("0.75"), SlumClass.RINGAN),
            (Decimal("4"), SlumClass.TIDAK_KUMUH),
            (Decimal("0.5"), None),
        ]
    )
    assert summary.slum_ha == Decimal("4.5")
    assert summary.slum_count == 3
    assert summary.assessed_ha == Decimal("8.5")
    assert summary.assessed_count == 4
    assert summary.ha_by_class[SlumClass.TIDAK_KUMUH] == Decimal("4")
    assert summary.count_by_class[SlumClass.BERAT] == 1
    assert (summary.unscored_ha, summary.unscored_count) == (Decimal("0.5"), 1)
    assert summary.total_ha == Decimal("9")


def test_a_unit_that_drops_to_tidak_kumuh_takes_its_area_out_of_the_slum_area() -> None:
    before = slum_area([(Decimal("3"), SlumClass.RINGAN), (Decimal("2"), SlumClass.SEDANG)])
    after = slum_area([(Decimal("3"), SlumClass.TIDAK_KUMUH), (Decimal("2"), SlumClass.SEDANG)])
    assert (before.slum_ha, after.slum_ha) == (Decimal("5"), Decimal("2"))


def test_a_negative_unit_area_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        slum_area([(Decimal("-1"), SlumClass.RINGAN)])
