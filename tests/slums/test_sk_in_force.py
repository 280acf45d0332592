"""The SK in force for a year (criteria.md §9): the latest version decreed on or before
31 December of the year. A later SK never changes an earlier year, and the pages comparing with
the SK (delineation, the removal draft and report) use the one in force for their year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.reports.removal import removal_summary
from sikumuh.slums.delineation_selectors import delineation_table
from sikumuh.slums.models import SkDecree
from sikumuh.slums.sk_in_force import pick_in_force, sk_version_in_force
from sikumuh.surveys.sk_entries import removal_draft
from tests.slums.test_sk_data import SARANG_HALANG, Versions, two_versions


def decree(
    pk: int, *, year: int, date: dt.date | None = None, kabupaten: str = "63.01"
) -> SkDecree:
    return SkDecree(pk=pk, kabupaten_id=kabupaten, number=f"SK-{pk}", year=year, date=date)


DECREES = [
    decree(1, year=2016, date=dt.date(2016, 5, 1)),
    decree(2, year=2020, date=dt.date(2020, 12, 31)),
    decree(3, year=2023, date=dt.date(2023, 3, 1)),
    decree(4, year=2025),  # no date: in force from 1 January of its year
    decree(5, year=2023, date=dt.date(2023, 3, 1)),  # same day as 3, registered later
    decree(6, year=2010, date=dt.date(2010, 1, 1), kabupaten="33.75"),
]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2015, {"33.75": 6}),
        (2016, {"63.01": 1, "33.75": 6}),
        (2019, {"63.01": 1, "33.75": 6}),
        (2020, {"63.01": 2, "33.75": 6}),  # decreed on the last day of the year
        (2022, {"63.01": 2, "33.75": 6}),
        (2023, {"63.01": 5, "33.75": 6}),  # same date: the one registered last
        (2024, {"63.01": 5, "33.75": 6}),
        (2025, {"63.01": 4, "33.75": 6}),
    ],
)
def test_the_sk_in_force_is_the_latest_decreed_by_the_end_of_the_year(
    year: int, expected: dict[str, int]
) -> None:
    chosen = pick_in_force(DECREES, year)
    assert {code: d.pk for code, d in chosen.items()} == expected


@pytest.fixture
def versions(load_regions_under: Callable[..., int]) -> Versions:
    load_regions_under("63.01")
    return two_versions()  # 2016: A, B 3.00, C; 2021: A, B 2.50, D (C dropped)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("region", "year", "expected"),
    [
        ("63.01", 2015, None),
        ("63.01", 2016, "v1"),
        ("63.01", 2020, "v1"),
        ("63.01", 2021, "v2"),
        ("63.01", 2030, "v2"),
        (SARANG_HALANG, 2020, "v1"),  # a desa: its kabupaten's SK
        ("63.01.03", 2021, "v2"),
        ("63", 2021, None),  # a province has no SK of its own
        ("ID", 2021, None),
    ],
)
def test_sk_version_in_force_answers_for_a_kabupaten_and_the_regions_inside_it(
    versions: Versions, region: str, year: int, expected: str | None
) -> None:
    found = sk_version_in_force(region, year)
    assert found == (getattr(versions, expected) if expected else None)


@pytest.mark.django_db
def test_delineation_compares_with_the_sk_in_force_for_its_year(versions: Versions) -> None:
    def declared(year: int) -> dict[str, str | None]:
        rows = delineation_table("63.01", year)
        return {
            r.location.code: None if r.declared_ha is None else f"{r.declared_ha:.2f}" for r in rows
        }

    assert declared(2020) == {"SK-A": "4.95", "SK-B": "3.00", "SK-C": "12.50", "SK-D": None}
    # C, dropped in 2021, keeps its place in the table but is not compared with its old entry.
    assert declared(2021) == {"SK-A": "4.95", "SK-B": "2.50", "SK-C": None, "SK-D": "1.25"}


@pytest.mark.django_db
def test_the_removal_draft_and_report_use_the_sk_in_force_for_their_year(
    versions: Versions,
) -> None:
    draft_2020, draft_2021 = removal_draft("63.01", 2020), removal_draft("63.01", 2021)
    assert draft_2020 is not None
    assert draft_2021 is not None
    assert (draft_2020.decree, draft_2020.sk_locations, draft_2020.sk_ha) == (
        versions.v1,
        3,
        Decimal("20.45"),
    )
    assert (draft_2021.decree, draft_2021.sk_locations, draft_2021.sk_ha) == (
        versions.v2,
        3,
        Decimal("8.70"),
    )
    assert removal_draft("63.01", 2015) is None
    summary_2020, summary_2021 = removal_summary("63.01", 2020), removal_summary("63.01", 2021)
    assert summary_2020.decree == versions.v1
    assert summary_2020.dropped == []
    assert summary_2021.decree == versions.v2
    assert [row.row.code for row in summary_2021.dropped] == ["SK-C"]
