"""Dashboard reads over the Tanah Laut demo: the report's figures, their bases, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import SlumClass
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import Location
from sikumuh.surveys import dashboard
from sikumuh.surveys.models import Score
from sikumuh.surveys.selectors import location_score
from tests.conftest import Personas
from tests.factories import HEADER, volumes_at
from tests.web.test_dashboard_support import (
    BAJUIN,
    KABUPATEN,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
    location_in,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

D = Decimal


def test_pelaihari_went_from_47_53_to_24_36_ha_with_both_reductions_and_their_bases(
    demo: Personas,
) -> None:
    data = dashboard.region_dashboard(PELAIHARI)
    assert data.year_list == [2019, 2021]
    assert data.tahun == 2021
    assert data.baseline is not None
    assert data.current is not None
    assert (data.baseline.slum_ha, data.current.slum_ha) == (D("47.53"), D("24.36"))
    own, sk = data.reduction_own, data.reduction_sk
    assert own is not None
    assert sk is not None
    assert (own.ha, own.percent, own.base_ha) == (D("23.17"), D("48.75"), D("47.53"))
    assert (sk.ha, sk.percent, sk.base_ha) == (D("23.17"), D("12.53"), D("184.92"))
    assert data.sk.region_ha == D("47.53")
    assert data.is_demo


def test_the_kabupaten_dashboard_sums_its_sk_and_lists_its_11_kecamatan(demo: Personas) -> None:
    data = dashboard.region_dashboard(KABUPATEN)
    assert data.sk.region_ha == data.sk.base_ha == D("184.92")
    assert [(code, year) for code, _number, year in data.sk.decrees] == [(KABUPATEN, 2020)]
    assert data.baseline is not None
    assert data.current is not None
    assert (data.baseline.slum_ha, data.current.slum_ha) == (D("184.92"), D("152.56"))
    assert len(data.children) == 11
    bajuin = next(c for c in data.children if c.code == BAJUIN)
    assert bajuin.current is not None
    assert bajuin.current.slum_ha == 0
    assert bajuin.reduction is not None
    assert bajuin.reduction.percent == D("100.00")
    assert sum(c.sk_ha or 0 for c in data.children) == D("184.92")


def test_locations_per_class_count_every_location_once_and_bajuin_is_tidak_kumuh(
    demo: Personas,
) -> None:
    data = dashboard.region_dashboard(KABUPATEN)
    assert data.location_classes is not None
    assert sum(data.location_classes.values()) == len(data.locations) == 48
    for row in data.locations:
        if row.desa_code and row.desa_code.startswith(BAJUIN + "."):
            assert row.klass is SlumClass.TIDAK_KUMUH


def test_a_location_class_is_the_same_as_location_score_from_the_sum_of_its_rts(
    demo: Personas,
) -> None:
    for tahun in (2019, 2021):
        years = dashboard.location_years(KABUPATEN, tahun)
        assert len(years) == 48
        for location_id, year in years.items():
            expected = location_score(location_id, tahun)
            assert expected is not None
            assert (year.total, year.klass) == (expected.total, expected.klass)


def _row(rt: int, location: int, volumes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An observation row as `location_years` reads it (the factories' header: 1.5 ha, 50
    buildings, 60 KK, 780 m road, 385 m drain)."""
    row = {"rt_id": rt, "location_id": location, "rule_set": "permen-pupr-14-2018"}
    row |= {"volumes": volumes, "percents": {}, "klass": None, "luas": D("1.5"), **HEADER}
    return {**row, **extra}


def _volumes(share: str, **changes: Any) -> dict[str, Any]:
    """Every criterion at `share` of its denominator, as stored (decimal strings)."""
    volumes: dict[str, Any] = {c: str(v) for c, v in volumes_at(share).items()}
    return {**volumes, **changes}


BERAT, SEDANG, TIDAK = SlumClass.BERAT, SlumClass.SEDANG, SlumClass.TIDAK_KUMUH

BATCH_CASES = [
    pytest.param([_row(1, 1, _volumes("0.8")), _row(2, 1, _volumes("0.3"))], 48, SEDANG,
                 id="sums-55-percent"),
    pytest.param([_row(1, 2, _volumes("0.7599")), _row(2, 2, _volumes("0.76"))], 80, BERAT,
                 id="75.995-rounds-half-up-to-76"),
    pytest.param([_row(1, 3, _volumes("0.8", **{"1a": None}), percents={"1a": "80"}),
                  _row(2, 3, _volumes("0.8"))], None, None, id="percent-only-cannot-be-summed"),
    pytest.param([_row(1, 4, _volumes("0.5"), jumlah_kk=None), _row(2, 4, _volumes("0.5"))],
                 None, None, id="missing-denominator"),
    pytest.param([_row(1, 5, _volumes("1.3"))], 80, BERAT, id="volume-above-denominator"),
    pytest.param([_row(1, 6, _volumes("0.8")),
                  _row(2, 6, _volumes("0.1"), rule_set="permen-pupr-02-2016")], 80, BERAT,
                 id="another-rule-set-left-out"),
    pytest.param([_row(1, 7, _volumes("0.333333")),
                  _row(2, 7, _volumes("0.1", **{"4a": "0.000001"}))], 0, TIDAK,
                 id="six-decimals"),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "total", "klass"), BATCH_CASES)
def test_the_fast_location_classes_equal_the_exact_per_unit_path(
    rows: list[dict[str, Any]], total: int | None, klass: SlumClass | None
) -> None:
    (exact,) = dashboard.score_location_rows(rows, 2021).values()
    (fast,) = dashboard.classify_location_rows(rows, 2021).values()
    assert (exact.total, exact.klass) == (total, klass)
    assert (fast.total, fast.klass) == (total, klass)
    assert fast.area.rt_count == len(rows)


def test_rt_counts_per_class_add_up_to_the_stored_scores(demo: Personas) -> None:
    data = dashboard.region_dashboard(PELAIHARI)
    assert data.current is not None
    stored = Score.objects.filter(kecamatan_code=PELAIHARI, tahun=2021)
    for klass, area in data.current.class_list:
        assert area.rt == stored.filter(klass=klass).count()
    assert data.current.rt_count == stored.count()


@pytest.mark.parametrize(("code", "child"), [("ID", "63"), ("63", KABUPATEN)])
def test_above_a_kabupaten_there_are_no_location_classes_and_one_child_with_data(
    demo: Personas, code: str, child: str
) -> None:
    data = dashboard.region_dashboard(code)
    assert data.location_classes is None
    assert data.locations == []
    assert [c.code for c in data.children if c.has_data] == [child]
    assert data.sk.region_ha == data.sk.base_ha == D("184.92")


def test_a_desa_lists_its_locations_as_children_with_their_sk_hectares(demo: Personas) -> None:
    data = dashboard.region_dashboard(SARANG_HALANG)
    location = location_in(SARANG_HALANG)
    assert [c.location_id for c in data.children] == [location.pk]
    assert data.children[0].sk_ha == data.sk.region_ha == D("7.30")
    assert data.sk.base_ha == D("184.92")


def test_an_earlier_year_shows_the_baseline_and_an_unknown_year_is_refused(
    demo: Personas,
) -> None:
    data = dashboard.region_dashboard(PELAIHARI, 2019)
    assert data.current is data.baseline
    assert data.reduction_own is not None
    assert data.reduction_own.ha == 0
    with pytest.raises(dashboard.UnknownYear):
        dashboard.region_dashboard(PELAIHARI, 2020)


def test_the_sk_in_force_is_the_latest_decree_of_the_kabupaten(demo: Personas) -> None:
    location = location_in(SARANG_HALANG)
    create_decree(
        actor=Actor.system("test"),
        kabupaten=Region.objects.get(code=KABUPATEN),
        number="UJI/2024",
        year=2024,
        date=dt.date(2024, 1, 5),
        title="SK baru",
        entries=[(location, D("2.5"))],
    )
    assert dashboard.sk_figures(KABUPATEN).region_ha == D("2.5")
    assert dashboard.sk_figures(PELAIHARI).region_ha == D("2.5")
    assert dashboard.sk_figures("63.01.03.1002").region_ha == 0


@pytest.mark.parametrize(
    ("code", "queries"),
    [
        # Above a kabupaten: the location summaries (with the demo flag), the SK, the children.
        pytest.param("ID", 3, id="national"),
        pytest.param("63", 3, id="province"),
        pytest.param(KABUPATEN, 6, id="kabupaten"),
        pytest.param(PELAIHARI, 6, id="kecamatan"),
        pytest.param(SARANG_HALANG, 5, id="desa"),
    ],
)
def test_each_dashboard_level_takes_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any, code: str, queries: int
) -> None:
    with django_assert_num_queries(queries):
        dashboard.region_dashboard(code)


@pytest.mark.parametrize(
    ("code", "queries"),
    [("ID", 2), ("63", 2), (KABUPATEN, 2), (PELAIHARI, 2), (SARANG_HALANG, 2)],
)
def test_the_map_data_take_two_queries_at_every_level(
    demo: Personas, django_assert_num_queries: Any, code: str, queries: int
) -> None:
    with django_assert_num_queries(queries):
        dashboard.map_locations(code, 2021)


def test_the_map_lists_only_locations_with_a_usable_polygon_with_their_class(
    demo: Personas,
) -> None:
    Location.objects.filter(kabupaten_id=KABUPATEN).update(polygon=None)
    square = {"type": "Polygon", "coordinates": [[[114.75, -3.8], [114.76, -3.8],
                                                  [114.76, -3.79], [114.75, -3.8]]]}  # fmt: skip
    pelaihari = list(Location.objects.filter(desa__code__startswith=PELAIHARI + ".")[:3])
    pelaihari[0].polygon = square
    pelaihari[1].polygon = {"type": "Feature", "geometry": square, "properties": {}}
    pelaihari[2].polygon = {"type": "Point", "coordinates": [114.75, -3.8]}
    Location.objects.bulk_update(pelaihari, ["polygon"])
    drawn = dashboard.map_locations(PELAIHARI, 2021)
    assert [m.id for m in drawn] == [pelaihari[0].pk, pelaihari[1].pk]
    assert all(m.geometry == square for m in drawn)
    assert all(m.klass is not None for m in drawn)
    assert dashboard.map_locations(SARANG_HALANG, 2021) == [
        m for m in drawn if m.id == location_in(SARANG_HALANG).pk
    ]
    national = dashboard.map_locations("ID", 2021)
    assert [(m.id, m.klass) for m in national] == [(m.id, None) for m in drawn]
    assert [m.slum_ha for m in national] == [m.slum_ha for m in drawn]


def test_the_location_page_reads_take_four_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    location = location_in(SARANG_HALANG)
    with django_assert_num_queries(4):  # the SK versions in force are one of them
        detail = dashboard.location_detail(location)
    assert [y.tahun for y in detail.years] == [2019, 2021]
    assert set(detail.results) == {2019, 2021}
    assert detail.sk_ha == D("7.30")
    assert detail.area_ha == D("7.30")
    assert detail.is_demo
    assert all(set(row.years) == {2019, 2021} for row in detail.rts)
    latest = location_score(location.pk, 2021)
    assert latest is not None
    assert detail.latest_result is not None
    assert detail.latest_result.klass is latest.klass


def test_an_rt_has_its_16_criteria_rows_and_a_what_if_when_kumuh(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    score = Score.objects.filter(desa_code=SARANG_HALANG, tahun=2021).exclude(
        klass=SlumClass.TIDAK_KUMUH
    )[0]
    rt = score.observation.rt
    with django_assert_num_queries(1):
        detail = dashboard.rt_detail(rt)
    observation = detail.at(None)
    assert observation is not None
    assert observation.tahun == 2021
    rows = dashboard.criteria_rows(observation)
    assert [r.criterion.code for r in rows] == [
        "1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c", "5a", "5b", "6a", "6b",
        "7a", "7b",
    ]  # fmt: skip
    assert sum(r.score or 0 for r in rows) == score.total
    whatif = dashboard.what_if(observation)
    assert whatif is not None
    assert whatif.total == score.total
    assert whatif.targets[-1].klass is SlumClass.TIDAK_KUMUH
    assert detail.at(2020) is None
