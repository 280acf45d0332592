from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.surveys.actions import ObservationInvalid, save_observation
from sikumuh.surveys.models import Observation, Score
from tests.factories import ACTOR, HEADER, location, rt, volumes_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tanah_laut(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")


def test_saving_a_new_rt_year_stores_the_observation_its_score_and_one_audit_entry() -> None:
    unit = rt(location())
    obs, result = save_observation(
        actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes_at("0.8")
    )
    assert result.total == 80
    score = Score.objects.get(observation=obs)
    assert (score.total, score.klass, score.desa_code) == (80, "kumuh_berat", "63.01.03.1001")
    entry = AuditEntry.objects.get(action="observation.create")
    assert entry.object_id == str(obs.pk)
    assert entry.changes["jumlah_kk"] == [None, "60"]


def test_saving_the_same_values_again_writes_nothing() -> None:
    unit = rt(location())
    save_observation(actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes_at("0.8"))
    count = AuditEntry.objects.count()
    save_observation(actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes_at("0.8"))
    assert AuditEntry.objects.count() == count


def test_changing_one_volume_rescores_and_audits_only_that_field() -> None:
    unit = rt(location())
    save_observation(actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes_at("0.8"))
    volumes = {**volumes_at("0.8"), "3a": Decimal(0)}
    obs, result = save_observation(actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes)
    assert result.total == 75
    assert Score.objects.get(observation=obs).total == 75
    entry = AuditEntry.objects.get(action="observation.update")
    assert list(entry.changes) == ["volumes"]
    assert entry.changes["volumes"][0]["3a"] == "48"
    assert entry.changes["volumes"][1]["3a"] == "0"


def test_a_unit_with_errors_is_refused_and_nothing_is_written() -> None:
    unit = rt(location())
    volumes = {**volumes_at("0.8"), "4a": Decimal("-0.5")}
    with pytest.raises(ObservationInvalid, match="egative"):
        save_observation(actor=ACTOR, rt=unit, tahun=2019, header=HEADER, volumes=volumes)
    assert Observation.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="observation").exists()
