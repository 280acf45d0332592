"""The count of RT data the Pokja has not approved yet, per year: by status, scoped to the region's
subtree at every level, in one query; on the location page from the rows it reads anyway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sikumuh.accounts.scope import covers
from sikumuh.slums.models import RtUnit
from sikumuh.surveys import dashboard
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.dashboard.unapproved import Unapproved, common_region, tally
from sikumuh.surveys.models import Observation, Status
from tests.factories import ACTOR, HEADER, location, rt, volumes_at

SARANG_HALANG = "63.01.03.1001"
KARANG_TARUNA = "63.01.03.1002"
PELAIHARI = "63.01.03"
BAJUIN = "63.01.10.2001"  # another kecamatan of Tanah Laut
KOTABARU = "63.02.01.2001"  # another regency of the same province
PEKALONGAN = "33.75.01.1002"  # another province

DRAFT, SUBMITTED, APPROVED, RETURNED = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.RETURNED,
)


# --- The pure parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([], [], id="nothing"),
        pytest.param([(2021, APPROVED, 40)], [], id="all approved"),
        pytest.param(
            [(2021, DRAFT, 8), (2021, SUBMITTED, 4), (2021, APPROVED, 30)],
            [Unapproved(2021, draft=8, submitted=4)],
            id="drafts and submitted",
        ),
        pytest.param(
            [(2019, RETURNED, 1), (2021, DRAFT, 2), (2019, APPROVED, 5)],
            [Unapproved(2021, draft=2), Unapproved(2019, returned=1)],
            id="newest year first",
        ),
        pytest.param(
            [(2021, DRAFT, 1), (2021, DRAFT, 2), (2021, "unknown", 9), (2020, DRAFT, 0)],
            [Unapproved(2021, draft=3)],
            id="rows of one status add up; unknown statuses and zeros ignored",
        ),
    ],
)
def test_tally_keeps_the_years_with_data_not_approved_by_status(
    rows: list[tuple[int, str, int]], expected: list[Unapproved]
) -> None:
    assert tally(rows) == expected


def test_a_year_totals_its_statuses_and_gives_them_to_json() -> None:
    year = Unapproved(2021, draft=8, submitted=4, returned=1)
    assert year.total == 13
    assert year.as_dict() == {"total": 13, "draft": 8, "submitted": 4, "returned": 1}


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], None),
        ([SARANG_HALANG], SARANG_HALANG),
        ([SARANG_HALANG, SARANG_HALANG], SARANG_HALANG),
        ([SARANG_HALANG, KARANG_TARUNA], PELAIHARI),
        ([SARANG_HALANG, BAJUIN], "63.01"),
        ([SARANG_HALANG, KOTABARU], "63"),
        ([SARANG_HALANG, PEKALONGAN], None),
    ],
)
def test_the_review_of_several_desa_is_found_in_their_smallest_common_region(
    codes: list[str], expected: str | None
) -> None:
    assert common_region(codes) == expected


# --- Over stored data ---------------------------------------------------------------------------

#: RT label → (desa of the RT, desa of its location). "sh-kt" lies in Karang Taruna but belongs
#: to Sarang Halang's location: it counts in Karang Taruna (as in the dashboard's figures).
RTS = {
    "sh1": (SARANG_HALANG, SARANG_HALANG),
    "sh2": (SARANG_HALANG, SARANG_HALANG),
    "sh3": (SARANG_HALANG, SARANG_HALANG),
    "sh-kt": (KARANG_TARUNA, SARANG_HALANG),
    "kt1": (KARANG_TARUNA, KARANG_TARUNA),
    "bajuin": (BAJUIN, BAJUIN),
    "kotabaru": (KOTABARU, KOTABARU),
    "pekalongan": (PEKALONGAN, PEKALONGAN),
}


@pytest.fixture
def rts(load_regions_under: Callable[..., int]) -> dict[str, RtUnit]:
    """Each RT of `RTS` observed in 2019 and 2021, approved (written by the system)."""
    load_regions_under("63.01", "63.02", "33.75")
    locations = {}
    units = {}
    for label, (desa, home) in RTS.items():
        if home not in locations:
            locations[home] = location(f"L-{home}", desa=home)
        units[label] = rt(locations[home], number=f"{len(units) + 1:03d}", desa=desa)
        for tahun in (2019, 2021):
            save_observation(
                actor=ACTOR, rt=units[label], tahun=tahun, header=HEADER, volumes=volumes_at("0.5")
            )
    assert set(Observation.objects.values_list("status", flat=True)) == {APPROVED}
    return units


def set_status(units: dict[str, RtUnit], statuses: dict[tuple[str, int], str]) -> None:
    for (label, tahun), status in statuses.items():
        Observation.objects.filter(rt=units[label], tahun=tahun).update(status=status)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param({}, [], id="all approved: no notice"),
        pytest.param(
            {("sh1", 2021): DRAFT, ("sh2", 2021): DRAFT, ("sh3", 2021): SUBMITTED},
            [Unapproved(2021, draft=2, submitted=1)],
            id="drafts and submitted",
        ),
        pytest.param(
            {("sh1", 2021): RETURNED, ("sh2", 2021): APPROVED, ("sh3", 2021): SUBMITTED},
            [Unapproved(2021, submitted=1, returned=1)],
            id="returned and submitted beside approved",
        ),
        pytest.param(
            {("sh1", 2019): DRAFT, ("sh1", 2021): RETURNED, ("sh2", 2021): RETURNED},
            [Unapproved(2021, returned=2), Unapproved(2019, draft=1)],
            id="two years, newest first",
        ),
        pytest.param(
            {("kt1", 2021): DRAFT, ("sh-kt", 2021): DRAFT, ("kotabaru", 2021): DRAFT},
            [],
            id="neighbours' drafts stay out, even those of its own location",
        ),
    ],
)
def test_sarang_halang_counts_its_rts_not_approved_by_status_and_year(
    rts: dict[str, RtUnit], statuses: dict[tuple[str, int], str], expected: list[Unapproved]
) -> None:
    set_status(rts, statuses)
    assert dashboard.unapproved_years(SARANG_HALANG) == expected


#: One RT-year not approved in each place (a draft, submitted or returned), all in 2021.
SCATTERED = {
    ("sh1", 2021): DRAFT,
    ("sh-kt", 2021): SUBMITTED,
    ("kt1", 2021): DRAFT,
    ("bajuin", 2021): RETURNED,
    ("kotabaru", 2021): DRAFT,
    ("pekalongan", 2021): SUBMITTED,
}


@pytest.mark.parametrize(
    ("code", "draft", "submitted", "returned"),
    [
        pytest.param(SARANG_HALANG, 1, 0, 0, id="desa"),
        pytest.param(KARANG_TARUNA, 1, 1, 0, id="neighbour desa, with the RT of SH's location"),
        pytest.param(PELAIHARI, 2, 1, 0, id="kecamatan"),
        pytest.param("63.01.10", 0, 0, 1, id="another kecamatan"),
        pytest.param("63.01", 2, 1, 1, id="kabupaten, without the other regency's draft"),
        pytest.param("63.02", 1, 0, 0, id="the other regency"),
        pytest.param("63", 3, 1, 1, id="province"),
        pytest.param("33", 0, 1, 0, id="another province"),
        pytest.param("33.75", 0, 1, 0, id="a city of another province"),
        pytest.param("ID", 3, 2, 1, id="national"),
    ],
)
def test_each_region_counts_only_its_subtree(
    rts: dict[str, RtUnit], code: str, draft: int, submitted: int, returned: int
) -> None:
    set_status(rts, SCATTERED)
    expected = [Unapproved(2021, draft, submitted, returned)]
    assert dashboard.unapproved_years(code) == expected
    # The same as an independent reference: every observation not approved whose RT's desa
    # lies in the region.
    reference = [
        o.status
        for o in Observation.objects.exclude(status=APPROVED).select_related("rt")
        if covers(code, o.rt.desa_id)
    ]
    assert len(reference) == draft + submitted + returned


@pytest.mark.parametrize(
    "code", ["ID", "63", "63.01", PELAIHARI, SARANG_HALANG], ids=lambda c: f"level {c}"
)
def test_the_count_takes_one_query_at_every_level(
    rts: dict[str, RtUnit], django_assert_num_queries: Any, code: str
) -> None:
    set_status(rts, SCATTERED)
    with django_assert_num_queries(1):
        dashboard.unapproved_years(code)


def test_the_count_of_one_year_leaves_the_others_out(rts: dict[str, RtUnit]) -> None:
    set_status(rts, {("sh1", 2019): DRAFT, ("sh2", 2021): SUBMITTED})
    assert dashboard.unapproved_years("63.01", 2019) == [Unapproved(2019, draft=1)]
    assert dashboard.unapproved_years("63.01", 2021) == [Unapproved(2021, submitted=1)]
    assert dashboard.unapproved_years("63.01", 2020) == []


def test_the_location_counts_all_its_rts_and_names_where_they_are_reviewed(
    rts: dict[str, RtUnit], django_assert_num_queries: Any
) -> None:
    home = rts["sh1"].location
    set_status(rts, {("sh1", 2021): DRAFT, ("sh-kt", 2021): SUBMITTED, ("kt1", 2021): DRAFT})
    with django_assert_num_queries(4):  # the page's reads: no query of its own
        detail = dashboard.location_detail(home)
    assert detail.unapproved == [Unapproved(2021, draft=1, submitted=1)]
    assert detail.review_code == PELAIHARI  # sh1 in Sarang Halang, sh-kt in Karang Taruna

    set_status(rts, {("sh-kt", 2021): APPROVED})
    detail = dashboard.location_detail(home)
    assert detail.unapproved == [Unapproved(2021, draft=1)]
    assert detail.review_code == SARANG_HALANG


def test_a_fully_approved_location_has_no_notice(rts: dict[str, RtUnit]) -> None:
    detail = dashboard.location_detail(rts["sh1"].location)
    assert detail.unapproved == []
    assert detail.review_code is None
