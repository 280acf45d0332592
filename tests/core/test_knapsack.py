"""The planner's second stage: which RTs to graduate within the budget (criteria.md §10)."""

from __future__ import annotations

import itertools

from hypothesis import given, seed, settings
from hypothesis import strategies as st

from sikumuh.core.knapsack import choose_exact, choose_greedy


def _brute_force(values: list[int], weights: list[int], capacity: int) -> int:
    best = 0
    for pick in itertools.product((0, 1), repeat=len(values)):
        if sum(w for w, x in zip(weights, pick, strict=True) if x) <= capacity:
            best = max(best, sum(v for v, x in zip(values, pick, strict=True) if x))
    return best


_items = st.lists(st.tuples(st.integers(1, 10**7), st.integers(1, 10**9)), max_size=10)


@seed(20261207)
@settings(max_examples=120, deadline=None)
@given(items=_items, share=st.floats(0, 1.2))
def test_highs_finds_the_value_brute_force_finds_within_the_budget(
    items: list[tuple[int, int]], share: float
) -> None:
    values = [v for v, _ in items]
    weights = [w for _, w in items]
    capacity = int(sum(weights) * share)
    choice = choose_exact(values, weights, capacity)
    assert choice.optimal
    assert choice.weight <= capacity
    assert choice.value == _brute_force(values, weights, capacity)
    greedy = choose_greedy(values, weights, capacity)
    assert greedy.weight <= capacity
    assert greedy.value <= choice.value


def test_greedy_by_hectares_per_rupiah_loses_where_one_big_rt_is_worth_more() -> None:
    # RT A: 2 ha for Rp 1 (2 ha per rupiah), RT B: 9 ha for Rp 10 (0.9). Budget Rp 10: greedy
    # takes A first and B no longer fits (2 ha); the optimum takes B alone (9 ha).
    values, weights = [2, 9], [1, 10]
    assert choose_greedy(values, weights, 10).chosen == (0,)
    exact = choose_exact(values, weights, 10)
    assert (exact.chosen, exact.value) == ((1,), 9)


def test_a_budget_that_covers_everything_takes_everything_without_the_solver() -> None:
    assert choose_exact([1, 2, 3], [5, 5, 5], 15).chosen == (0, 1, 2)


def test_items_dearer_than_the_budget_are_never_chosen() -> None:
    assert choose_exact([100, 1], [11, 10], 10).chosen == (1,)
    assert choose_exact([100], [11], 10).chosen == ()
