"""The issue's scenario on the Tanah Laut demo (criteria.md §9): a year entered RT by RT counts
every RT as of that year, says its coverage, and a later SK never changes an earlier year."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from sikumuh.audit.actions import Actor
from sikumuh.cli import main
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.demo.tanah_laut import generate
from sikumuh.io.importer import import_rows
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import Location, SkLocation
from sikumuh.slums.sk_in_force import sk_version_in_force
from sikumuh.surveys import dashboard
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.asof import APPROVED
from sikumuh.surveys.location_scores import refresh_location_scores
from sikumuh.surveys.models import LocationScore, Observation, Score, Source
from sikumuh.surveys.selectors import slum_area
from tests.conftest import Personas
from tests.factories import volumes_at
from tests.web.test_dashboard_support import (
    KABUPATEN,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

D = Decimal
SYSTEM = Actor.system("test")
SLUM = ("kumuh_berat", "kumuh_sedang", "kumuh_ringan")


def _slum_area_json(*argv: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    assert main(["slum-area", "--format", "json", *argv], out=out, err=err) == 0, err.getvalue()
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def _facilitator_saves_one_rt_for_2022(demo: Personas) -> Observation:
    """The issue: the facilitator of Sarang Halang saves one RT for 2022 (as it stood in 2021,
    every criterion now fine)."""
    before = Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2021).first()
    assert before is not None
    header = {name: getattr(before, name) for name in HEADER_FIELDS}
    saved, _ = save_observation(
        actor=Actor.of(demo.users["facilitator"]),
        rt=before.rt,
        tahun=2022,
        header=header,
        volumes=volumes_at("0", header),
    )
    return saved


def test_one_rt_saved_for_2022_leaves_the_kabupaten_as_of_2022_not_at_zero(
    demo: Personas,
) -> None:
    saved = _facilitator_saves_one_rt_for_2022(demo)
    data = dashboard.region_dashboard(KABUPATEN)
    # It opens on the latest complete year and offers 2022 as provisional.
    assert data.tahun == 2021
    assert data.year_list == [2019, 2021, 2022]
    assert data.provisional_years == [2022]
    y2021 = data.current
    assert y2021 is not None
    assert y2021.slum_ha == D("152.56")
    shown = dashboard.region_dashboard(KABUPATEN, 2022)
    assert shown.current is not None
    score_2021 = Score.objects.get(observation__rt=saved.rt, tahun=2021)
    dropped = score_2021.luas_ha if score_2021.klass in SLUM else D(0)
    assert shown.current.slum_ha == D("152.56") - dropped
    coverage = shown.current_coverage
    assert coverage is not None
    assert (coverage.observed, coverage.complete) == (1, False)
    assert coverage.carried == {2021: coverage.total - 1}
    # Every location of the kabupaten keeps its class as of 2022 (none loses its RTs).
    assert len(dashboard.location_years(KABUPATEN, 2022)) == 48


def test_slum_area_2022_is_as_of_and_states_its_coverage(demo: Personas) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    report = _slum_area_json("--region", KABUPATEN)
    y2021, y2022 = report["years"]["2021"], report["years"]["2022"]
    assert y2021["complete"] is True
    assert y2021["rt_observed"] == y2021["rt_total"]
    assert (y2022["rt_observed"], y2022["complete"]) == (1, False)
    assert y2022["rt_carried"] == y2022["rt_total"] - 1 == y2021["rt_total"] - 1
    assert y2022["rt_carried_from"] == {"2021": y2022["rt_carried"]}
    assert y2022["slum_ha"] > 0
    assert y2022["sk"]["ha"] == y2022["reduction_vs_sk"]["base_ha"] == 184.92


def test_approved_figures_leave_out_the_facilitator_s_draft(demo: Personas) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    assert [y.tahun for y in slum_area(KABUPATEN, status=APPROVED).years] == [2019, 2021]
    report = _slum_area_json("--region", KABUPATEN, "--status", "approved")
    assert report["status"] == "approved"
    assert set(report["years"]) == {"2019", "2021"}


def test_done_when_one_pelaihari_rt_at_zero_for_2022_takes_only_its_hectares(
    demo: Personas,
) -> None:
    """The issue's "Done when": Pelaihari's 2021 rows, one slum RT's volumes set to 0, imported
    for 2022: Tanah Laut 2022 = 152,56 − that RT's ha; 2021 unchanged and complete."""
    score = (
        Score.objects.filter(kecamatan_code=PELAIHARI, tahun=2021, klass__in=SLUM)
        .select_related("observation__rt__location")
        .first()
    )
    assert score is not None
    rt = score.observation.rt
    row = next(
        r
        for r in generate().rows
        if r.tahun == 2021 and r.kode_desa == rt.desa_id and r.rt == rt.rt
        and r.lokasi == rt.location.code
    )  # fmt: skip
    changed = dataclasses.replace(row, tahun=2022, volumes={c: D(0) for c in row.volumes})
    report = import_rows(
        [changed], actor=SYSTEM, kind="template", source=Source.TEMPLATE, file_name="p.csv"
    )
    assert report.created == 1
    figures = _slum_area_json("--region", KABUPATEN)
    y2021, y2022 = figures["years"]["2021"], figures["years"]["2022"]
    assert D(str(y2022["slum_ha"])) == D("152.56") - score.luas_ha
    assert (y2022["rt_observed"], y2022["complete"]) == (1, False)
    assert (y2021["slum_ha"], y2021["complete"]) == (152.56, True)


def test_a_later_sk_never_changes_an_earlier_year(demo: Personas) -> None:
    first = sk_version_in_force(KABUPATEN, 2021)
    assert first is not None
    before = _slum_area_json("--region", KABUPATEN)["years"]["2021"]
    entries = list(SkLocation.objects.filter(decree=first).select_related("location"))
    dropped = entries[0]
    create_decree(
        actor=SYSTEM,
        kabupaten=Region.objects.get(code=KABUPATEN),
        number="SK-2023",
        year=2023,
        date=dt.date(2023, 3, 1),
        entries=[(e.location, e.luas_ha) for e in entries[1:]],
    )
    assert sk_version_in_force(KABUPATEN, 2021) == first
    assert sk_version_in_force(KABUPATEN, 2022) == first
    later = sk_version_in_force(KABUPATEN, 2023)
    assert later is not None
    assert later.number == "SK-2023"
    after = _slum_area_json("--region", KABUPATEN)["years"]["2021"]
    assert after["reduction_vs_sk"] == before["reduction_vs_sk"]
    assert after["sk"]["number"] == first.number
    assert dashboard.region_dashboard(KABUPATEN, 2021).sk.base_ha == D("184.92")
    # The location dropped by the later SK keeps its history, and its page (latest year 2021)
    # still compares with the SK in force in 2021, not with the later one that dropped it.
    location = Location.objects.get(pk=dropped.location_id)
    assert LocationScore.objects.filter(location=location, tahun=2021).exists()
    detail = dashboard.location_detail(location)
    assert detail.latest_year == 2021
    assert [(e.number, e.in_force) for e in detail.sk_entries] == [(first.number, True)]
    assert detail.sk_ha == dropped.luas_ha


def test_the_stored_summaries_equal_the_exact_as_of_aggregation_after_a_partial_year(
    demo: Personas,
) -> None:
    _facilitator_saves_one_rt_for_2022(demo)
    for tahun in (2019, 2021, 2022):
        assert dashboard.location_years(KABUPATEN, tahun) == dashboard.location_years_from_rts(
            KABUPATEN, tahun
        )
    for code in ("ID", "63"):
        stored = dashboard.years_from_location_scores(code)
        exact = dashboard.years_from_scores(code)
        assert stored[:3] == exact[:3]
        assert {t: (c.observed, c.total) for t, c in stored[3].items()} == {
            t: (c.observed, c.total) for t, c in exact[3].items()
        }
    before = sorted(LocationScore.objects.values_list("location_id", "tahun", "slum_ha", "klass"))
    refresh_location_scores()
    after = sorted(LocationScore.objects.values_list("location_id", "tahun", "slum_ha", "klass"))
    assert after == before
