"""Seeded stratified sampling: allocation rules and reproducibility (no database)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest

from sikumuh.core.sampling import Allocation, allocate, draw


@dataclass(frozen=True)
class Work:
    id: int
    kecamatan: str
    kind: str
    cost: Decimal | None = None


def population() -> list[Work]:
    """Three strata of 10, 30 and 60 works."""
    works = []
    for number in range(1, 101):
        kecamatan = "A" if number <= 10 else "B" if number <= 40 else "C"
        works.append(Work(number, kecamatan, "jalan", Decimal(number * 1000)))
    return works


def by_kecamatan(work: Work) -> str:
    return work.kecamatan


@pytest.mark.parametrize(
    ("sizes", "n", "minimum", "weights", "expected"),
    [
        # 2 each, then 14 over 10:30:60 → 1.4, 4.2, 8.4: floors 13, the one left goes to the
        # largest remainder (0.4 for A and C: the tie goes to the larger weight, C).
        ([10, 30, 60], 20, 2, None, [3, 6, 11]),
        # Stratum A (3 items) would get 4: it is filled (3) and B takes the rest (57).
        ([3, 97], 60, 2, None, [3, 57]),
        # The minima need 3 > n = 2: the minima win.
        ([5, 5, 5], 2, 1, None, [1, 1, 1]),
        # A stratum smaller than the minimum gives what it holds.
        ([1, 10], 5, 2, None, [1, 4]),
        # By cost: the rest (4) goes 1:3.
        ([10, 10], 6, 1, [Fraction(100), Fraction(300)], [2, 4]),
        # No cost anywhere: by size.
        ([10, 30], 6, 1, [Fraction(0), Fraction(0)], [2, 4]),
        # n above the population: every item.
        ([2, 3], 50, 1, None, [2, 3]),
        # Minimum 0: purely proportional.
        ([25, 75], 8, 0, None, [2, 6]),
        # An empty stratum list.
        ([], 5, 1, None, []),
    ],
)
def test_allocation_gives_the_minimum_then_the_rest_by_largest_remainder(
    sizes: list[int],
    n: int,
    minimum: int,
    weights: list[Fraction] | None,
    expected: list[int],
) -> None:
    result = allocate(sizes, n, minimum=minimum, weights=weights)
    assert result == expected
    assert all(0 <= got <= size for got, size in zip(result, sizes, strict=True))


def test_equal_remainders_and_equal_weights_go_to_the_stratum_key_that_sorts_first() -> None:
    # 1 item over two equal strata: 0.5 each; "a" sorts before "b".
    assert allocate([4, 4], 3, minimum=1, keys=["b", "a"]) == [1, 2]


def test_allocation_refuses_negative_inputs() -> None:
    with pytest.raises(ValueError, match="negative"):
        allocate([3], -1)


def test_the_same_seed_draws_the_same_sample_whatever_the_population_order() -> None:
    works = population()
    first = draw(works, n=20, seed=42, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    shuffled = list(works)
    random.Random(7).shuffle(shuffled)
    again = draw(shuffled, n=20, seed=42, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    assert [d.item_id for d in first.items] == [d.item_id for d in again.items]
    # 1 each, then 17 over 10:30:60 → 1.7, 5.1, 10.2: floors 16, the last one to A (0.7).
    assert [s.sample for s in first.strata] == [3, 6, 11]


def test_another_seed_draws_another_sample() -> None:
    works = population()
    one = draw(works, n=20, seed=1, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    two = draw(works, n=20, seed=2, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    assert {d.item_id for d in one.items} != {d.item_id for d in two.items}


def test_a_change_in_one_stratum_leaves_the_other_strata_selections_alone() -> None:
    works = population()
    before = draw(works, n=20, seed=9, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    # One more work in stratum C only (n raised so that the allocation stays the same).
    after = draw(
        [*works, Work(101, "C", "jalan")],
        n=20,
        seed=9,
        stratum_of=by_kecamatan,
        id_of=lambda w: w.id,
    )
    for key in ("A", "B"):
        assert [d.item_id for d in before.items if d.stratum == key] == [
            d.item_id for d in after.items if d.stratum == key
        ]


def test_the_plan_gives_each_stratum_its_size_sample_and_weight() -> None:
    plan = draw(population(), n=20, seed=5, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    assert [(s.key, s.population, s.sample) for s in plan.strata] == [
        ("A", 10, 3),
        ("B", 30, 6),
        ("C", 60, 11),
    ]
    assert [s.weight for s in plan.strata] == [Fraction(1, 10), Fraction(3, 10), Fraction(3, 5)]
    assert plan.strata[0].fraction == Fraction(3, 10)
    assert (plan.population, plan.n_random, plan.n_purposive) == (100, 20, 0)
    assert [d.position for d in plan.items] == list(range(1, 21))
    assert all(d.stratum == d.item.kecamatan for d in plan.items)


def test_strata_can_be_any_combination_of_fields() -> None:
    works = [Work(i, "A" if i % 2 else "B", "jalan" if i % 3 else "drainase") for i in range(12)]
    plan = draw(
        works, n=4, seed=3, stratum_of=lambda w: f"{w.kecamatan} × {w.kind}", id_of=lambda w: w.id
    )
    assert [s.key for s in plan.strata] == [
        "A × drainase",
        "A × jalan",
        "B × drainase",
        "B × jalan",
    ]
    assert plan.n_random == 4


def test_allocation_by_cost_sends_more_visits_to_the_expensive_stratum() -> None:
    works = [Work(i, "cheap", "x", Decimal(100)) for i in range(10)] + [
        Work(i, "dear", "x", Decimal(900)) for i in range(10, 20)
    ]
    plan = draw(
        works,
        n=12,
        seed=1,
        stratum_of=by_kecamatan,
        id_of=lambda w: w.id,
        allocation=Allocation.COST,
        cost_of=lambda w: w.cost,
    )
    # 1 each, then 10 split 1000 : 9000 → 1 and 9.
    assert [s.sample for s in plan.strata] == [2, 10]
    assert plan.strata[1].cost == Decimal(9000)


def test_allocation_by_cost_needs_a_cost_function() -> None:
    with pytest.raises(ValueError, match="cost_of"):
        draw(population(), n=5, seed=1, stratum_of=by_kecamatan, id_of=str, allocation="cost")


def test_purposive_additions_are_appended_flagged_and_not_counted_as_random() -> None:
    works = population()
    plan = draw(
        works,
        n=6,
        seed=11,
        stratum_of=by_kecamatan,
        id_of=lambda w: w.id,
        purposive=[Work(500, "Z", "jembatan")],
    )
    assert plan.n_random == 6
    last = plan.items[-1]
    assert (last.item_id, last.purposive, last.stratum, last.position) == ("500", True, "Z", 7)
    assert not any(d.purposive for d in plan.items[:-1])


def test_a_purposive_item_already_drawn_at_random_is_not_added_twice() -> None:
    works = population()
    plan = draw(works, n=6, seed=11, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    chosen = plan.items[0].item
    again = draw(
        works, n=6, seed=11, stratum_of=by_kecamatan, id_of=lambda w: w.id, purposive=[chosen]
    )
    assert len(again.items) == 6
    assert any("already in the random sample" in note for note in again.notes)


def test_the_plan_notes_when_the_minima_or_the_population_override_n() -> None:
    small = draw(population(), n=2, seed=1, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    assert small.n_random == 3
    assert "below the 3 items" in small.notes[0]
    big = draw(population(), n=500, seed=1, stratum_of=by_kecamatan, id_of=lambda w: w.id)
    assert big.n_random == 100
    assert "every item is taken" in big.notes[0]


def test_a_population_with_a_repeated_id_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        draw(
            [Work(1, "A", "x"), Work(1, "A", "x")],
            n=1,
            seed=1,
            stratum_of=by_kecamatan,
            id_of=lambda w: w.id,
        )
