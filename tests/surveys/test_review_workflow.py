"""Review and yearly lock: facilitators submit, the Pokja approves or returns, the admin locks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.regions.models import Region
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation, ReviewEvent, Status, YearLock
from sikumuh.surveys.review import (
    NotAllowed,
    ReviewError,
    YearLocked,
    approve_desa_year,
    assert_not_locked,
    lock_year,
    return_desa_year,
    submit_desa_year,
    unlock_year,
)
from tests import factories

DESA = "63.01.03.1001"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages asserted in English (the site's default language is Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def rts(personas: Any) -> list[Any]:
    location = factories.location("L-01", DESA)
    return [factories.rt(location, "001"), factories.rt(location, "002")]


def as_(personas: Any, name: str) -> Actor:
    return Actor.of(personas[name])


def save(actor: Actor, rt: Any, share: str = "0.5", tahun: int = 2021) -> Observation:
    obs, _ = save_observation(
        actor=actor,
        rt=rt,
        tahun=tahun,
        header=factories.HEADER,
        volumes=factories.volumes_at(share),
    )
    return obs


def statuses() -> list[str]:
    return sorted(Observation.objects.values_list("status", flat=True))


def test_the_whole_workflow_submit_approve_lock_refuse_unlock_save(
    personas: Any, rts: list[Any]
) -> None:
    desa = Region.objects.get(code=DESA)
    kabupaten = Region.objects.get(code="63.01")
    facilitator, reviewer, admin = (as_(personas, n) for n in ("facilitator", "reviewer", "admin"))
    for rt in rts:
        save(facilitator, rt)
    assert statuses() == ["draft", "draft"]

    assert submit_desa_year(actor=facilitator, desa=desa, tahun=2021).moved == 2
    assert statuses() == ["submitted", "submitted"]
    assert approve_desa_year(actor=reviewer, desa=desa, tahun=2021).moved == 2
    assert statuses() == ["approved", "approved"]
    lock = lock_year(actor=admin, kabupaten=kabupaten, tahun=2021)
    assert lock.locked
    assert lock.locked_by_label == "admin"

    with pytest.raises(YearLocked, match=r"year 2021 of Kabupaten Tanah Laut is locked"):
        save(facilitator, rts[0], share="0.9")
    with pytest.raises(ReviewError, match="needs a reason"):
        unlock_year(actor=admin, kabupaten=kabupaten, tahun=2021, reason="  ")

    unlock_year(actor=admin, kabupaten=kabupaten, tahun=2021, reason="koreksi data RT 001")
    obs = save(facilitator, rts[0], share="0.9")
    assert obs.status == Status.DRAFT  # a facilitator's change needs a new review
    lock.refresh_from_db()
    assert (lock.locked, lock.unlock_reason, lock.unlocked_by_label) == (
        False,
        "koreksi data RT 001",
        "admin",
    )
    unlock = AuditEntry.objects.get(action="year.unlock")
    assert unlock.changes["locked"] == [True, False]
    assert unlock.context["reason"] == "koreksi data RT 001"


def test_returning_needs_a_comment_and_sends_the_data_back_to_the_facilitator(
    personas: Any, rts: list[Any]
) -> None:
    desa = Region.objects.get(code=DESA)
    save(as_(personas, "facilitator"), rts[0])
    submit_desa_year(actor=as_(personas, "facilitator"), desa=desa, tahun=2021)

    with pytest.raises(ReviewError, match="needs a comment"):
        return_desa_year(actor=as_(personas, "reviewer"), desa=desa, tahun=2021, comment=" ")
    assert statuses() == ["submitted"]

    step = return_desa_year(
        actor=as_(personas, "reviewer"), desa=desa, tahun=2021, comment="RT 001: luas salah"
    )
    assert statuses() == ["returned"]
    assert step.event.comment == "RT 001: luas salah"
    assert list(step.event.observations.all()) == list(Observation.objects.all())
    # The facilitator may submit again (returned counts as submittable).
    submit_desa_year(actor=as_(personas, "facilitator"), desa=desa, tahun=2021)
    assert statuses() == ["submitted"]
    assert list(ReviewEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
    ]


def test_each_status_change_is_audited_per_observation_with_before_and_after(
    personas: Any, rts: list[Any]
) -> None:
    desa = Region.objects.get(code=DESA)
    obs = save(as_(personas, "facilitator"), rts[0])
    submit_desa_year(actor=as_(personas, "facilitator"), desa=desa, tahun=2021)
    entry = AuditEntry.objects.get(action="observation.submit")
    assert (entry.object_id, entry.changes, entry.actor_label) == (
        str(obs.pk),
        {"status": ["draft", "submitted"]},
        "facilitator",
    )
    assert entry.region_code == DESA
    assert AuditEntry.objects.filter(action="review.submit").count() == 1


#: Who may not take which step (each refused before anything changes).
REFUSED_STEPS = [
    ("viewer", "submit"),
    ("reviewer", "submit"),
    ("outsider", "submit"),
    ("facilitator", "approve"),
    ("viewer", "approve"),
    ("outsider", "approve"),
    ("facilitator", "return"),
    ("viewer", "return"),
    ("reviewer", "lock"),
    ("facilitator", "lock"),
    ("viewer", "lock"),
    ("outsider", "lock"),
    ("reviewer", "unlock"),
    ("outsider", "unlock"),
]


def test_a_role_that_may_not_take_a_step_is_refused(personas: Any, rts: list[Any]) -> None:
    desa = Region.objects.get(code=DESA)
    kabupaten = Region.objects.get(code="63.01")
    save(as_(personas, "facilitator"), rts[0])
    submit_desa_year(actor=as_(personas, "facilitator"), desa=desa, tahun=2021)
    save(as_(personas, "admin"), rts[1], tahun=2019)
    lock_year(actor=as_(personas, "admin"), kabupaten=kabupaten, tahun=2019)

    def step(name: str, actor: Actor) -> object:
        return {
            "submit": lambda: submit_desa_year(actor=actor, desa=desa, tahun=2021),
            "approve": lambda: approve_desa_year(actor=actor, desa=desa, tahun=2021),
            "return": lambda: return_desa_year(actor=actor, desa=desa, tahun=2021, comment="x"),
            "lock": lambda: lock_year(actor=actor, kabupaten=kabupaten, tahun=2021),
            "unlock": lambda: unlock_year(actor=actor, kabupaten=kabupaten, tahun=2019, reason="x"),
        }[name]()

    for who, name in REFUSED_STEPS:
        with pytest.raises(NotAllowed):
            step(name, as_(personas, who))
    assert statuses() == ["approved", "submitted"]
    assert YearLock.objects.get(tahun=2019).locked


def test_a_year_with_data_not_yet_approved_cannot_be_locked(personas: Any, rts: list[Any]) -> None:
    save(as_(personas, "facilitator"), rts[0])
    with pytest.raises(ReviewError, match=r"1 RT observations of 63\.01 in 2021 are not approved"):
        lock_year(
            actor=as_(personas, "admin"), kabupaten=Region.objects.get(code="63.01"), tahun=2021
        )
    assert not YearLock.objects.exists()


def test_a_locked_year_also_freezes_its_review_state(personas: Any, rts: list[Any]) -> None:
    desa = Region.objects.get(code=DESA)
    save(as_(personas, "admin"), rts[0])
    lock_year(actor=as_(personas, "admin"), kabupaten=Region.objects.get(code="63.01"), tahun=2021)
    with pytest.raises(YearLocked):
        submit_desa_year(actor=as_(personas, "facilitator"), desa=desa, tahun=2021)


def test_the_lock_is_per_kabupaten_and_year(personas: Any, rts: list[Any]) -> None:
    save(as_(personas, "admin"), rts[0], tahun=2019)
    lock_year(actor=as_(personas, "admin"), kabupaten=Region.objects.get(code="63.01"), tahun=2019)
    assert_not_locked("63.01", 2021)
    assert_not_locked("33.75", 2019)
    with pytest.raises(YearLocked):
        assert_not_locked("63.01", 2019)
    save(as_(personas, "facilitator"), rts[0], tahun=2021)  # another year: fine


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", "approved"), ("reviewer", "approved"), ("facilitator", "draft")],
)
def test_new_data_land_approved_from_the_pokja_and_as_drafts_from_facilitators(
    personas: Any, rts: list[Any], who: str, status: str
) -> None:
    # (A reviewer cannot edit through the pages; the rule still holds for the action itself.)
    assert save(as_(personas, who), rts[0]).status == status


def test_system_writes_land_approved_and_a_facilitator_edit_makes_them_draft_again(
    personas: Any, rts: list[Any]
) -> None:
    obs = save(Actor.system("test"), rts[0])
    assert obs.status == Status.APPROVED
    obs = save(as_(personas, "facilitator"), rts[0], share="0.8")
    assert obs.status == Status.DRAFT
    entry = AuditEntry.objects.filter(action="observation.update").latest("id")
    assert entry.changes["status"] == ["approved", "draft"]


def test_submitting_nothing_says_so(personas: Any, rts: list[Any]) -> None:
    with pytest.raises(
        ReviewError,
        match=r"no RT data of 63\.01\.03\.1001 in 2021 waiting for this step \(submit\)",
    ):
        submit_desa_year(
            actor=as_(personas, "facilitator"), desa=Region.objects.get(code=DESA), tahun=2021
        )
    assert not ReviewEvent.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="review").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2026-12-07T15:59:00+00:00", "7 Desember 2026"),  # 23.59 WITA
        ("2026-12-07T16:30:00+00:00", "8 Desember 2026"),  # 00.30 WITA, still the 7th in Jakarta
    ],
)
def test_a_lock_s_day_is_read_in_the_regency_s_own_time_zone(
    personas: Any, utc: str, day: str
) -> None:
    import datetime as dt

    from sikumuh.surveys.review import lock_text

    # Tanah Laut (63.01) is in Kalimantan Selatan: WITA, an hour ahead of Jakarta.
    lock = YearLock(
        kabupaten_id="63.01",
        tahun=2019,
        locked=True,
        locked_at=dt.datetime.fromisoformat(utc),
        locked_by_label="admin",
    )
    with translation.override("id"):
        assert f"oleh admin pada {day})" in lock_text(lock)
