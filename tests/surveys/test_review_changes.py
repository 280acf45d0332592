"""The change of a desa-year against the year before, computed from plain snapshots (no
database): per RT the values that moved and the class before → after; per desa-year the RTs
changed, the class changes and the as-of slum hectares before → after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sikumuh.surveys.review_changes import Snapshot, compare, rt_changes_from, summaries_from

DESA = "63.01.03.1001"


def snap(
    rt: int, tahun: int, klass: str | None, luas: str = "1", desa: str = DESA, **values: str
) -> Snapshot:
    numbers: dict[str, Decimal | None] = {"luas_ha": Decimal(luas)}
    numbers.update({f"v_{code.lstrip('_')}": Decimal(v) for code, v in values.items()})  # _2a: 2a
    return Snapshot(rt, desa, tahun, numbers, 40, klass, Decimal(luas))


@pytest.mark.parametrize(
    ("before", "after", "moved", "class_changed"),
    [
        (None, snap(1, 2021, "kumuh_ringan", _2a="5"), [], False),
        (snap(1, 2019, "kumuh_ringan", _2a="5"), snap(1, 2021, "kumuh_ringan", _2a="5"), [], False),
        (
            snap(1, 2019, "kumuh_ringan", _2a="5"),
            snap(1, 2021, "tidak_kumuh", _2a="0"),
            [("v_2a", Decimal(5), Decimal(0))],
            True,
        ),
        (
            snap(1, 2019, "kumuh_ringan", luas="1.50"),
            snap(1, 2021, "kumuh_ringan", luas="1.5"),
            [],  # by number: 1.50 is 1.5
            False,
        ),
        (
            snap(1, 2019, "kumuh_ringan", luas="1"),
            snap(1, 2021, "kumuh_ringan", luas="2"),
            [("luas_ha", Decimal(1), Decimal(2))],
            False,
        ),
    ],
)
def test_an_rt_is_compared_with_its_latest_earlier_year_value_by_value(
    before: Snapshot | None,
    after: Snapshot,
    moved: list[tuple[str, Decimal, Decimal]],
    class_changed: bool,
) -> None:
    change = compare(before, after)
    assert [(v.name, v.before, v.after) for v in change.values] == moved
    assert change.class_changed is class_changed
    assert change.changed is (before is None or bool(moved))


def test_the_earlier_year_is_the_latest_one_before_not_only_the_year_before() -> None:
    changes = rt_changes_from(
        [snap(1, 2017, "kumuh_berat"), snap(1, 2019, "kumuh_sedang"), snap(1, 2022, "tidak_kumuh")],
        2022,
    )
    before = changes[1].before
    assert before is not None
    assert (before.tahun, changes[1].klass_before_label) == (2019, "Kumuh Sedang")


def test_an_rt_not_observed_in_the_year_has_no_change() -> None:
    assert rt_changes_from([snap(1, 2019, "kumuh_ringan")], 2021) == {}


def test_the_desa_summary_counts_changes_and_carries_untouched_rts_into_both_sides() -> None:
    snapshots = [
        snap(1, 2019, "kumuh_ringan", luas="0.9", _2a="5"),
        snap(1, 2021, "tidak_kumuh", luas="0.9", _2a="0"),  # class change, leaves the slum
        snap(2, 2019, "kumuh_sedang", luas="2", _2a="1"),
        snap(2, 2021, "kumuh_sedang", luas="2", _2a="1"),  # unchanged
        snap(3, 2019, "kumuh_berat", luas="3"),  # not surveyed in 2021: carried
        snap(4, 2021, "kumuh_ringan", luas="0.5"),  # new
        snap(5, 2021, "kumuh_berat", luas="7", desa="63.01.03.1002"),  # another desa
    ]
    summary = summaries_from(snapshots, [(DESA, 2021)])[(DESA, 2021)]
    assert (summary.rts, summary.changed, summary.new, summary.class_changes) == (3, 2, 1, 1)
    assert summary.slum_ha_before == Decimal("5.9")  # 0.9 + 2 + 3
    assert summary.slum_ha_after == Decimal("5.5")  # 2 + 3 + 0.5
    assert summary.previous_years == {2019}


def test_a_desa_year_without_data_has_an_empty_summary() -> None:
    summary = summaries_from([], [(DESA, 2021)])[(DESA, 2021)]
    assert (summary.rts, summary.slum_ha_before, summary.slum_ha_after) == (0, 0, 0)


# --- Properties ---------------------------------------------------------------------------------

CLASSES = st.sampled_from([None, "tidak_kumuh", "kumuh_ringan", "kumuh_sedang", "kumuh_berat"])
SNAPSHOTS = st.lists(
    st.builds(
        lambda rt, tahun, klass, luas, v: Snapshot(
            rt, DESA, tahun, {"luas_ha": Decimal(luas), "v_2a": v}, 0, klass, Decimal(luas)
        ),
        st.integers(1, 6),
        st.integers(2017, 2023),
        CLASSES,
        st.integers(0, 500).map(lambda n: str(Decimal(n) / 100)),
        st.sampled_from([None, "0", "5", "5.0", "12.5"]),
    ),
    max_size=30,
    unique_by=lambda s: (s.rt_id, s.tahun),
)


@given(SNAPSHOTS, st.integers(2017, 2023))
def test_the_slum_change_of_a_desa_year_is_the_sum_of_its_rts_own_changes(
    snapshots: list[Snapshot], tahun: int
) -> None:
    summary = summaries_from(snapshots, [(DESA, tahun)])[(DESA, tahun)]
    changes = rt_changes_from(snapshots, tahun)
    own = sum(
        (
            c.after.slum_ha - (c.before.slum_ha if c.before else Decimal(0))
            for c in changes.values()
        ),
        Decimal(0),
    )
    assert summary.slum_ha_after - summary.slum_ha_before == own
    assert summary.rts == len(changes)
    assert summary.changed == sum(c.changed for c in changes.values())


@given(SNAPSHOTS)
def test_an_rt_compared_with_itself_has_no_change_and_the_comparison_is_symmetric(
    snapshots: list[Snapshot],
) -> None:
    for a in snapshots:
        assert compare(a, a).values == []
        for b in snapshots:
            forward = [(v.name, v.before, v.after) for v in compare(a, b).values]
            backward = [(v.name, v.after, v.before) for v in compare(b, a).values]
            assert forward == backward
