"""Drawing and storing an uji petik sample: seed and plan stored, audited, reproducible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.inspections.actions.checklists import add_follow_up, record_finding
from sikumuh.inspections.actions.sample import SampleError, add_purposive, prepare_sample
from sikumuh.inspections.models import FollowUp, FollowUpStatus
from sikumuh.inspections.selectors import redraw_matches
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region
from tests.factories import ACTOR
from tests.inspections.helpers import SARANG_HALANG, build_works, draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(load_regions_under: Callable[..., int]) -> list[Investment]:
    load_regions_under("63.01")
    return build_works()


def test_a_drawn_sample_stores_its_seed_plan_and_items(works: list[Investment]) -> None:
    up = draw(n=6, seed=42)
    assert (up.seed, up.n_requested, up.tahun, up.population) == (42, 6, [2021], "investments")
    # Strata kecamatan × aspect: Pelaihari roads 8, Pelaihari drains 2, Bajuin drains 5 (N = 15).
    # 1 each, then 3 over 8:2:5 → 1.6, 0.4, 1.0: floors 2, the last to the largest remainder.
    assert [(s["label"], s["N"], s["n"]) for s in up.plan["strata"]] == [
        ("Pelaihari × Jalan lingkungan", 8, 3),
        ("Pelaihari × Drainase lingkungan", 2, 1),
        ("Bajuin × Drainase lingkungan", 5, 2),
    ]
    items = list(up.items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3, 4, 5, 6]
    assert {i.stratum_population for i in items} == {8, 2, 5}
    assert items[0].key == f"UP{up.pk}-1"
    assert all(i.rt_id is not None and i.desa_code.startswith("63.01.") for i in items)


def test_drawing_again_with_the_stored_seed_gives_the_same_sample(works: list[Investment]) -> None:
    first = draw(n=6, seed=7)
    second = draw(n=6, seed=7)
    assert list(first.items.values_list("investment_id", flat=True)) == list(
        second.items.values_list("investment_id", flat=True)
    )
    assert redraw_matches(first)


def test_a_new_work_in_the_population_is_noticed_by_the_redraw_check(
    works: list[Investment],
) -> None:
    up = draw(n=6, seed=7)
    loc, unit = works[0].location, works[0].rt
    for k in range(5):
        Investment.objects.create(
            location=loc, rt=unit, criterion="2a", tahun=2021, activity=f"baru {k}", volume=1
        )
    assert not redraw_matches(up)


def test_the_draw_and_every_item_are_audited(works: list[Investment]) -> None:
    up = draw(n=6)
    assert AuditEntry.objects.filter(action="uji_petik.draw", object_id=str(up.pk)).count() == 1
    entry = AuditEntry.objects.get(action="uji_petik.draw")
    assert entry.changes["seed"] == [None, 42]
    assert entry.region_code == "63.01"
    assert AuditEntry.objects.filter(action="uji_petik.item.create").count() == 6


def test_purposive_additions_are_flagged_and_placed_after_the_random_items(
    works: list[Investment],
) -> None:
    outside_year = Investment.objects.filter(tahun=2020).first()
    assert outside_year is not None
    up = draw(n=3, purposive=[outside_year.pk], purposive_reason="dekat jalan utama")
    last = up.items.order_by("position").last()
    assert last is not None
    assert (last.investment_id, last.purposive, last.purposive_reason) == (
        outside_year.pk,
        True,
        "dekat jalan utama",
    )
    assert up.plan["n_purposive"] == 1


def test_a_purposive_item_can_be_added_after_the_draw_but_not_twice(
    works: list[Investment],
) -> None:
    up = draw(n=3)
    taken = set(up.items.values_list("investment_id", flat=True))
    extra = next(w for w in works if w.pk not in taken and w.tahun == 2021)
    item = add_purposive(actor=ACTOR, uji_petik=up, object_id=extra.pk, reason="nilai besar")
    assert (item.position, item.purposive) == (4, True)
    assert AuditEntry.objects.filter(action="uji_petik.item.purposive").count() == 1
    with pytest.raises(SampleError, match="already in the sample"):
        add_purposive(actor=ACTOR, uji_petik=up, object_id=extra.pk)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kabupaten_code": "63.01.03"}, "bukan kabupaten/kota"),
        ({"tahun": []}, "sedikitnya satu tahun anggaran"),
        ({"tahun": [1999]}, "tidak ada kegiatan \\(investasi\\) di Kabupaten Tanah Laut pada 1999"),
        ({"n": 0}, "sedikitnya 1"),
        ({"seed": -1}, "seed harus antara 0"),
        ({"strata_fields": ["klass"]}, "cannot stratify"),
        ({"purposive": [999999]}, "tidak berada di Kabupaten Tanah Laut"),
        ({"allocation": "luck"}, "alokasi 'luck' tidak dikenal"),
    ],
)
def test_a_sample_that_cannot_be_drawn_says_why(
    works: list[Investment], params: dict[str, Any], message: str
) -> None:
    kabupaten = Region.objects.get(code=params.pop("kabupaten_code", "63.01"))
    base: dict[str, Any] = {"tahun": [2021], "n": 5, "seed": 1, **params}
    with pytest.raises(SampleError, match=message):
        prepare_sample(kabupaten=kabupaten, **base)


def test_rts_can_be_sampled_stratified_by_slum_class(works: list[Investment]) -> None:
    up = draw(n=2, population_kind="rts", strata_fields=["klass"])
    assert up.population == "rts"
    assert [s["label"] for s in up.plan["strata"]] == ["Kumuh Ringan"]
    assert all(i.investment_id is None and i.rt_id for i in up.items.all())


def test_open_follow_ups_are_carried_into_the_next_uji_petik(works: list[Investment]) -> None:
    first = draw(n=3)
    finding = record_finding(
        actor=ACTOR, uji_petik=first, severity="sedang", description="Saluran tersumbat"
    )
    still_open = add_follow_up(actor=ACTOR, finding=finding, action="Bersihkan", responsible="KPP")
    done = add_follow_up(actor=ACTOR, finding=finding, action="Foto", responsible="BKM")
    done.status = FollowUpStatus.DONE
    done.save()
    second = draw(n=3, seed=2)
    carried = FollowUp.objects.get(uji_petik=second)
    assert (carried.carried_from_id, carried.status, carried.action) == (
        still_open.pk,
        "open",
        "Bersihkan",
    )
    still_open.refresh_from_db()
    assert still_open.status == FollowUpStatus.CARRIED
    # A third uji petik carries the copy, not the original a second time.
    third = draw(n=3, seed=3)
    assert FollowUp.objects.get(uji_petik=third).carried_from_id == carried.pk
    assert AuditEntry.objects.filter(action="follow_up.carry").count() == 2


def test_a_facilitator_desa_is_recorded_on_each_item_for_scoping(works: list[Investment]) -> None:
    up = draw(n=15)
    assert up.items.filter(desa_code=SARANG_HALANG).count() == 6
    assert up.items.filter(kecamatan_code="63.01.10").count() == 5
