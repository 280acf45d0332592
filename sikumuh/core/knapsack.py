"""Which RTs to graduate within a budget: a 0/1 knapsack (criteria.md §10, second stage).

Each graduable RT is an item worth its hectares (in micro-hectares, integers) and weighing the
rupiah of its cheapest graduation. The exact answer comes from an existing solver — HiGHS, as an
integer program through :func:`scipy.optimize.milp` with the relative gap set to 0 — and is
checked in exact integers afterwards. The greedy answer (items by hectares per rupiah, each taken
when it still fits) is what a spreadsheet would give; showing both tells users what the optimum
gains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


@dataclass(frozen=True)
class Choice:
    """Indices of the chosen items (ascending), their total value and weight; ``optimal`` is
    False only when a time limit stopped the solver before it proved the optimum."""

    chosen: tuple[int, ...]
    value: int
    weight: int
    optimal: bool = True


def _choice(
    indices: Sequence[int], values: Sequence[int], weights: Sequence[int], optimal: bool
) -> Choice:
    chosen = tuple(sorted(indices))
    return Choice(chosen, sum(values[i] for i in chosen), sum(weights[i] for i in chosen), optimal)


def choose_exact(
    values: Sequence[int],
    weights: Sequence[int],
    capacity: int,
    *,
    time_limit: float | None = None,
) -> Choice:
    """The items of greatest total value whose weights sum to at most ``capacity`` (HiGHS)."""
    if len(values) != len(weights):
        raise ValueError("values and weights must have the same length")
    if any(w < 0 for w in weights) or any(v < 0 for v in values):
        raise ValueError("values and weights must not be negative")
    # Items that cannot fit alone never enter; free items always do.
    fits = [i for i, w in enumerate(weights) if 0 < w <= capacity and values[i] > 0]
    free = [i for i, w in enumerate(weights) if w == 0 and values[i] > 0]
    if not fits:
        return _choice(free, values, weights, True)
    if sum(weights[i] for i in fits) <= capacity:
        return _choice(fits + free, values, weights, True)
    c = -np.array([values[i] for i in fits], dtype=np.float64)
    a = np.array([[weights[i] for i in fits]], dtype=np.float64)
    # mip_rel_gap 0: the default gap (1e-4) would stop at a near-optimum.
    options: Any = {"mip_rel_gap": 0.0, "disp": False}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        c,
        constraints=LinearConstraint(a, -np.inf, capacity),
        integrality=np.ones(len(fits), dtype=np.int64),
        bounds=Bounds(np.zeros(len(fits)), np.ones(len(fits))),
        options=options,
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS found no solution: {result.message}")
    picked = [fits[k] for k, x in enumerate(result.x) if x > 0.5]
    choice = _choice(picked + free, values, weights, result.status == 0)
    # The solver works in floating point: check the budget in exact integers.
    if choice.weight > capacity:
        raise RuntimeError("HiGHS returned a selection above the budget")
    return choice


def choose_greedy(values: Sequence[int], weights: Sequence[int], capacity: int) -> Choice:
    """Items by value per weight (highest first, ties by index), each taken while it fits."""

    def ratio(i: int) -> Fraction:
        return Fraction(values[i], weights[i]) if weights[i] else Fraction(10**30)

    order = sorted(range(len(values)), key=lambda i: (-ratio(i), i))
    taken: list[int] = []
    left = capacity
    for i in order:
        if values[i] > 0 and weights[i] <= left:
            taken.append(i)
            left -= weights[i]
    return _choice(taken, values, weights, True)
