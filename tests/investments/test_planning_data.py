"""RT figures as of a year and a region's investments, as the projection and the planner load
them (criteria.md §7, §9)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.investments.models import Investment
from sikumuh.investments.planning_data import investments_between, rt_units_as_of
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation, Status
from tests.factories import ACTOR, header, location, rt, volumes_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def rts(load_regions_under: Callable[..., int]) -> dict[str, object]:
    load_regions_under("63.01")
    loc = location()
    units = {n: rt(loc, n) for n in ("001", "002", "003")}
    # 001 observed 2019 and 2021, 002 only 2019, 003 only 2023.
    for number, tahun, share in [
        ("001", 2019, "0.8"),
        ("001", 2021, "0.3"),
        ("002", 2019, "0.5"),
        ("003", 2023, "0.5"),
    ]:
        h = header("1.5")
        save_observation(
            actor=ACTOR, rt=units[number], tahun=tahun, header=h, volumes=volumes_at(share, h)
        )
    return {"loc": loc, **units}


# (year, status filter) → {RT: the year whose figures count}
AS_OF = [
    (2018, "all", {}),
    (2020, "all", {"001": 2019, "002": 2019}),
    (2022, "all", {"001": 2021, "002": 2019}),
    (2023, "all", {"001": 2021, "002": 2019, "003": 2023}),
    (2022, "approved", {"001": 2019, "002": 2019}),  # 001's 2021 figures are a draft
]


@pytest.mark.parametrize(("tahun", "status", "expected"), AS_OF)
def test_each_rt_counts_with_its_latest_observation_up_to_the_year(
    rts: dict[str, object], tahun: int, status: str, expected: dict[str, int]
) -> None:
    Observation.objects.filter(rt=rts["001"], tahun=2021).update(status=Status.DRAFT)
    units = rt_units_as_of("63.01", tahun, status)
    found = {u.rt: u for u in units}
    assert set(found) == set(expected)
    for number, year in expected.items():
        obs = Observation.objects.get(rt=rts[number], tahun=year)
        assert found[number].unit.volumes["1a"] == Decimal(obs.volumes["1a"])
        assert (found[number].kode_desa, found[number].lokasi) == ("63.01.03.1001", "L-01")


def test_a_region_outside_holds_no_rt(rts: dict[str, object]) -> None:
    assert rt_units_as_of("63.02", 2023) == []
    assert len(rt_units_as_of("63.01.03.1001", 2023)) == 3


def test_investments_of_the_years_after_the_base_up_to_until_with_location_level_ones(
    rts: dict[str, object],
) -> None:
    loc, first = rts["loc"], rts["001"]
    for tahun, unit in [(2021, first), (2022, first), (2022, None), (2024, first)]:
        Investment.objects.create(
            location=loc, rt=unit, criterion="2b", tahun=tahun, activity="jalan", volume=10
        )
    found = investments_between("63.01.03", 2021, 2023)
    assert sorted((i.rt_key is None, i.tahun) for i in found) == [(False, 2022), (True, 2022)]
    assert investments_between("63.02", 2021, 2023) == []


def test_a_planned_work_counts_in_no_projection(rts: dict[str, object]) -> None:
    loc, first = rts["loc"], rts["001"]
    for status in ("realisasi", "rencana"):
        Investment.objects.create(
            location=loc,
            rt=first,
            criterion="2b",
            tahun=2022,
            activity="jalan",
            volume=10,
            status=status,
        )
    assert len(investments_between("63.01", 2021, 2023)) == 1
