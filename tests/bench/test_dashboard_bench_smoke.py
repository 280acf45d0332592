"""The dashboard benchmark at a tiny size: its generator writes data the product would have
written, and its measuring pass runs both paths, which serve the same pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.surveys import dashboard
from sikumuh.surveys.models import LocationScore, Observation, Score
from sikumuh.surveys.scoring import score_fields, score_values
from tests.conftest import REPO

pytestmark = pytest.mark.django_db
KABUPATEN = ("63.01", "33.75")


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import dashboard_bench
    import dashboard_data

    return dashboard_data, dashboard_bench


@pytest.fixture
def built(load_regions_under: Callable[..., int], bench: tuple[ModuleType, ModuleType]) -> Any:
    load_regions_under(*KABUPATEN)
    return bench[0].build_dataset(rts=300, years=2, seed=7)


def test_the_generator_writes_every_kabupaten_s_rts_for_every_year(built: Any) -> None:
    assert built.kabupaten == 2
    assert built.rts >= 300
    assert built.observations == Observation.objects.count() == Score.objects.count()
    assert built.observations == 2 * built.rts
    assert built.location_scores == LocationScore.objects.count() == 2 * built.locations
    assert set(Score.objects.values_list("kabupaten_code", flat=True)) == set(KABUPATEN)
    assert Score.objects.values("klass").distinct().count() >= 3


def test_the_generated_rt_scores_are_those_the_product_stores(built: Any) -> None:
    names = ["rule_set", "percents", "scores", "total", "klass", "aspect_means"]
    names += ["sectoral_mean", "warnings", "province_code", "kabupaten_code", "kecamatan_code"]
    for obs in Observation.objects.select_related("score", "rt").order_by("?")[:40]:
        result = score_values(
            header={n: getattr(obs, n) for n in HEADER_FIELDS},
            volumes=obs.volumes,
            percents=obs.percents,
            rule_set_id=obs.rule_set,
        )
        expected = score_fields(result, desa_code=obs.rt.desa_id)
        assert {n: getattr(obs.score, n) for n in names} == {n: expected[n] for n in names}


@pytest.mark.parametrize("code", KABUPATEN)
def test_the_generated_location_summaries_equal_the_on_the_fly_classes(
    built: Any, code: str
) -> None:
    for tahun in (2020, 2021):
        stored = dashboard.location_years(code, tahun)
        assert stored
        assert stored == dashboard.location_years_from_rts(code, tahun)


def _page(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_measuring_pass_times_both_paths_which_serve_the_same_pages(
    built: Any, bench: tuple[ModuleType, ModuleType]
) -> None:
    _, runner = bench
    get_user_model().objects.create_superuser("bench", password="bench-only")
    urls = runner.sample_urls(2, 7)
    assert [kind for kind, _ in urls] == ["national", "kabupaten", "kabupaten", "map", "map"]
    new = runner.summarise(runner.measure(urls, 2))
    with runner.reference_path():
        ref = runner.summarise(runner.measure(urls, 2))
    assert set(new) == set(ref) == {"national", "kabupaten", "map"}
    assert {kind: row["n"] for kind, row in new.items()} == {
        "national": 2,
        "kabupaten": 4,
        "map": 4,
    }
    assert all(row["queries_min"] > 0 for row in new.values())
    assert new["national"]["queries_max"] < ref["national"]["queries_max"]
    client = runner._client()
    for _, url in urls:
        summaries = _page(client, url)
        with runner.reference_path():
            assert _page(client, url) == summaries, url
