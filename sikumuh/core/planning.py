"""The planner: which works graduate the most slum hectares for a budget (criteria.md §10).

An *action* reduces the volume of one criterion of one slum RT by ``x`` (0 < x ≤ volume) and
costs ``x × unit cost``. The RT is rescored exactly as in Permen PUPR 14/2018 (criteria.md
§3–§4: percentage rounded half-up to 2 dp, bands 76/51/25 %, classes by total) and
*graduates* when its class becomes Tidak Kumuh. A partial improvement earns nothing, so the
problem splits in two:

1. per RT, the cheapest set of actions that graduates it: for each criterion, the reduction
   that brings its score down to each lower band (the largest volume still scoring that band,
   from the same exact rounding as scoring, rounded up to the action step), then an exact
   choice of one level per criterion (a multiple-choice knapsack over the ≤ 95 score points,
   solved by dynamic programming over points shed — an enumeration of the few dozen states);
2. which RTs to graduate within the budget: a 0/1 knapsack solved exactly by HiGHS
   (:mod:`sikumuh.core.knapsack`), with the greedy answer (hectares per rupiah) beside it.

Costs are whole rupiah: an action's cost is ``x × unit cost`` rounded half-up to the rupiah, so
the plan's cost is the exact sum of its actions. Everything about criteria (units, bands, the
Tidak Kumuh threshold) is read from the RT's rule set, so Permen PUPR 02/2016 data (19 criteria,
Tidak Kumuh below 19) are planned under their own rules; a criterion without a unit cost
simply cannot be acted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import RuleSet, SlumClass
from sikumuh.core.decimals import MICRO, micro_to_decimal, round_half_up, to_micro
from sikumuh.core.knapsack import Choice, choose_exact, choose_greedy
from sikumuh.core.projection import RtFigures
from sikumuh.core.scoring import UnitInput, UnitResult, score_cell, score_unit
from sikumuh.core.whatif import band_of, max_hundredths_for_score, max_volume_micro

#: Action steps per criterion unit, in micro-units (criteria.md §10): whole buildings and
#: households (1a, 1c, 3a, 3b, 5a, 5b, 6a, 6b, 7a, 7b), 0.01 m of road or drain (2a, 2b, 4b,
#: 4c), 0.0001 ha of area (1b, 4a).
ACTION_STEP_MICRO: Mapping[str, int] = {
    "unit": MICRO,
    "KK": MICRO,
    "m": MICRO // 100,
    "ha": MICRO // 10_000,
}


@dataclass(frozen=True)
class Level:
    """Bring criterion ``code`` down to ``to_score`` by removing ``reduction_micro`` of its
    volume, shedding ``points`` score points for ``cost`` rupiah."""

    code: str
    to_score: int
    points: int
    reduction_micro: int
    cost: int

    @property
    def reduction(self) -> Decimal:
        """The volume removed, in the criterion's unit."""
        return micro_to_decimal(self.reduction_micro)


@dataclass(frozen=True)
class Graduation:
    """The cheapest actions that make one RT Tidak Kumuh."""

    total_before: int
    total_after: int
    actions: tuple[Level, ...]

    @property
    def cost(self) -> int:
        """Rupiah: the sum of the actions' costs."""
        return sum(a.cost for a in self.actions)


def reduction_to(
    volume_micro: int, denominator_micro: int, to_score: int, rule_set: RuleSet, step: int
) -> int:
    """The smallest reduction, a multiple of ``step`` (or the whole volume), after which the
    criterion scores at most ``to_score``; exact, with the scoring's own rounding."""
    limit = max_hundredths_for_score(rule_set, to_score)
    if limit is None:
        return 0
    needed = volume_micro - max_volume_micro(limit, denominator_micro)
    if needed <= 0:
        return 0
    return min(-(-needed // step) * step, volume_micro)


def action_cost(reduction_micro: int, unit_cost_micro: int) -> int:
    """Rupiah of an action: reduction × unit cost, rounded half-up to the rupiah."""
    return round_half_up(reduction_micro * unit_cost_micro, MICRO * MICRO)


def criterion_levels(
    rule_set: RuleSet,
    code: str,
    *,
    volume_micro: int,
    denominator_micro: int,
    unit_cost_micro: int,
) -> tuple[Level, ...]:
    """Every lower score the criterion can reach, with the reduction and its cost."""
    criterion = rule_set.criterion(code)
    _, score, _ = score_cell(volume_micro, denominator_micro, None, rule_set)
    if not score or denominator_micro <= 0 or volume_micro <= 0:
        return ()
    step = ACTION_STEP_MICRO[criterion.unit]
    levels: list[Level] = []
    for to_score in sorted({s for _, s in rule_set.score_bands if s < score} | {0}, reverse=True):
        reduction = reduction_to(volume_micro, denominator_micro, to_score, rule_set, step)
        # Verify by rescoring: the reduced volume must score at most the target.
        _, after, _ = score_cell(volume_micro - reduction, denominator_micro, None, rule_set)
        if after is None or after > to_score:
            raise AssertionError(f"{code}: {reduction} does not bring the score to {to_score}")
        levels.append(
            Level(code, after, score - after, reduction, action_cost(reduction, unit_cost_micro))
        )
    return tuple(levels)


def unit_levels(
    unit: UnitInput, result: UnitResult, rule_set: RuleSet, costs_micro: Mapping[str, int]
) -> list[tuple[Level, ...]]:
    """The levels of every criterion of a scored unit that has a volume and a unit cost."""
    options: list[tuple[Level, ...]] = []
    for criterion in rule_set.criteria:
        code = criterion.code
        volume = unit.volumes.get(code)
        denominator = unit.header.get(criterion.denominator)
        if code not in costs_micro or not result.score.get(code):
            continue
        if volume is None or denominator is None:
            continue  # a percentage-only criterion cannot be reduced by a volume
        levels = criterion_levels(
            rule_set,
            code,
            volume_micro=to_micro(volume),
            denominator_micro=to_micro(denominator),
            unit_cost_micro=costs_micro[code],
        )
        if levels:
            options.append(levels)
    return options


def cheapest_choice(options: Sequence[tuple[Level, ...]], points: int) -> tuple[Level, ...] | None:
    """At most one level per criterion, shedding at least ``points`` at the least cost; None
    when no choice does. Exact: dynamic programming over the points shed (capped at
    ``points``), which enumerates every useful combination. Ties go to fewer actions, then to
    the earlier criterion."""
    if points <= 0:
        return ()
    best: list[tuple[int, int, tuple[Level, ...]] | None] = [None] * (points + 1)
    best[0] = (0, 0, ())
    for levels in options:
        current = list(best)
        for shed, entry in enumerate(best):
            if entry is None:
                continue
            cost, used, chosen = entry
            for level in levels:
                key = min(shed + level.points, points)
                held = current[key]
                if held is None or (cost + level.cost, used + 1) < held[:2]:
                    current[key] = (cost + level.cost, used + 1, (*chosen, level))
        best = current
    final = best[points]
    return None if final is None else final[2]


def cheapest_graduation(
    unit: UnitInput,
    rule_set: RuleSet,
    costs_micro: Mapping[str, int],
    result: UnitResult | None = None,
) -> Graduation | None:
    """The cheapest actions making a slum RT Tidak Kumuh; None when the RT is not a slum, has
    scoring errors, or cannot graduate with the criteria that have a unit cost. ``result``:
    the unit's score under ``rule_set`` when the caller has it already."""
    result = result or score_unit(unit, rule_set)
    if result.total is None or result.klass in (None, SlumClass.TIDAK_KUMUH):
        return None
    needed = result.total - band_of(rule_set, SlumClass.TIDAK_KUMUH).maximum
    chosen = cheapest_choice(unit_levels(unit, result, rule_set, costs_micro), needed)
    if chosen is None:
        return None
    after = result.total - sum(level.points for level in chosen)
    return Graduation(result.total, after, chosen)


def apply_actions(unit: UnitInput, actions: Iterable[Level]) -> UnitInput:
    """The unit with each action's reduction taken off its criterion's volume."""
    volumes = dict(unit.volumes)
    for action in actions:
        volume = volumes[action.code]
        assert volume is not None
        volumes[action.code] = micro_to_decimal(to_micro(volume) - action.reduction_micro)
    return UnitInput(header=unit.header, volumes=volumes, percents=unit.percents)


def costs_to_micro(unit_costs: Mapping[str, Decimal]) -> dict[str, int]:
    """Unit costs (rupiah per unit of the criterion's volume) in micro-rupiah."""
    return {code: to_micro(cost) for code, cost in unit_costs.items()}


@dataclass(frozen=True)
class PlannedRt:
    """An RT the plan graduates, with its actions."""

    figures: RtFigures
    graduation: Graduation


@dataclass(frozen=True)
class Plan:
    """The exact optimum and the greedy answer for one budget.

    ``slum_rts``: slum RTs as of the year; ``graduable``: those some actions can graduate
    (the others miss a unit cost, a volume, or have errors); ``optimal``: HiGHS proved the
    optimum (False only when a time limit stopped it).
    """

    budget: int
    rts: tuple[PlannedRt, ...]
    greedy_rts: tuple[PlannedRt, ...]
    slum_rts: int
    graduable: int
    optimal: bool

    @property
    def cost(self) -> int:
        return sum(p.graduation.cost for p in self.rts)

    @property
    def graduated_ha(self) -> Decimal:
        return sum((p.figures.luas_ha for p in self.rts), Decimal(0))

    @property
    def greedy_cost(self) -> int:
        return sum(p.graduation.cost for p in self.greedy_rts)

    @property
    def greedy_graduated_ha(self) -> Decimal:
        return sum((p.figures.luas_ha for p in self.greedy_rts), Decimal(0))


def candidates(
    units: Iterable[RtFigures], unit_costs: Mapping[str, Decimal]
) -> tuple[list[PlannedRt], int]:
    """Every slum RT some actions can graduate, with its cheapest graduation; and the count
    of slum RTs (graduable or not)."""
    costs_micro = costs_to_micro(unit_costs)
    found: list[PlannedRt] = []
    slum = 0
    for figures in units:
        result = score_unit(figures.unit, figures.rule_set)
        if result.klass is None or result.klass is SlumClass.TIDAK_KUMUH:
            continue
        slum += 1
        graduation = cheapest_graduation(figures.unit, figures.rule_set, costs_micro, result)
        if graduation is not None:
            found.append(PlannedRt(figures, graduation))
    return found, slum


def make_plan(
    units: Iterable[RtFigures],
    unit_costs: Mapping[str, Decimal],
    budget: int,
    *,
    time_limit: float | None = None,
) -> Plan:
    """The RTs to graduate within ``budget`` rupiah: exact optimum (HiGHS) and greedy."""
    if budget < 0:
        raise ValueError("the budget must not be negative")
    found, slum = candidates(units, unit_costs)
    values = [to_micro(p.figures.luas_ha) for p in found]
    weights = [p.graduation.cost for p in found]
    exact: Choice = choose_exact(values, weights, budget, time_limit=time_limit)
    greedy = choose_greedy(values, weights, budget)
    plan = Plan(
        budget=budget,
        rts=tuple(found[i] for i in exact.chosen),
        greedy_rts=tuple(found[i] for i in greedy.chosen),
        slum_rts=slum,
        graduable=len(found),
        optimal=exact.optimal,
    )
    check_plan(plan)
    return plan


def check_plan(plan: Plan) -> None:
    """Refuse a plan that breaks its promise: within the budget, and every listed RT Tidak
    Kumuh once its actions are applied (rescored from scratch)."""
    if plan.cost > plan.budget or plan.greedy_cost > plan.budget:
        raise AssertionError(f"plan cost {plan.cost} exceeds the budget {plan.budget}")
    for planned in plan.rts:
        figures = planned.figures
        after = score_unit(
            apply_actions(figures.unit, planned.graduation.actions), figures.rule_set
        )
        if (
            after.klass is not SlumClass.TIDAK_KUMUH
            or after.total != planned.graduation.total_after
        ):
            raise AssertionError(f"RT {figures.key} does not graduate with its actions")
