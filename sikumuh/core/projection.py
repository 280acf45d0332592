"""Kumuh akhir: the condition projected after investments (criteria.md §7).

Each investment (activity) reduces the volume of the criterion it addresses, in that
criterion's unit (metres of road built reduce 2a/2b, households connected reduce 3a/3b, …).
Programme practice (the R0 instrument "perhitungan tingkat kekumuhan akhir"):
``volume_akhir = max(0, volume_awal − Σ investment volume)``, then rescore. Planners use the
projection to choose investments; a later survey replaces it with measured data, and both are
kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, RuleSet
from sikumuh.core.decimals import micro_to_decimal, to_decimal6, to_micro
from sikumuh.core.issues import CANNOT_PROJECT_PERCENT, Issue
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit


def sum_investments(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Total investment volume per criterion from ``(criterion, volume)`` pairs (exact)."""
    totals: dict[str, int] = {}
    for code, volume in items:
        totals[code] = totals.get(code, 0) + to_micro(volume)
    return {code: micro_to_decimal(micro) for code, micro in totals.items()}


def project_after_investment(unit: UnitInput, investments: Mapping[str, Decimal]) -> UnitInput:
    """The unit's input after investments: each invested criterion's volume reduced, not below 0.

    Only criteria with an investment change: a criterion without one keeps its baseline volume
    (so a negative baseline volume stays an error instead of silently becoming 0). A criterion
    known only as a percentage cannot be reduced by a volume: it keeps its percentage and the
    result carries a ``cannot_project_percent`` warning. A negative investment volume is refused.
    """
    volumes = dict(unit.volumes)
    issues = list(unit.issues)
    for code, amount in investments.items():
        invested = to_decimal6(amount)
        if invested is None or invested < 0:
            raise ValueError(f"investment for {code} must be a volume ≥ 0, got {amount!r}")
        baseline = unit.volumes.get(code)
        if baseline is None:
            if unit.percents.get(code) is not None:
                issues.append(
                    Issue(
                        CANNOT_PROJECT_PERCENT,
                        code,
                        "percent",
                        None,
                        f"Criterion {code}: only a percentage is known, so the investment of "
                        f"{invested} cannot reduce it; the baseline percentage is kept.",
                    )
                )
            continue
        volumes[code] = micro_to_decimal(max(0, to_micro(baseline) - to_micro(invested)))
    return UnitInput(
        header=unit.header, volumes=volumes, percents=unit.percents, issues=tuple(issues)
    )


@dataclass(frozen=True)
class Projection:
    """Baseline (kumuh awal) and projected (kumuh akhir) results of one unit."""

    baseline: UnitResult
    projected: UnitResult

    @property
    def total_change(self) -> int | None:
        """Projected total minus baseline total (negative = improvement); None if unknown."""
        if self.baseline.total is None or self.projected.total is None:
            return None
        return self.projected.total - self.baseline.total


def project_and_score(
    unit: UnitInput,
    investments: Mapping[str, Decimal],
    rule_set: RuleSet = PERMEN_PUPR_14_2018,
) -> Projection:
    """Score the unit before and after the investments under one rule set."""
    projected = project_after_investment(unit, investments)
    return Projection(score_unit(unit, rule_set), score_unit(projected, rule_set))
