"""What would change a unit's class: the points to shed and the volume reductions that shed them.

Permen PUPR 14/2018 Lampiran (penilaian): each criterion's share ``volume / denominator × 100``
(rounded half-up to 2 dp) is scored by the rule set's bands (76 % → 5, 51 % → 3, 25 % → 1) and
the total of the scores gives the class (60 berat, 38 sedang, 16 ringan). So a class changes only
when the total drops below the class's lower bound, and a criterion's score drops only when its
percentage falls below the lower bound of its band. This module turns those bands into concrete
targets for one unit (an RT, a location):

* the points needed to reach the next lower class and to reach Tidak Kumuh;
* for every criterion scoring above 0, the largest volume that still scores one band lower (and
  each band below), and so the volume to take away — in the criterion's own unit (buildings, m,
  KK, ha), rounded *up* to a whole unit (a hundredth of a hectare) so that the rounded reduction
  really changes the score;
* the cheapest combination of such reductions that sheds the points needed.

"Cheapest" is measured in percentage points of the unit (the share of buildings, road, households
… taken out of bad condition): the data hold no unit costs, and a percentage point is the one
measure the regulation itself puts every criterion on. An interface may say which reductions are
cheap in money once costs exist; the band arithmetic stays here.

Everything derives from the rule set's bands (:mod:`sikumuh.core.criteria`), nothing is
hard-coded, so a unit scored under Permen PUPR 02/2016 gets that regulation's thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import RuleSet, SlumClass
from sikumuh.core.decimals import (
    HUNDREDTHS_PER_RATIO,
    MICRO,
    hundredths_to_decimal,
    micro_to_decimal,
    percent_hundredths,
    to_micro,
)
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit

#: The smallest reduction worth proposing, per criterion unit (micro-units): whole buildings,
#: households and metres; a hundredth of a hectare (100 m²) for areas (criteria 1b, 4a).
UNIT_STEP_MICRO: Mapping[str, int] = {"unit": MICRO, "KK": MICRO, "m": MICRO, "ha": MICRO // 100}


@dataclass(frozen=True)
class ClassBand:
    """The totals ``minimum``–``maximum`` (inclusive) that give ``klass`` under a rule set."""

    klass: SlumClass
    minimum: int
    maximum: int


def class_bands(rule_set: RuleSet) -> tuple[ClassBand, ...]:
    """Every class with its range of totals, heaviest first (2018: 60–80, 38–59, 16–37, 0–15)."""
    bands: list[ClassBand] = []
    ceiling = rule_set.max_total
    for minimum, klass in rule_set.class_bands:
        bands.append(ClassBand(klass, minimum, ceiling))
        ceiling = minimum - 1
    bands.append(ClassBand(SlumClass.TIDAK_KUMUH, 0, ceiling))
    return tuple(bands)


def band_of(rule_set: RuleSet, klass: SlumClass) -> ClassBand:
    """The range of totals of one class."""
    for band in class_bands(rule_set):
        if band.klass is klass:
            return band
    raise KeyError(klass)


def max_hundredths_for_score(rule_set: RuleSet, score: int) -> int | None:
    """The highest percentage (hundredths) that scores ``score`` or less; None for the top score.

    A percentage scores at most ``score`` when it stays below the lowest band of every higher
    score: under 2018 bands, score ≤ 3 means below 76.00 %, so at most 75.99 %.
    """
    higher = [minimum for minimum, band_score in rule_set.score_bands if band_score > score]
    return min(higher) - 1 if higher else None


def max_volume_micro(max_hundredths: int, denominator_micro: int) -> int:
    """The largest volume (micro-units) whose percentage of the denominator rounds to at most
    ``max_hundredths``.

    The percentage is ``volume × 10⁴ / denominator`` rounded half-up (criteria.md §3), so it is at
    most ``L`` exactly when ``volume × 10⁴ < (L + ½) × denominator``, i.e.
    ``2 × 10⁴ × volume < (2L + 1) × denominator``. Integer arithmetic, exact.
    """
    if denominator_micro <= 0:
        raise ValueError("the denominator must be positive")
    bound = (2 * max_hundredths + 1) * denominator_micro
    scale = 2 * HUNDREDTHS_PER_RATIO
    return -(-bound // scale) - 1  # ceil(bound / scale) − 1: the largest integer strictly below


@dataclass(frozen=True)
class Step:
    """Bring one criterion from ``from_score`` down to ``to_score``.

    ``max_percent`` is the highest percentage that scores ``to_score``. With a volume,
    ``reduction`` is the volume to remove (rounded up to the unit's step) and ``target_volume``
    what remains; for percentage-only legacy data both are None and only the percentage target
    applies. ``cost`` is the percentage points the change removes (the effort measure).
    """

    code: str
    from_score: int
    to_score: int
    current_percent: Decimal
    max_percent: Decimal
    unit: str
    volume: Decimal | None
    target_volume: Decimal | None
    reduction: Decimal | None
    cost: Decimal

    @property
    def points(self) -> int:
        """Score points the step sheds."""
        return self.from_score - self.to_score


def criterion_steps(
    rule_set: RuleSet,
    code: str,
    *,
    score: int,
    hundredths: int,
    volume_micro: int | None,
    denominator_micro: int | None,
) -> tuple[Step, ...]:
    """The steps from a criterion's current score to each lower score band, nearest first."""
    criterion = rule_set.criterion(code)
    lower_scores = sorted({s for _, s in rule_set.score_bands if s < score} | {0}, reverse=True)
    steps: list[Step] = []
    for to_score in lower_scores if score > 0 else []:
        limit = max_hundredths_for_score(rule_set, to_score)
        if limit is None:  # cannot happen below the top score; kept for the type checker
            continue
        volume = target = reduction = None
        reached = limit
        if volume_micro is not None and denominator_micro and denominator_micro > 0:
            step = UNIT_STEP_MICRO.get(criterion.unit, 1)
            needed = volume_micro - max_volume_micro(limit, denominator_micro)
            rounded = min(-(-needed // step) * step, volume_micro)
            target_micro = volume_micro - rounded
            reached = percent_hundredths(target_micro, denominator_micro)
            volume = micro_to_decimal(volume_micro)
            target = micro_to_decimal(target_micro)
            reduction = micro_to_decimal(rounded)
        steps.append(
            Step(
                code=code,
                from_score=score,
                to_score=to_score,
                current_percent=hundredths_to_decimal(hundredths),
                max_percent=hundredths_to_decimal(limit),
                unit=criterion.unit,
                volume=volume,
                target_volume=target,
                reduction=reduction,
                cost=hundredths_to_decimal(hundredths - reached),
            )
        )
    return tuple(steps)


@dataclass(frozen=True)
class Target:
    """Reach ``klass`` (total at most ``max_total``): ``points_needed`` to shed, and the cheapest
    ``plan`` that sheds them (one step per criterion at most)."""

    klass: SlumClass
    max_total: int
    points_needed: int
    plan: tuple[Step, ...]

    @property
    def cost(self) -> Decimal:
        """Percentage points the plan removes, summed over its criteria."""
        return sum((s.cost for s in self.plan), Decimal(0))


@dataclass(frozen=True)
class WhatIf:
    """A scored unit's class, its band, and what would move it down.

    ``next_steps``: for each criterion scoring above 0, the step to its next lower band, cheapest
    first. ``targets``: the next lower class and, when that is not already it, Tidak Kumuh.
    """

    rule_set_id: str
    total: int
    klass: SlumClass
    band: ClassBand
    next_steps: tuple[Step, ...]
    targets: tuple[Target, ...]


def cheapest_plan(options: Mapping[str, tuple[Step, ...]], points: int) -> tuple[Step, ...]:
    """The set of steps (at most one per criterion) shedding at least ``points`` at least cost.

    An exact knapsack over criteria (16–19 criteria, totals ≤ 95: a few thousand states). Ties go
    to fewer criteria, then to the earlier criterion code, so the answer is deterministic.
    """
    if points <= 0:
        return ()
    # best[p] = (cost, criteria used, steps) for exactly min(p, points) points shed.
    best: dict[int, tuple[int, int, tuple[Step, ...]]] = {0: (0, 0, ())}
    for code in sorted(options):
        current = dict(best)
        for shed, (cost, used, chosen) in best.items():
            for step in options[code]:
                key = min(shed + step.points, points)
                candidate = (cost + _hundredths(step.cost), used + 1, (*chosen, step))
                if key not in current or candidate[:2] < current[key][:2]:
                    current[key] = candidate
        best = current
    if points not in best:
        raise ValueError(f"no combination of steps sheds {points} points")
    return tuple(sorted(best[points][2], key=lambda s: s.code))


def _hundredths(value: Decimal) -> int:
    return int(value.scaleb(2))


def explain(unit: UnitInput, rule_set: RuleSet) -> WhatIf | None:
    """What would lower the class of ``unit``; None when it has errors (no total, no class)."""
    result = score_unit(unit, rule_set)
    if result.total is None or result.klass is None:
        return None
    options = _options(unit, result, rule_set)
    next_steps = sorted(
        (steps[0] for steps in options.values()), key=lambda s: (s.cost, -s.points, s.code)
    )
    bands = class_bands(rule_set)
    band = next(b for b in bands if b.klass is result.klass)
    targets: list[Target] = []
    for goal in (b for b in bands if b.maximum < band.minimum):
        if targets and goal.klass is not SlumClass.TIDAK_KUMUH:
            continue  # only the next lower class, and Tidak Kumuh
        needed = result.total - goal.maximum
        targets.append(Target(goal.klass, goal.maximum, needed, cheapest_plan(options, needed)))
    return WhatIf(
        rule_set_id=rule_set.id,
        total=result.total,
        klass=result.klass,
        band=band,
        next_steps=tuple(next_steps),
        targets=tuple(targets),
    )


def _options(unit: UnitInput, result: UnitResult, rule_set: RuleSet) -> dict[str, tuple[Step, ...]]:
    options: dict[str, tuple[Step, ...]] = {}
    for criterion in rule_set.criteria:
        score = result.score.get(criterion.code)
        percent = result.percent.get(criterion.code)
        if not score or percent is None:
            continue
        volume = unit.volumes.get(criterion.code)
        denominator = unit.header.get(criterion.denominator)
        steps = criterion_steps(
            rule_set,
            criterion.code,
            score=score,
            hundredths=_hundredths(percent),
            volume_micro=None if volume is None else to_micro(volume),
            denominator_micro=None if denominator is None else to_micro(denominator),
        )
        if steps:
            options[criterion.code] = steps
    return options
