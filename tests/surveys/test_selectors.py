from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.selectors import aggregate_score, location_score, slum_area
from tests.factories import ACTOR, HEADER, header, location, rt, volumes_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tanah_laut(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")


def _save(unit: object, tahun: int, luas: str, share: str) -> None:
    h = header(luas)
    save_observation(actor=ACTOR, rt=unit, tahun=tahun, header=h, volumes=volumes_at(share, h))  # type: ignore[arg-type]


def test_slum_area_sums_the_area_of_units_not_tidak_kumuh_per_year() -> None:
    loc = location()
    a, b, c = rt(loc, "001"), rt(loc, "002"), rt(loc, "003")
    _save(a, 2019, "1.25", "0.8")  # berat
    _save(b, 2019, "2.00", "0.5")  # ringan
    _save(c, 2019, "0.75", "0.1")  # tidak kumuh
    _save(a, 2021, "1.25", "0.5")  # ringan
    _save(b, 2021, "2.00", "0.1")  # tidak kumuh
    _save(c, 2021, "0.75", "0.1")
    report = slum_area("63.01.03")
    y2019, y2021 = report.years
    assert (y2019.slum_ha, y2019.assessed_ha) == (Decimal("3.25"), Decimal("4.00"))
    assert y2019.by_class["kumuh_berat"] == {"ha": Decimal("1.25"), "rt": 1}
    assert y2021.slum_ha == Decimal("1.25")
    assert y2021.reduction_own is not None
    assert y2021.reduction_own.ha == Decimal("2.00")
    assert y2021.reduction_own.percent == Decimal("61.54")  # 2.00 / 3.25
    assert y2021.reduction_sk is None  # no SK recorded yet
    assert slum_area("63.01.01").years == []


def test_the_sk_reduction_is_a_share_of_the_whole_kabupaten_sk_total() -> None:
    loc = location()
    other = location("L-02", desa="63.01.01.2001")
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="188.45/001/2019",
        year=2019,
        entries=[(loc, Decimal("3.25")), (other, Decimal("6.75"))],
    )
    unit = rt(loc)
    _save(unit, 2019, "3.25", "0.8")
    _save(unit, 2021, "3.25", "0.1")
    y2021 = slum_area("63.01.03").years[1]
    assert y2021.reduction_sk is not None
    assert (y2021.reduction_sk.ha, y2021.reduction_sk.base_ha) == (
        Decimal("3.25"),
        Decimal("10.00"),
    )
    assert y2021.reduction_sk.percent == Decimal("32.50")


def test_a_region_is_scored_from_summed_volumes_not_averaged_scores() -> None:
    loc = location()
    a, b = rt(loc, "001"), rt(loc, "002")
    # One RT entirely bad on every criterion (score 5 each), one entirely good (0 each):
    # the average of their totals is 40 (sedang); summed volumes give 50 % → 1 each → 16.
    save_observation(actor=ACTOR, rt=a, tahun=2019, header=HEADER, volumes=volumes_at("1"))
    save_observation(actor=ACTOR, rt=b, tahun=2019, header=HEADER, volumes=volumes_at("0"))
    result = aggregate_score("63.01.03", 2019)
    assert result is not None
    assert result.total == 16
    assert result.klass == "kumuh_ringan"
    by_location = location_score(loc.pk, 2019)
    assert by_location is not None
    assert by_location.total == 16
    assert aggregate_score("63.01.03", 2018) is None
    # As of 2020 both RTs count with their 2019 data (criteria.md §9).
    assert aggregate_score("63.01.03", 2020) == result
