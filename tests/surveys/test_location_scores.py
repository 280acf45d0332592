"""The stored location-year summaries: equal to the exact aggregation, kept current by every write
path, and read by the dashboards with the same figures as the on-the-fly computation."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.cli import main
from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.demo.tanah_laut import generate
from sikumuh.io.importer import import_rows
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys import dashboard
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.asof import as_of_observations
from sikumuh.surveys.location_actions import update_location
from sikumuh.surveys.location_scores import AREA_FIELDS, refresh_location_scores, summarise_rows
from sikumuh.surveys.models import LocationScore, Observation, Score, Source
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
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

D = Decimal
ACTOR = Actor.system("test")
BERAT, SEDANG, TIDAK = SlumClass.BERAT, SlumClass.SEDANG, SlumClass.TIDAK_KUMUH
SLUM = ("kumuh_berat", "kumuh_sedang", "kumuh_ringan")


def stored(location_id: int, tahun: int) -> LocationScore:
    return LocationScore.objects.get(location_id=location_id, tahun=tahun)


def rows_of(location_id: int, tahun: int) -> dict[str, Any]:
    """RT hectares and counts per class of a location as of a year, summed from its RT scores
    (each RT's latest up to the year)."""
    figures: dict[str, Any] = dict.fromkeys(AREA_FIELDS, 0)
    counted = as_of_observations(Observation.objects.filter(rt__location_id=location_id), tahun)
    for klass, luas in Score.objects.filter(observation__in=counted).values_list(
        "klass", "luas_ha"
    ):
        figures[f"{klass or 'unscored'}_ha"] += luas or 0
        figures[f"{klass or 'unscored'}_rt"] += 1
    return figures


def assert_matches_the_exact_path(summary: LocationScore) -> None:
    exact = location_score(summary.location_id, summary.tahun)
    assert exact is not None
    assert (summary.total, summary.klass) == (
        exact.total,
        None if exact.klass is None else exact.klass.value,
    )
    assert summary.percents == {
        c: None if p is None else f"{p:f}" for c, p in exact.percent.items()
    }
    assert summary.scores == exact.score
    figures = rows_of(summary.location_id, summary.tahun)
    assert {name: getattr(summary, name) for name in AREA_FIELDS} == figures
    assert summary.slum_ha == sum(figures[f"{k}_ha"] for k in SLUM)


# --- The demo, as the importer leaves it ---------------------------------------------------------


def test_the_demo_import_stores_one_summary_per_location_and_year(demo: Personas) -> None:
    # As of every year from the first to the last observed: 2020 holds the 2019 data.
    assert LocationScore.objects.filter(kabupaten_code=KABUPATEN).count() == 48 * 3
    assert set(LocationScore.objects.values_list("tahun", flat=True)) == {2019, 2020, 2021}
    assert not LocationScore.objects.filter(tahun=2020, rt_observed__gt=0).exists()
    assert LocationScore.objects.filter(has_demo=False).count() == 0


def test_every_demo_summary_equals_the_exact_sum_of_its_rts(demo: Personas) -> None:
    summaries = list(LocationScore.objects.all())
    assert len(summaries) == 48 * 3
    for summary in summaries:
        assert_matches_the_exact_path(summary)


def test_the_summary_carries_the_location_s_region_codes(demo: Personas) -> None:
    for summary in LocationScore.objects.select_related("location"):
        desa = summary.location.desa_id
        assert desa is not None
        assert (summary.province_code, summary.kabupaten_code) == ("63", KABUPATEN)
        assert (summary.kecamatan_code, summary.desa_code) == (desa[:8], desa)


def test_rebuilding_everything_writes_the_same_summaries(demo: Personas) -> None:
    def content() -> list[tuple[Any, ...]]:
        fields = [f.name for f in LocationScore._meta.fields if f.name not in {"id", "computed_at"}]
        return sorted(LocationScore.objects.values_list(*fields))

    before = content()
    LocationScore.objects.all().delete()
    assert refresh_location_scores() == 48 * 3
    assert content() == before


# --- The dashboards read the same figures as the on-the-fly path ---------------------------------


@pytest.mark.parametrize("code", [KABUPATEN, PELAIHARI, SARANG_HALANG, BAJUIN])
@pytest.mark.parametrize("tahun", [2019, 2021])
def test_stored_location_classes_equal_the_on_the_fly_computation(
    demo: Personas, code: str, tahun: int
) -> None:
    assert dashboard.location_years(code, tahun) == dashboard.location_years_from_rts(code, tahun)


@pytest.mark.parametrize("code", ["ID", "63"])
def test_national_and_provincial_figures_from_the_summaries_equal_those_from_the_rt_scores(
    demo: Personas, code: str
) -> None:
    assert dashboard.years_from_location_scores(code) == dashboard.years_from_scores(code)
    assert dashboard.region_years(code)[0][2021].slum_ha == D("152.56")


@pytest.mark.parametrize("code", ["ID", "63", KABUPATEN, PELAIHARI, SARANG_HALANG, "33.75"])
def test_every_level_reads_the_same_figures_and_demo_flag_as_the_reference(
    demo: Personas, code: str
) -> None:
    assert dashboard.region_years(code) == dashboard.years_from_scores(code)


# --- The write paths keep it current -------------------------------------------------------------


def _kumuh_rt_of_a_location_with_several_rts() -> RtUnit:
    for score in Score.objects.filter(kabupaten_code=KABUPATEN, tahun=2021, klass__in=SLUM):
        rt = score.observation.rt
        if RtUnit.objects.filter(location_id=rt.location_id).count() > 1:
            return rt
    return pytest.fail("the demo has no such RT")


def test_an_rt_saved_as_tidak_kumuh_leaves_the_location_s_slum_hectares(demo: Personas) -> None:
    rt = _kumuh_rt_of_a_location_with_several_rts()
    obs = Observation.objects.get(rt=rt, tahun=2021)
    before = stored(rt.location_id, 2021)
    header = {name: getattr(obs, name) for name in HEADER_FIELDS}
    save_observation(actor=ACTOR, rt=rt, tahun=2021, header=header, volumes=volumes_at("0", header))
    after = stored(rt.location_id, 2021)
    assert obs.luas_ha is not None
    assert after.slum_ha == before.slum_ha - obs.luas_ha
    assert after.tidak_kumuh_rt == before.tidak_kumuh_rt + 1
    assert after.tidak_kumuh_ha == before.tidak_kumuh_ha + obs.luas_ha
    assert_matches_the_exact_path(after)


def test_a_first_observation_in_a_new_year_carries_every_location_to_that_year(
    demo: Personas,
) -> None:
    rt = _kumuh_rt_of_a_location_with_several_rts()
    save_observation(actor=ACTOR, rt=rt, tahun=2023, header=HEADER, volumes=volumes_at("0.8"))
    summary = stored(rt.location_id, 2023)
    # As of 2023 the location counts all its RTs: the one observed in 2023, the others of 2021.
    assert summary.kumuh_berat_rt >= 1
    assert summary.rt_observed == 1
    assert_matches_the_exact_path(summary)
    assert_matches_the_exact_path(stored(rt.location_id, 2022))
    # Every other location holds its 2021 figures as of 2022 and 2023, nothing observed.
    assert LocationScore.objects.filter(tahun=2023).count() == 48
    for other in LocationScore.objects.filter(tahun=2023).exclude(location_id=rt.location_id):
        before = stored(other.location_id, 2021)
        assert (other.total, other.klass, other.slum_ha) == (
            before.total,
            before.klass,
            before.slum_ha,
        )
        assert other.rt_observed == 0


def test_an_import_updates_the_summaries_of_the_locations_and_years_it_touched(
    demo: Personas,
) -> None:
    data = generate()
    row = next(r for r in data.rows if r.tahun == 2021 and r.kode_desa == SARANG_HALANG)
    location = Location.objects.get(kabupaten_id=KABUPATEN, code=row.lokasi)
    untouched = {
        (s.location_id, s.tahun, s.computed_at)
        for s in LocationScore.objects.exclude(location=location)
    }
    changed = dataclasses.replace(row, volumes={c: D(0) for c in row.volumes})
    added = dataclasses.replace(row, tahun=2023)
    report = import_rows(
        [changed, added], actor=ACTOR, kind="template", source=Source.TEMPLATE, file_name="uji.csv"
    )
    assert (report.updated, report.created) == (1, 1)
    for tahun in (2021, 2023):
        assert_matches_the_exact_path(stored(location.pk, tahun))
    new_year = stored(location.pk, 2023)
    # As of 2023: every RT of the location, one observed in 2023.
    assert new_year.rt_observed == 1
    assert sum(getattr(new_year, name) for name in AREA_FIELDS if name.endswith("_rt")) == sum(
        getattr(stored(location.pk, 2021), name) for name in AREA_FIELDS if name.endswith("_rt")
    )
    assert {
        (s.location_id, s.tahun, s.computed_at)
        for s in LocationScore.objects.exclude(location=location).filter(tahun__lte=2021)
    } == untouched


def test_moving_a_location_to_another_desa_moves_its_summaries(demo: Personas) -> None:
    location = Location.objects.filter(desa_id=SARANG_HALANG).first()
    assert location is not None
    update_location(actor=ACTOR, location=location, desa_id="63.01.02.2001")
    assert set(
        LocationScore.objects.filter(location=location).values_list("kecamatan_code", "desa_code")
    ) == {("63.01.02", "63.01.02.2001")}


def test_refreshing_one_location_year_takes_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    summary = LocationScore.objects.filter(tahun=2021).first()
    assert summary is not None
    # Savepoint, the last year observed and stored (as-of rows run to it), observations,
    # locations, delete, insert, release; every year of the location (2019–2021) is rewritten.
    with django_assert_num_queries(8):
        assert refresh_location_scores([summary.location_id], [2021]) == 3


def test_refreshing_no_location_asks_the_database_nothing(
    db: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert refresh_location_scores([], [2021]) == 0
        assert refresh_location_scores([1], []) == 0


def test_the_rebuild_command_prints_what_it_wrote(demo: Personas) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["rebuild-summaries"], out=out, err=err) == 0
    assert out.getvalue().startswith("location summaries rebuilt: 144 location-years in ")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_rebuild_command_shows_its_progress_on_a_terminal(demo: Personas) -> None:
    err = Terminal()
    assert main(["rebuild-summaries"], out=io.StringIO(), err=err) == 0
    locations = Location.objects.count()
    assert f"\rlocations: {locations}/{locations} (100 %)" in err.getvalue()
    assert err.getvalue().endswith("\r\033[K")  # the line is cleared at the end


# --- The computation, on hand-made rows ----------------------------------------------------------


def _row(rt: int, share: str, **extra: Any) -> dict[str, Any]:
    """One RT's observation row as the refresh reads it (location 1, 2021)."""
    volumes = {c: str(v) for c, v in volumes_at(share).items()}
    row = {"rt_id": rt, "location_id": 1, "tahun": 2021, "rule_set": "permen-pupr-14-2018"}
    row |= {"volumes": volumes, "klass": "kumuh_sedang", "luas": D("1.5"), "source": "template"}
    return {**row, **HEADER, **extra}


SUMMARY_CASES = [
    pytest.param([_row(1, "0.8"), _row(2, "0.3", klass="tidak_kumuh")], 48, SEDANG,
                 {"kumuh_sedang_rt": 1, "tidak_kumuh_rt": 1}, D("1.5"), id="two-rts-sum-to-55-pct"),
    pytest.param([_row(1, "0.8", volumes={"1a": None}), _row(2, "0.8")], None, None,
                 {"kumuh_sedang_rt": 2}, D("3.0"), id="a-missing-volume-leaves-no-class"),
    pytest.param([_row(1, "0.5", jumlah_kk=None)], None, None,
                 {"kumuh_sedang_rt": 1}, D("1.5"), id="a-missing-denominator-leaves-no-class"),
    pytest.param([_row(2, "0.1", rule_set="permen-pupr-02-2016"), _row(1, "0.8")], 80, BERAT,
                 {"kumuh_sedang_rt": 2}, D("3.0"), id="another-rule-set-counted-not-scored"),
    pytest.param([_row(1, "0.8", klass=None, luas=None)], 80, BERAT,
                 {"unscored_rt": 1}, D(0), id="an-unscored-rt-is-no-slum-hectare"),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "total", "klass", "counts", "slum_ha"), SUMMARY_CASES)
def test_a_location_year_is_scored_from_the_sum_of_its_rts(
    rows: list[dict[str, Any]],
    total: int | None,
    klass: SlumClass | None,
    counts: dict[str, int],
    slum_ha: Decimal,
) -> None:
    (summary,) = summarise_rows(rows).values()
    assert (summary.total, summary.klass) == (total, klass)
    assert {k: n for k, n in summary.rt.items() if n} == {
        k.removesuffix("_rt"): n for k, n in counts.items()
    }
    assert summary.slum_ha == slum_ha
    assert not summary.has_demo
    if total is not None:
        (exact,) = dashboard.score_location_rows(
            [{**r, "percents": {}} for r in rows], 2021
        ).values()
        assert exact.result is not None
        assert summary.percents == {
            c: None if p is None else f"{p:f}" for c, p in exact.result.percent.items()
        }
        assert summary.scores == exact.result.score


def test_rows_of_several_locations_and_years_are_summarised_apart() -> None:
    rows = [
        _row(1, "0.8"),
        _row(2, "0.1", location_id=2),
        _row(3, "0.1", tahun=2019, source=Source.DEMO),
    ]
    summaries = summarise_rows(rows)
    assert {key: s.klass for key, s in summaries.items()} == {
        (1, 2021): BERAT,
        (2, 2021): TIDAK,
        (1, 2019): TIDAK,
    }
    assert [key for key, s in summaries.items() if s.has_demo] == [(1, 2019)]


def test_a_region_code_without_summaries_reads_as_no_locations(demo: Personas) -> None:
    assert Region.objects.filter(code="33.75").exists()
    assert dashboard.location_years("33.75", 2021) == {}
