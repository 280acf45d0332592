"""Seeded stratified random sampling for the uji petik (spot check), uji-petik.md "Sampling".

No regulation fixes the method; this is the product's design:

* **Strata** come from a key function (kecamatan × activity type, or any field the user picks).
* **Allocation**: every stratum first gets ``minimum`` items (capped at its size ``N_h``); the rest
  of ``n`` is allocated in proportion to stratum size ``N_h`` (or to the stratum's total cost) by
  the largest-remainder method. A stratum never gets more than it holds: whatever a full stratum
  cannot take is re-allocated over the others, in the same proportions. Ties of remainders go to
  the larger weight, then to the stratum key that sorts first, so the plan is deterministic.
  When ``n`` is smaller than the minima need, the minima win and the plan says so (a stratum with
  no item in the sample has no estimate at all); ``n`` above the population is capped (census).
* **Selection** inside a stratum: its items sorted by a stable id, shuffled by a generator seeded
  with ``(seed, stratum key)``, the first ``n_h`` taken. Seeding per stratum (Python's
  ``random.Random`` hashes a string seed with SHA-512, the same on every machine and run) means a
  stratum's selection depends only on the seed and that stratum's items: anyone with the seed and
  the same population draws the same sample, and a change in one stratum leaves the others'
  selections as they were.
* **Purposive additions** (chosen by the team, not by chance) are appended after the random
  items, flagged, and excluded from the estimates (:mod:`sikumuh.core.estimates`).

Randomness is a parameter (networkx's ``py_random_state`` habit): the function takes an ``int``
seed and never touches global random state.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

T = TypeVar("T")


class Allocation(StrEnum):
    """What the part of ``n`` above the minima is allocated in proportion to."""

    SIZE = "size"  # number of items N_h (proportional allocation)
    COST = "cost"  # total cost of the stratum's items: expensive works get more visits


@dataclass(frozen=True)
class StratumPlan:
    """One stratum of the plan: ``population`` = N_h, ``sample`` = n_h (random items only)."""

    key: str
    population: int
    sample: int
    minimum: int
    cost: Decimal
    #: W_h = N_h / N, the stratum's share of the population (used by the estimator).
    weight: Fraction

    @property
    def fraction(self) -> Fraction:
        """Sampling fraction f_h = n_h / N_h."""
        return Fraction(self.sample, self.population) if self.population else Fraction(0)


@dataclass(frozen=True)
class Drawn(Generic[T]):
    """One sampled item: ``position`` is 1-based in the sample (random items first)."""

    item: T
    item_id: str
    stratum: str
    position: int
    purposive: bool = False


@dataclass(frozen=True)
class SamplePlan(Generic[T]):
    seed: int
    n_requested: int
    minimum: int
    allocation: Allocation
    strata: tuple[StratumPlan, ...]
    items: tuple[Drawn[T], ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def population(self) -> int:
        return sum(s.population for s in self.strata)

    @property
    def n_random(self) -> int:
        return sum(s.sample for s in self.strata)

    @property
    def n_purposive(self) -> int:
        return sum(1 for d in self.items if d.purposive)


def allocate(
    sizes: Sequence[int],
    n: int,
    *,
    minimum: int = 1,
    weights: Sequence[Fraction] | None = None,
    keys: Sequence[str] | None = None,
) -> list[int]:
    """n_h per stratum: ``min(minimum, N_h)`` each, the rest proportional to ``weights``
    (default: the sizes) by largest remainder, never above ``N_h``.

    ``n`` below the sum of the minima gives the minima; above the population, every item.
    Stratum weights of zero (e.g. no cost recorded anywhere) fall back to the sizes.
    """
    if n < 0 or minimum < 0 or any(s < 0 for s in sizes):
        raise ValueError("sizes, n and minimum must not be negative")
    count = len(sizes)
    keys = list(keys) if keys is not None else [f"{i:09d}" for i in range(count)]
    base = [min(minimum, size) for size in sizes]
    shares = [Fraction(w) for w in weights] if weights is not None else [Fraction(s) for s in sizes]
    if len(shares) != count or len(keys) != count:
        raise ValueError("sizes, weights and keys must have the same length")
    if any(w < 0 for w in shares):
        raise ValueError("weights must not be negative")
    rest = min(n, sum(sizes)) - sum(base)
    result = list(base)
    active = [i for i in range(count) if sizes[i] > result[i]]
    while rest > 0 and active:
        use = shares if sum(shares[i] for i in active) > 0 else [Fraction(s) for s in sizes]
        total = sum(use[i] for i in active)
        if total == 0:  # every active stratum weighs nothing: share equally
            use, total = [Fraction(1)] * count, Fraction(len(active))
        quota = {i: rest * use[i] / total for i in active}
        give = {i: int(quota[i]) for i in active}  # floor: quotas are non-negative
        left = rest - sum(give.values())
        order = sorted(active, key=lambda i: (-(quota[i] - give[i]), -use[i], keys[i]))
        for i in order[:left]:
            give[i] += 1
        full = [i for i in active if result[i] + give[i] >= sizes[i]]
        if not any(result[i] + give[i] > sizes[i] for i in full):
            for i in active:
                result[i] += give[i]
            break
        # Some strata cannot take their share: fill them up, allocate the rest over the others.
        for i in full:
            rest -= sizes[i] - result[i]
            result[i] = sizes[i]
        active = [i for i in active if i not in full]
    return result


def draw(
    population: Iterable[T],
    *,
    n: int,
    seed: int,
    stratum_of: Callable[[T], str],
    id_of: Callable[[T], Hashable],
    minimum: int = 1,
    allocation: Allocation | str = Allocation.SIZE,
    cost_of: Callable[[T], Decimal | None] | None = None,
    purposive: Sequence[T] = (),
) -> SamplePlan[T]:
    """Draw a stratified random sample of ``n`` items (plus ``purposive`` additions).

    ``id_of`` must give each item a stable, unique, sortable id (a database key): the draw sorts
    by it, so the order in which the population is passed does not matter.
    """
    allocation = Allocation(allocation)
    if allocation is Allocation.COST and cost_of is None:
        raise ValueError("allocation by cost needs cost_of")
    strata: dict[str, list[T]] = {}
    seen: set[str] = set()
    for item in population:
        item_id = _id(id_of(item))
        if item_id in seen:
            raise ValueError(f"item id {item_id} appears twice in the population")
        seen.add(item_id)
        strata.setdefault(stratum_of(item), []).append(item)
    keys = sorted(strata)
    for key in keys:
        strata[key].sort(key=lambda item: _sort_key(id_of(item)))
    sizes = [len(strata[k]) for k in keys]
    costs = [sum((_cost(cost_of, item) for item in strata[k]), Decimal(0)) for k in keys]
    weights = [Fraction(c) for c in costs] if allocation is Allocation.COST else None
    sample_sizes = allocate(sizes, n, minimum=minimum, weights=weights, keys=keys)

    notes: list[str] = []
    total = sum(sizes)
    needed = sum(min(minimum, s) for s in sizes)
    if n < needed:
        notes.append(
            f"n = {n} is below the {needed} items the minimum of {minimum} per stratum needs; "
            f"the sample has {needed} random items"
        )
    if n > total:
        notes.append(f"n = {n} is above the population of {total}: every item is taken")
    if allocation is Allocation.COST and sum(costs) == 0:
        notes.append("no item has a cost: the rest was allocated by stratum size")

    items: list[Drawn[T]] = []
    plans: list[StratumPlan] = []
    for key, size, n_h, cost in zip(keys, sizes, sample_sizes, costs, strict=True):
        order = list(strata[key])
        random.Random(f"{seed}:{key}").shuffle(order)
        for item in order[:n_h]:
            items.append(Drawn(item, _id(id_of(item)), key, len(items) + 1))
        plans.append(
            StratumPlan(
                key=key,
                population=size,
                sample=n_h,
                minimum=min(minimum, size),
                cost=cost,
                weight=Fraction(size, total) if total else Fraction(0),
            )
        )
    chosen = {d.item_id for d in items}
    for item in purposive:
        item_id = _id(id_of(item))
        if item_id in chosen:
            notes.append(f"purposive item {item_id} is already in the random sample")
            continue
        chosen.add(item_id)
        items.append(Drawn(item, item_id, stratum_of(item), len(items) + 1, purposive=True))
    return SamplePlan(
        seed=seed,
        n_requested=n,
        minimum=minimum,
        allocation=allocation,
        strata=tuple(plans),
        items=tuple(items),
        notes=tuple(notes),
    )


def _id(value: Hashable) -> str:
    return str(value)


def _sort_key(value: Hashable) -> tuple[int, int, str]:
    """Numbers in numeric order (2 before 10), then anything else as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _cost(cost_of: Callable[[T], Decimal | None] | None, item: T) -> Decimal:
    if cost_of is None:
        return Decimal(0)
    value = cost_of(item)
    # A missing or negative cost weighs nothing (it cannot attract visits).
    return value if value is not None and value > 0 else Decimal(0)
