"""Data-collection progress as the Pokja reports it: "FGD 35 dari 48 desa (72,9 %)"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.fieldwork.actions import create_fgd, create_sosialisasi
from sikumuh.fieldwork.selectors import fieldwork_progress, percent
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import Location
from tests import factories

ACTOR = Actor.system("test")
DAY = dt.date(2021, 6, 14)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (35, 48, Decimal("72.9")),
        (48, 48, Decimal("100.0")),
        (0, 48, Decimal("0.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),  # half up, not banker's rounding
        (1, 8, Decimal("12.5")),
        (0, 0, None),  # no SK desa: no base, no percentage
    ],
)
def test_percent_has_one_decimal_rounded_half_up_and_needs_a_base(
    part: int, whole: int, expected: Decimal | None
) -> None:
    assert percent(part, whole) == expected


@pytest.fixture
def demo(load_regions_under: Any) -> None:
    load_regions_under("63.01")
    build_demo(actor=ACTOR)


def test_the_demo_shows_the_reports_figures_7_kecamatan_and_35_of_48_desa(
    demo: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        progress = fieldwork_progress("63.01")
    assert progress.sosialisasi_kecamatan == 7
    assert (progress.fgd_sk_desa, progress.sk_desa) == (35, 48)
    assert progress.fgd_percent == Decimal("72.9")
    assert (progress.sk_kecamatan, progress.sosialisasi_sk_kecamatan) == (11, 7)
    assert progress.all_kecamatan == 11
    assert progress.fgd_other_desa == 0
    assert progress.sk_decrees == ["SK DEMO/188.45/2020 (2020)"]
    pelaihari = next(k for k in progress.kecamatan if k.code == "63.01.03")
    assert (pelaihari.sk_desa, pelaihari.fgd_sk_desa, pelaihari.sosialisasi) == (8, 0, [])


def test_a_kecamatan_and_a_desa_see_their_own_part(demo: None) -> None:
    takisung = fieldwork_progress("63.01.01")
    assert (takisung.fgd_sk_desa, takisung.sk_desa, takisung.sosialisasi_kecamatan) == (5, 5, 1)
    assert takisung.all_kecamatan == 1
    desa = fieldwork_progress("63.01.03.1001")
    assert (desa.fgd_sk_desa, desa.sk_desa, desa.all_kecamatan) == (0, 1, 0)
    assert [d.code for k in desa.kecamatan for d in k.desa] == ["63.01.03.1001"]


def test_the_query_count_does_not_grow_with_the_records(
    personas: Any, django_assert_num_queries: Any
) -> None:
    for code in ("63.01.03.1001", "63.01.03.1002", "63.01.03.1003"):
        create_fgd(actor=ACTOR, desa=Region.objects.get(code=code), date=DAY)
    with django_assert_num_queries(4):
        fieldwork_progress("63.01")


def _sk(number: str, year: int, desa: list[str]) -> None:
    locations = [
        Location.objects.filter(desa_id=code).first() or factories.location(f"L-{code}", code)
        for code in desa
    ]
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number=number,
        year=year,
        date=None,
        title="",
        entries=[(loc, Decimal("1.5")) for loc in locations],
    )


def test_the_base_is_the_latest_sk_and_fgds_outside_it_are_counted_apart(personas: Any) -> None:
    _sk("OLD/2016", 2016, ["63.01.03.1001", "63.01.03.1002", "63.01.03.1003"])
    _sk("NEW/2021", 2021, ["63.01.03.1001", "63.01.03.1002"])
    for code in ("63.01.03.1001", "63.01.03.1003"):
        create_fgd(actor=ACTOR, desa=Region.objects.get(code=code), date=DAY)
    create_fgd(actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=DAY)  # twice
    create_sosialisasi(actor=ACTOR, kecamatan=Region.objects.get(code="63.01.05"), date=DAY)

    progress = fieldwork_progress("63.01")
    assert progress.sk_decrees == ["SK NEW/2021 (2021)"]
    assert (progress.fgd_sk_desa, progress.sk_desa, progress.fgd_percent) == (
        1,
        2,
        Decimal("50.0"),
    )
    assert progress.fgd_other_desa == 1  # 63.01.03.1003 left the SK
    # Sosialisasi in a kecamatan without SK desa counts in all, not against the SK kecamatan.
    assert (progress.sosialisasi_kecamatan, progress.sosialisasi_sk_kecamatan) == (1, 0)
    assert progress.sk_kecamatan == 1


def test_without_an_sk_there_is_no_percentage(personas: Any) -> None:
    create_fgd(actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=DAY)
    progress = fieldwork_progress("63.01")
    assert (progress.sk_desa, progress.fgd_percent, progress.fgd_other_desa) == (0, None, 1)
