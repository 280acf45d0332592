"""The planner's unit costs per kabupaten/kota (criteria.md §10): read, saved and reset.

A kabupaten that saved no table plans with :data:`DEFAULT_UNIT_COSTS`, the illustrative table
of ``docs/planning.md`` (``docs/biaya-satuan.csv``; a test keeps the two equal). Saving replaces
the kabupaten's whole table (a criterion left out cannot be acted on); resetting removes it, so
the default applies again. Both are audited, in one transaction with the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sikumuh.audit.actions import Actor, record
from sikumuh.core.criteria import RULE_SETS, Criterion
from sikumuh.investments.models import UnitCost
from sikumuh.regions.models import Region

#: (kriteria, satuan, rupiah per satuan): illustrative orders of magnitude, not prices.
DEFAULT_UNIT_COSTS: tuple[tuple[str, str, int], ...] = (
    ("1a", "unit", 15_000_000),
    ("1b", "ha", 250_000_000),
    ("1c", "unit", 20_000_000),
    ("2a", "m", 1_500_000),
    ("2b", "m", 750_000),
    ("3a", "KK", 2_500_000),
    ("3b", "KK", 1_500_000),
    ("4a", "ha", 400_000_000),
    ("4b", "m", 1_200_000),
    ("4c", "m", 600_000),
    ("5a", "KK", 4_000_000),
    ("5b", "KK", 3_000_000),
    ("6a", "KK", 500_000),
    ("6b", "KK", 300_000),
    ("7a", "unit", 2_000_000),
    ("7b", "unit", 500_000),
)


def priced_criteria() -> dict[str, Criterion]:
    """Every criterion a cost may be given for, by code: the 2018 ones, then those only the
    2016 rule set scores (4d, 4e, 6c)."""
    found: dict[str, Criterion] = {}
    for rule_set in RULE_SETS.values():
        for criterion in rule_set.criteria:
            found.setdefault(criterion.code, criterion)
    return dict(sorted(found.items()))


def default_costs() -> dict[str, Decimal]:
    return {code: Decimal(cost) for code, _, cost in DEFAULT_UNIT_COSTS}


@dataclass(frozen=True)
class CostTable:
    """The costs a kabupaten plans with; ``is_default`` when it saved none."""

    costs: dict[str, Decimal]
    is_default: bool


def costs_of(kabupaten_code: str) -> CostTable:
    rows = UnitCost.objects.filter(region_id=kabupaten_code)
    saved = {row.criterion: row.cost_per_unit for row in rows}
    if not saved:
        return CostTable(default_costs(), True)
    return CostTable(saved, False)


def _as_text(costs: Mapping[str, Decimal]) -> dict[str, str]:
    return {code: f"{cost.normalize():f}" for code, cost in sorted(costs.items())}


def save_unit_costs(*, actor: Actor, region: Region, costs: Mapping[str, Decimal]) -> bool:
    """Replace the kabupaten's table with ``costs`` (every value above 0, every code a
    criterion); False, with no audit entry, when nothing changed."""
    criteria = priced_criteria()
    if not costs or any(code not in criteria or cost <= 0 for code, cost in costs.items()):
        raise ValueError("unit costs need known criteria and costs above 0")
    with transaction.atomic():
        before = costs_of(region.code)
        if not before.is_default and _as_text(before.costs) == _as_text(costs):
            return False
        UnitCost.objects.filter(region=region).delete()
        UnitCost.objects.bulk_create(
            UnitCost(
                region=region,
                criterion=code,
                unit=criteria[code].unit,
                cost_per_unit=cost,
            )
            for code, cost in sorted(costs.items())
        )
        record(
            actor=actor,
            action="unit_costs.save",
            obj=region,
            changes={"unit_costs": [_as_text(before.costs), _as_text(costs)]},
            region_code=region.code,
            context={"was_default": before.is_default},
        )
    return True


def reset_unit_costs(*, actor: Actor, region: Region) -> bool:
    """Back to the default table; False, with no audit entry, when it was in use already."""
    with transaction.atomic():
        before = costs_of(region.code)
        if before.is_default:
            return False
        UnitCost.objects.filter(region=region).delete()
        record(
            actor=actor,
            action="unit_costs.reset",
            obj=region,
            changes={"unit_costs": [_as_text(before.costs), _as_text(default_costs())]},
            region_code=region.code,
        )
    return True
