"""One rule for a location's figures: scored from the sum of its RTs under one rule set,
chosen deterministically when the RTs' rule sets differ, with the left-out RTs named."""

from __future__ import annotations

import pytest

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import PERMEN_PUPR_02_2016, PERMEN_PUPR_14_2018
from sikumuh.core.location import choose_rule_set, score_location
from sikumuh.core.scoring import score_unit
from tests.core.test_aggregation import rt

NEW = PERMEN_PUPR_14_2018.id
OLD = PERMEN_PUPR_02_2016.id


@pytest.mark.parametrize(
    ("rts", "rule_set", "kept", "left_out"),
    [
        ([(1, NEW)], NEW, (1,), ()),
        ([(2, NEW), (1, NEW)], NEW, (1, 2), ()),
        # The lowest RT id decides, whatever order the rows come in (the database's is none).
        ([(7, OLD), (3, NEW), (5, OLD)], NEW, (3,), (5, 7)),
        ([(3, NEW), (1, OLD), (2, NEW)], OLD, (1,), (2, 3)),
    ],
)
def test_the_rule_set_is_the_lowest_rts_and_the_others_are_named(
    rts: list[tuple[int, str]], rule_set: str, kept: tuple[int, ...], left_out: tuple[int, ...]
) -> None:
    choice = choose_rule_set(rts)
    assert (choice.rule_set_id, choice.kept, choice.left_out) == (rule_set, kept, left_out)
    assert choice.mixed == bool(left_out)
    assert choose_rule_set(reversed(rts)) == choice


def test_a_location_without_rts_has_no_rule_set() -> None:
    with pytest.raises(ValueError, match="without RTs"):
        choose_rule_set([])


def test_a_location_is_scored_from_the_sum_of_the_rts_under_the_chosen_rule_set() -> None:
    bad, fine = rt({"1a": 10}), rt()
    scored = score_location([(2, NEW, fine), (1, NEW, bad), (3, OLD, bad)])
    expected = score_unit(aggregate_inputs([bad, fine]), PERMEN_PUPR_14_2018)
    assert scored.result == expected
    assert scored.choice.left_out == (3,)
