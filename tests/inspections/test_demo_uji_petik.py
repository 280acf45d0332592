"""The Tanah Laut demo's uji petik: a 2021 sample drawn by the product with filled checklists,
findings, follow-ups carried from 2020, a purposive addition and re-surveyed RTs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.demo.build import build_demo
from sikumuh.demo.ujipetik import CURRENT, EARLIER, checklist
from sikumuh.demo.ujipetik_build import ensure_demo_uji_petik
from sikumuh.inspections.models import Checklist, FollowUp, UjiPetik
from sikumuh.inspections.selectors import redraw_matches, reliability_of, sample_view

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test-demo")


@pytest.fixture
def demo(load_regions_under: Callable[..., int]) -> UjiPetik:
    load_regions_under("63.01")
    build_demo(actor=ACTOR)
    return UjiPetik.objects.get(title=CURRENT["title"])


def test_the_demo_draws_the_2021_sample_with_its_stored_seed(demo: UjiPetik) -> None:
    assert (demo.kabupaten_id, demo.tahun, demo.seed, demo.n_requested) == (
        "63.01",
        [2020, 2021],
        2021,
        40,
    )
    assert demo.strata_fields == ["kecamatan", "aspect"]
    assert demo.plan["n_random"] == 40
    assert demo.items.filter(purposive=True).count() == 1
    assert redraw_matches(demo)


def test_every_item_has_a_checklist_and_the_estimates_are_plausible(demo: UjiPetik) -> None:
    view = sample_view(demo)
    assert view.checked == len(view.rows) == 41
    assert {r.checklist.source for r in view.rows if r.checklist} == {"demo"}
    by_code = {e.code: e.estimate for e in view.estimates}
    function = by_code["function"]
    assert function.p is not None
    assert 0.6 < function.p < 0.95
    assert function.low is not None
    assert function.high is not None
    assert function.low < function.p < function.high
    assert function.answered == 40  # the purposive item is apart


def test_the_earlier_uji_petik_carries_its_open_follow_up_into_2021(demo: UjiPetik) -> None:
    earlier = UjiPetik.objects.get(title=EARLIER["title"])
    carried = FollowUp.objects.get(uji_petik=demo, carried_from__isnull=False)
    assert carried.carried_from is not None
    assert carried.carried_from.uji_petik_id == earlier.pk
    assert carried.carried_from.status == "carried"
    assert FollowUp.objects.filter(uji_petik=demo, status="done").exists()
    assert FollowUp.objects.filter(uji_petik=demo, status="open").count() >= 2


def test_three_rts_of_different_desa_are_re_surveyed(demo: UjiPetik) -> None:
    view = reliability_of(demo)
    assert view.summary.rts == 3
    assert len({row.item.desa_code for row in view.rows}) == 3
    assert view.summary.overall.compared > 0
    assert len(view.summary.by_facilitator) == 3


def test_building_the_demo_again_writes_no_uji_petik_and_no_audit_entry(demo: UjiPetik) -> None:
    before = (UjiPetik.objects.count(), Checklist.objects.count(), AuditEntry.objects.count())
    assert ensure_demo_uji_petik(actor=ACTOR) == 0
    build_demo(actor=ACTOR)
    assert (
        UjiPetik.objects.count(),
        Checklist.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_demo_answers_depend_only_on_the_seed_and_the_item() -> None:
    import datetime as dt
    from decimal import Decimal

    args = {
        "item": "demo:TL-01/001/2a/2021",
        "volume": Decimal(120),
        "kecamatan": "63.01.03",
        "fieldwork_day": dt.date(2021, 10, 25),
    }
    assert checklist(seed=2021, **args) == checklist(seed=2021, **args)  # type: ignore[arg-type]
    assert checklist(seed=2021, **args) != checklist(seed=7, **args)  # type: ignore[arg-type]
