"""The Tanah Laut demo generator alone (no database): its figures are checked by scoring every
row with the engine, never by trusting how the generator built them."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import cache

import pytest

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.handling import removal_eligibility
from sikumuh.core.projection import project_after_investment, sum_investments
from sikumuh.core.rows import ObservationRow
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit
from sikumuh.demo import tanah_laut
from sikumuh.demo.tanah_laut import DemoData, allocate, generate

# The figures of the source document (seed-facts.md): the specification.
SK_TOTAL = Decimal("184.92")
PELAIHARI_BEFORE, PELAIHARI_NOW = Decimal("47.53"), Decimal("24.36")
FUNDING_SOURCES = {"apbn", "apbd_provinsi", "apbd", "dana_desa", "csr", "swadaya", "lainnya"}
SEEDS = [2021, 1, 7, 4242]


@cache
def data(seed: int = 2021) -> DemoData:
    return generate(seed)


def unit(row: ObservationRow) -> UnitInput:
    return UnitInput.from_values(header=row.header, volumes=row.volumes)


def result(row: ObservationRow) -> UnitResult:
    return score_unit(unit(row))


def slum_ha(rows: Iterable[ObservationRow]) -> Decimal:
    """Σ luas_ha of the rows the engine does not class Tidak Kumuh (criteria.md §5)."""
    total = Decimal(0)
    for row in rows:
        klass = result(row).klass
        assert klass is not None, row
        if klass is not SlumClass.TIDAK_KUMUH:
            luas = row.header["luas_ha"]
            assert luas is not None
            total += luas
    return total


def in_kecamatan(rows: Iterable[ObservationRow], *codes: str) -> list[ObservationRow]:
    return [r for r in rows if r.kode_desa.rsplit(".", 1)[0] in codes]


def test_the_generator_runs_without_django() -> None:
    # In a fresh interpreter: under pytest-django, Django is already imported.
    code = (
        "import sys; from sikumuh.demo.tanah_laut import generate; generate(); "
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_sk_lists_48_locations_in_48_distinct_real_desa_of_tanah_laut() -> None:
    demo = data()
    names = tanah_laut.region_names("63.01")
    desa = [loc.desa_code for loc in demo.locations]
    assert len(desa) == len(set(desa)) == 48
    assert all(code.startswith("63.01.") and code.count(".") == 3 for code in desa)
    assert all(names[loc.desa_code] == loc.desa_name for loc in demo.locations)
    assert len({loc.kecamatan_code for loc in demo.locations}) == 11


def test_pelaihari_has_all_five_kelurahan_and_the_report_names_the_removed_desa() -> None:
    by_kecamatan: dict[str, set[str]] = defaultdict(set)
    for loc in data().locations:
        by_kecamatan[loc.kecamatan_name].add(loc.desa_name)
    assert {"Sarang Halang", "Karang Taruna", "Pelaihari", "Angsau", "Pabahanan"} <= by_kecamatan[
        "Pelaihari"
    ]
    assert by_kecamatan["Bajuin"] == {"Sungai Bakar", "Pemalongan"}
    assert by_kecamatan["Batu Ampar"] == {"Gunung Mas"}


def test_the_sk_totals_184_92_ha_and_each_location_is_the_sum_of_its_rts() -> None:
    demo = data()
    assert demo.sk_total_ha == SK_TOTAL
    for year in (demo.baseline_year, demo.current_year):
        per_location: dict[str, Decimal] = defaultdict(Decimal)
        for row in demo.rows_for(year):
            luas = row.header["luas_ha"]
            assert luas is not None
            per_location[row.lokasi] += luas
        assert per_location == {loc.code: loc.sk_ha for loc in demo.locations}


def test_the_same_seed_gives_the_same_data_twice() -> None:
    assert generate(2021) == generate(2021)


def test_another_seed_gives_other_rts_but_the_same_sk_and_figures() -> None:
    one, other = data(2021), data(7)
    assert [r.volumes for r in one.rows] != [r.volumes for r in other.rows]
    assert [loc.desa_code for loc in one.locations] == [loc.desa_code for loc in other.locations]
    assert one.sk_total_ha == other.sk_total_ha == SK_TOTAL


def test_every_row_scores_without_errors_under_permen_pupr_14_2018() -> None:
    for row in data().rows:
        assert row.rule_set == PERMEN_PUPR_14_2018.id
        assert result(row).ok, row


@pytest.mark.parametrize("seed", SEEDS)
def test_every_sk_rt_is_kumuh_at_baseline_so_the_baseline_slum_area_is_the_sk_total(
    seed: int,
) -> None:
    demo = data(seed)
    assert slum_ha(demo.rows_for(demo.baseline_year)) == SK_TOTAL


@pytest.mark.parametrize("seed", SEEDS)
def test_pelaihari_slum_area_falls_from_47_53_to_24_36_ha(seed: int) -> None:
    demo = data(seed)
    assert slum_ha(in_kecamatan(demo.rows_for(demo.baseline_year), "63.01.03")) == PELAIHARI_BEFORE
    assert slum_ha(in_kecamatan(demo.rows_for(demo.current_year), "63.01.03")) == PELAIHARI_NOW


@pytest.mark.parametrize("seed", SEEDS)
def test_pelaihari_keeps_rts_of_every_kumuh_class_or_at_least_two_in_2021(seed: int) -> None:
    demo = data(seed)
    classes = {result(r).klass for r in in_kecamatan(demo.rows_for(2021), "63.01.03")}
    assert SlumClass.TIDAK_KUMUH in classes
    assert len(classes - {SlumClass.TIDAK_KUMUH}) >= 2


@pytest.mark.parametrize("seed", SEEDS)
def test_bajuin_and_batu_ampar_locations_qualify_for_status_removal_in_2021(seed: int) -> None:
    demo = data(seed)
    rows = in_kecamatan(demo.rows_for(2021), "63.01.10", "63.01.09")
    by_location: dict[str, list[ObservationRow]] = defaultdict(list)
    for row in rows:
        by_location[row.lokasi].append(row)
    assert {r.kode_desa for r in rows} == {"63.01.10.2002", "63.01.10.2006", "63.01.09.2002"}
    for location_rows in by_location.values():
        # Each RT, and the location scored from the sum of its RTs (criteria.md §5).
        for scored in [result(r) for r in location_rows] + [
            score_unit(aggregate_inputs(unit(r) for r in location_rows))
        ]:
            removal = removal_eligibility(scored.total, PERMEN_PUPR_14_2018, scored.percent)
            assert scored.klass is SlumClass.TIDAK_KUMUH
            assert removal.eligible_with_services, removal.coverage


@pytest.mark.parametrize("seed", SEEDS)
def test_rts_of_the_other_eight_kecamatan_are_surveyed_in_2021_and_still_kumuh(seed: int) -> None:
    demo = data(seed)
    others = [
        r
        for r in demo.rows_for(2021)
        if r.kode_desa.rsplit(".", 1)[0] not in {"63.01.03", "63.01.09", "63.01.10"}
    ]
    assert len({r.kode_desa.rsplit(".", 1)[0] for r in others}) == 8
    assert all(result(r).klass is not SlumClass.TIDAK_KUMUH for r in others)


@pytest.mark.parametrize("seed", SEEDS)
def test_2021_survey_equals_the_kumuh_akhir_projection_of_the_baseline_and_investments(
    seed: int,
) -> None:
    demo = data(seed)
    invested: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for inv in demo.investments:
        invested[(inv.location_code, inv.rt)].append((inv.criterion, inv.volume))
    current = {(r.lokasi, r.rt): r for r in demo.rows_for(2021)}
    for before in demo.rows_for(demo.baseline_year):
        after = current[(before.lokasi, before.rt)]
        assert after.header == before.header
        projected = project_after_investment(
            unit(before), sum_investments(invested[(before.lokasi, before.rt)])
        )
        assert projected.volumes == unit(after).volumes, (before.lokasi, before.rt)


def test_every_improvement_is_explained_by_an_investment_and_none_is_wasted() -> None:
    demo = data()
    invested = {(i.location_code, i.rt, i.criterion) for i in demo.investments}
    baseline = {(r.lokasi, r.rt): r for r in demo.rows_for(demo.baseline_year)}
    changed = {
        (r.lokasi, r.rt, code)
        for r in demo.rows_for(2021)
        for code, volume in r.volumes.items()
        if volume != baseline[(r.lokasi, r.rt)].volumes[code]
    }
    assert changed == invested
    assert changed


def test_investments_are_of_2020_or_2021_with_known_funding_and_positive_cost() -> None:
    demo = data()
    kelurahan = {loc.code for loc in demo.locations if loc.desa_code.split(".")[3][0] == "1"}
    assert demo.investments
    for inv in demo.investments:
        assert inv.tahun in (2020, 2021)
        assert inv.funding_source in FUNDING_SOURCES
        assert inv.volume > 0
        assert inv.cost > 0
        assert inv.unit == PERMEN_PUPR_14_2018.criterion(inv.criterion).unit
        assert not (inv.location_code in kelurahan and inv.funding_source == "dana_desa")
    assert len({i.source_ref for i in demo.investments}) == len(demo.investments)


def test_data_collection_progress_is_7_kecamatan_and_35_of_the_48_sk_desa() -> None:
    demo = data()
    assert len(demo.sosialisasi_kecamatan) == 7
    assert "63.01.03" not in demo.sosialisasi_kecamatan  # the other 10 are being delineated
    assert len(demo.fgd_desa) == len(set(demo.fgd_desa)) == 35
    assert set(demo.fgd_desa) <= {loc.desa_code for loc in demo.locations}
    assert all(d.rsplit(".", 1)[0] in demo.sosialisasi_kecamatan for d in demo.fgd_desa)


def test_the_sk_is_labelled_as_demo_data() -> None:
    demo = data()
    assert "DEMO" in demo.sk_number
    assert "sintetis" in demo.sk_title
    assert "sintetis" in tanah_laut.DEMO_LABEL


@pytest.mark.parametrize(
    ("total", "weights", "minimum", "parts"),
    [
        (10, [1, 1, 1], 0, [4, 3, 3]),
        (2317, [1, 2], 30, [782, 1535]),
        (100, [5], 30, [100]),
        (90, [7, 1, 1], 30, [30, 30, 30]),
    ],
)
def test_allocate_splits_a_total_exactly_by_largest_remainder(
    total: int, weights: list[int], minimum: int, parts: list[int]
) -> None:
    assert allocate(total, weights, minimum) == parts
    assert sum(parts) == total


def test_allocate_refuses_a_total_below_the_minimums() -> None:
    with pytest.raises(ValueError, match="cannot split"):
        allocate(50, [1, 1], 30)
