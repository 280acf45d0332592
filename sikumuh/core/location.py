"""One rule for a location's figures: a location scored from its RTs (criteria.md §5).

A location (or any group of RTs) is scored from the *sum* of its RTs' volumes and denominators
under one rule set. RTs stored under different rule sets cannot be summed (their criteria
differ: Permen PUPR 02/2016 has 19, 14/2018 has 16), so a group with mixed rule sets is scored
under one of them, chosen deterministically, and says which RTs it left out:

* the rule set of the RT with the lowest id (the RT registered first) — the choice the six
  copies this module replaces made, kept so no stored figure changes;
* the RTs under any other rule set are left out of the class (``left_out``), while their
  hectares and classes still count in the area figures (the callers' business).

Every caller (the stored summaries, the dashboards' pages, the SK registry, the exports)
goes through :func:`choose_rule_set`; the exact per-unit path is :func:`score_location`, the
vectorised one (`surveys.location_scores`) uses the same choice and is tested equal to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import get_rule_set
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit

T = TypeVar("T")


@dataclass(frozen=True)
class RuleSetChoice:
    """The rule set a group of RTs is scored under, the RTs kept and those left out."""

    rule_set_id: str
    kept: tuple[int, ...]
    left_out: tuple[int, ...]

    @property
    def mixed(self) -> bool:
        """True when some RT of the group is stored under another rule set."""
        return bool(self.left_out)


def choose_rule_set(rts: Iterable[tuple[int, str]]) -> RuleSetChoice:
    """(RT id, rule set id) pairs → the rule set of the lowest RT id, with the RTs kept (under
    it) and left out (under another), each by RT id. ValueError for an empty group."""
    ordered = sorted(rts)
    if not ordered:
        raise ValueError("a location without RTs has no rule set")
    chosen = ordered[0][1]
    return RuleSetChoice(
        rule_set_id=chosen,
        kept=tuple(rt for rt, rule_set in ordered if rule_set == chosen),
        left_out=tuple(rt for rt, rule_set in ordered if rule_set != chosen),
    )


def split_by_rule_set(
    rows: Sequence[T], rt_of: Callable[[T], int], rule_set_of: Callable[[T], str]
) -> tuple[RuleSetChoice, list[T]]:
    """The rule-set choice for `rows` (any records of one group's RTs) and the rows kept, by
    RT id: what the vectorised path sums."""
    choice = choose_rule_set((rt_of(r), rule_set_of(r)) for r in rows)
    kept = sorted(
        (r for r in rows if rule_set_of(r) == choice.rule_set_id),
        key=rt_of,
    )
    return choice, kept


@dataclass(frozen=True)
class LocationResult:
    """A group of RTs scored from their sum: the result and the rule-set choice behind it."""

    choice: RuleSetChoice
    result: UnitResult


def score_location(rts: Iterable[tuple[int, str, UnitInput]]) -> LocationResult:
    """(RT id, rule set id, input) of a group's RTs → the group scored from their sum under the
    chosen rule set (criteria.md §5: never an average of scores)."""
    items = list(rts)
    choice, kept = split_by_rule_set(items, lambda i: i[0], lambda i: i[1])
    unit = aggregate_inputs(item[2] for item in kept)
    return LocationResult(choice, score_unit(unit, get_rule_set(choice.rule_set_id)))
