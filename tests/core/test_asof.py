"""Figures as of a year (criteria.md §9): each RT with its latest observation up to the year;
each year's coverage; the year a page opens on; the SK in force."""

from __future__ import annotations

import datetime as dt

import pytest

from sikumuh.core.asof import (
    EARLIER,
    Coverage,
    Version,
    as_of,
    as_of_series,
    coverage,
    default_year,
    in_force,
    provisional_years,
    series_years,
    summed_coverage,
)

Obs = tuple[str, int]  # (RT, year)


def _as_of(rows: list[Obs], tahun: int) -> dict[str, int]:
    chosen = as_of(rows, tahun, unit=lambda r: r[0], year=lambda r: r[1])
    return {rt: row[1] for rt, row in chosen.items()}


AS_OF_CASES = [
    # (observations, year asked, RT → year of the observation counted)
    pytest.param([("a", 2019), ("a", 2021)], 2021, {"a": 2021}, id="observed-that-year"),
    pytest.param([("a", 2019), ("a", 2021)], 2020, {"a": 2019}, id="carried-from-earlier"),
    pytest.param([("a", 2021)], 2019, {}, id="not-counted-before-its-first"),
    pytest.param([("a", 2021), ("b", 2019), ("b", 2022)], 2022, {"a": 2021, "b": 2022},
                 id="each-rt-its-own-latest"),
    pytest.param([("a", 2019), ("b", 2019), ("a", 2022)], 2022, {"a": 2022, "b": 2019},
                 id="one-rt-updated-the-other-carried"),
    pytest.param([], 2022, {}, id="nothing"),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "tahun", "expected"), AS_OF_CASES)
def test_each_rt_counts_with_its_latest_observation_up_to_the_year(
    rows: list[Obs], tahun: int, expected: dict[str, int]
) -> None:
    assert _as_of(rows, tahun) == expected
    assert _as_of(list(reversed(rows)), tahun) == expected


@pytest.mark.parametrize(("rows", "tahun", "expected"), AS_OF_CASES)
def test_the_series_gives_each_year_the_same_set_as_one_year_at_a_time(
    rows: list[Obs], tahun: int, expected: dict[str, int]
) -> None:
    years = sorted({*series_years(r[1] for r in rows), tahun})
    series = as_of_series(rows, years, unit=lambda r: r[0], year=lambda r: r[1])
    for year in years:
        assert {rt: row[1] for rt, row in series[year].items()} == _as_of(rows, year)


COVERAGE_CASES = [
    # (years of the RTs counted, year, observed, carried by year, total, complete)
    pytest.param([2021] * 3, 2021, 3, {}, 3, True, id="all-observed"),
    pytest.param([2022] + [2021] * 177, 2022, 1, {2021: 177}, 178, False,
                 id="the-issue-1-of-178"),
    pytest.param([2019, 2021, 2021, 2022], 2022, 1, {2019: 1, 2021: 2}, 4, False,
                 id="carried-from-two-years"),
    pytest.param([], 2022, 0, {}, 0, False, id="no-rt-is-not-complete"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("years", "tahun", "observed", "carried", "total", "complete"), COVERAGE_CASES
)
def test_a_year_says_how_many_rts_it_observed_and_carried_and_whether_it_is_complete(
    years: list[int],
    tahun: int,
    observed: int,
    carried: dict[int, int],
    total: int,
    complete: bool,
) -> None:
    covered = coverage(tahun, years)
    assert (covered.observed, dict(covered.carried), covered.total) == (observed, carried, total)
    assert covered.complete is complete


def test_a_record_of_a_later_year_cannot_count() -> None:
    with pytest.raises(ValueError, match="2023"):
        coverage(2022, [2023])


def test_summed_coverage_knows_only_how_many_were_carried() -> None:
    assert summed_coverage(2022, 1, 178) == Coverage(2022, 1, {EARLIER: 177})
    assert summed_coverage(2021, 178, 178).complete


def _c(tahun: int, complete: bool) -> Coverage:
    return Coverage(tahun, 1, {} if complete else {tahun - 1: 1})


@pytest.mark.parametrize(
    ("coverages", "opens", "provisional"),
    [
        ([_c(2019, True), _c(2021, True), _c(2022, False)], 2021, [2022]),
        ([_c(2019, True), _c(2021, True)], 2021, []),
        ([_c(2019, True), _c(2020, False), _c(2021, True)], 2021, []),
        ([_c(2021, False), _c(2022, False)], 2022, []),
        ([], None, []),
    ],
)
def test_a_page_opens_on_the_latest_complete_year_and_offers_later_ones_as_provisional(
    coverages: list[Coverage], opens: int | None, provisional: list[int]
) -> None:
    assert default_year(coverages) == opens
    assert provisional_years(coverages) == provisional


V2020 = Version(key=1, date=dt.date(2020, 6, 1), year=2020)
V2023 = Version(key=2, date=dt.date(2023, 3, 1), year=2023)
UNDATED_2021 = Version(key=3, date=None, year=2021)


@pytest.mark.parametrize(
    ("versions", "tahun", "expected"),
    [
        ([V2020, V2023], 2019, None),
        ([V2020, V2023], 2020, V2020),
        ([V2020, V2023], 2022, V2020),
        ([V2020, V2023], 2023, V2023),
        ([V2023, V2020], 2030, V2023),
        # Without a date a version counts from 1 January of its year.
        ([V2020, UNDATED_2021], 2021, UNDATED_2021),
        # Two versions of one date: the one registered last.
        ([V2020, Version(key=9, date=V2020.date, year=2020)], 2020, Version(9, V2020.date, 2020)),
    ],
)
def test_the_sk_in_force_is_the_latest_decreed_by_the_end_of_the_year(
    versions: list[Version], tahun: int, expected: Version | None
) -> None:
    assert in_force(versions, tahun) == expected
