"""Slum-area reduction figures, each with its base, and reconciliation of quoted percentages.

criteria.md §5: two reduction figures exist and both must be labelled — against the region's own
baseline ((awal − akhir) / awal) and against the kabupaten's SK baseline (ha reduced / total SK
ha); programme reports usually quote the second without saying so. The Tanah Laut report of 2021
says Pelaihari went from 47.53 ha to 24.36 ha "or 12.53 %": 23.17 ha is 48.75 % of 47.53 ha, so
12.53 % must be a share of another base. :func:`reconcile` tells which candidate base a quoted
percentage matches, so the product can show it or flag it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.decimals import (
    HUNDREDTHS_PER_RATIO,
    decimal_to_hundredths,
    hundredths_to_decimal,
    micro_to_decimal,
    round_half_up,
    to_micro,
)

OWN_BASELINE_LABEL = "luas kumuh awal wilayah"
SK_BASELINE_LABEL = "luas kumuh SK kabupaten/kota"
#: How far a quoted percentage may be from a computed one and still match (2-dp quoting).
RECONCILE_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Reduction:
    """``ha`` reduced, as ``percent`` (2 dp, half-up) of ``base_ha`` named ``base_label``.

    ``percent`` is None when the base is zero (no share of nothing).
    """

    ha: Decimal
    percent: Decimal | None
    base_label: str
    base_ha: Decimal


def _share(part: Decimal, base: Decimal) -> Decimal | None:
    base_micro = to_micro(base)
    if base_micro == 0:
        return None
    hundredths = round_half_up(to_micro(part) * HUNDREDTHS_PER_RATIO, base_micro)
    return hundredths_to_decimal(hundredths)


def reduction_vs_own_baseline(
    awal_ha: Decimal, akhir_ha: Decimal, base_label: str = OWN_BASELINE_LABEL
) -> Reduction:
    """Reduction of a region's slum area against its own baseline: (awal − akhir) / awal."""
    reduced = micro_to_decimal(to_micro(awal_ha) - to_micro(akhir_ha))
    base = micro_to_decimal(to_micro(awal_ha))
    return Reduction(reduced, _share(reduced, base), base_label, base)


def reduction_vs_sk_baseline(
    reduced_ha: Decimal, sk_total_ha: Decimal, base_label: str = SK_BASELINE_LABEL
) -> Reduction:
    """Reduction as a share of the kabupaten's total slum area in the SK: reduced / SK total."""
    reduced = micro_to_decimal(to_micro(reduced_ha))
    base = micro_to_decimal(to_micro(sk_total_ha))
    return Reduction(reduced, _share(reduced, base), base_label, base)


@dataclass(frozen=True)
class Reconciliation:
    """Which candidate reductions a quoted percentage matches (within the tolerance)."""

    stated_percent: Decimal
    matches: tuple[Reduction, ...]
    candidates: tuple[Reduction, ...]

    @property
    def reconciled(self) -> bool:
        """True when at least one base explains the quoted figure."""
        return bool(self.matches)


def reconcile(
    stated_percent: Decimal,
    candidates: Iterable[Reduction],
    tolerance: Decimal = RECONCILE_TOLERANCE,
) -> Reconciliation:
    """Match a quoted percentage against reductions computed on different bases.

    ``reconcile(Decimal("12.53"), [own, sk])`` for Pelaihari matches the SK base (184.92 ha)
    and not the own baseline (48.75 %).
    """
    options = tuple(candidates)
    stated = decimal_to_hundredths(stated_percent)
    limit = decimal_to_hundredths(tolerance)
    matches = tuple(
        c
        for c in options
        if c.percent is not None and abs(decimal_to_hundredths(c.percent) - stated) <= limit
    )
    return Reconciliation(hundredths_to_decimal(stated), matches, options)
