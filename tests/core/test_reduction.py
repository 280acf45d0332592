"""Reduction figures carry their base; quoted percentages are reconciled (Tanah Laut 2021)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.core.reduction import (
    Reduction,
    reconcile,
    reduction_vs_own_baseline,
    reduction_vs_sk_baseline,
)

# Seed document: Kecamatan Pelaihari 47.53 ha → 24.36 ha, quoted as "12.53 %".
PELAIHARI_AWAL = Decimal("47.53")
PELAIHARI_AKHIR = Decimal("24.36")
SK_TOTAL = Decimal("184.92")


@pytest.fixture
def own() -> Reduction:
    return reduction_vs_own_baseline(PELAIHARI_AWAL, PELAIHARI_AKHIR)


@pytest.fixture
def sk(own: Reduction) -> Reduction:
    return reduction_vs_sk_baseline(own.ha, SK_TOTAL)


def test_pelaihari_reduced_23_17_ha_or_48_75_percent_of_its_own_baseline(own: Reduction) -> None:
    assert own.ha == Decimal("23.17")
    assert own.percent == Decimal("48.75")
    assert own.base_ha == Decimal("47.53")
    assert own.base_label == "luas kumuh awal wilayah"


def test_the_same_23_17_ha_is_12_53_percent_of_184_92_ha(sk: Reduction) -> None:
    assert sk.percent == Decimal("12.53")
    assert sk.base_ha == Decimal("184.92")
    assert sk.base_label == "luas kumuh SK kabupaten/kota"


def test_the_quoted_12_53_percent_reconciles_with_the_sk_base_only(
    own: Reduction, sk: Reduction
) -> None:
    result = reconcile(Decimal("12.53"), [own, sk])
    assert result.reconciled
    assert result.matches == (sk,)


@pytest.mark.parametrize(
    ("stated", "matches_sk"),
    [("12.52", True), ("12.54", True), ("12.51", False), ("30", False)],
    ids=["minus-0.01", "plus-0.01", "minus-0.02", "far"],
)
def test_a_quoted_percentage_matches_within_one_hundredth(
    own: Reduction, sk: Reduction, stated: str, matches_sk: bool
) -> None:
    result = reconcile(Decimal(stated), [own, sk])
    assert (sk in result.matches) is matches_sk
    assert own not in result.matches


def test_a_quoted_figure_that_matches_no_base_is_not_reconciled(own: Reduction) -> None:
    result = reconcile(Decimal("30"), [own])
    assert not result.reconciled
    assert result.candidates == (own,)


def test_a_zero_base_has_no_percentage() -> None:
    assert reduction_vs_own_baseline(Decimal(0), Decimal(0)).percent is None
    assert reduction_vs_sk_baseline(Decimal(1), Decimal(0)).percent is None
    assert not reconcile(Decimal(0), [reduction_vs_sk_baseline(Decimal(1), Decimal(0))]).reconciled


def test_a_growing_slum_area_is_a_negative_reduction() -> None:
    growth = reduction_vs_own_baseline(Decimal("10"), Decimal("12.5"))
    assert (growth.ha, growth.percent) == (Decimal("-2.5"), Decimal("-25.00"))
