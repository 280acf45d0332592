"""Checklists, findings, follow-ups and re-surveys: audited writes, and the selectors that read
them (estimates against a hand-computed case, reliability, pinned query counts)."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.inspections.actions.checklists import (
    add_follow_up,
    close_follow_up,
    record_finding,
    save_checklist,
)
from sikumuh.inspections.actions.resurvey import save_resurvey
from sikumuh.inspections.models import FollowUpStatus, SampleItem, UjiPetik
from sikumuh.inspections.selectors import (
    answer,
    findings_of,
    follow_ups_of,
    reliability_of,
    sample_view,
    uji_petik_list,
)
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def uji_petik(load_regions_under: Callable[..., int]) -> UjiPetik:
    load_regions_under("63.01")
    build_works()
    return draw(n=6, seed=42)


def items_by_stratum(up: UjiPetik) -> dict[str, list[SampleItem]]:
    grouped: dict[str, list[SampleItem]] = {}
    for item in up.items.order_by("position"):
        grouped.setdefault(item.stratum_key, []).append(item)
    return grouped


def check(item: SampleItem, **values: Any) -> None:
    save_checklist(actor=ACTOR, item=item, values=values)


def test_a_checklist_is_saved_audited_and_saving_it_again_changes_nothing(
    uji_petik: UjiPetik,
) -> None:
    item = uji_petik.items.first()
    assert item is not None
    values = {"function": "berfungsi", "meets_spec": True, "volume_built": Decimal("99.5")}
    checklist, changed = save_checklist(actor=ACTOR, item=item, values=values)
    assert changed
    assert checklist.identity["activity"].startswith("Kegiatan")
    assert checklist.identity["kecamatan"] == "Pelaihari"
    entry = AuditEntry.objects.get(action="checklist.create")
    assert entry.changes["function"] == [None, "berfungsi"]
    assert entry.region_code == item.desa_code
    _again, changed = save_checklist(actor=ACTOR, item=item, values=values)
    assert not changed
    _later, changed = save_checklist(actor=ACTOR, item=item, values={"function": "tidak_berfungsi"})
    assert changed
    update = AuditEntry.objects.get(action="checklist.update")
    assert update.changes["function"] == ["berfungsi", "tidak_berfungsi"]


def test_an_unknown_answer_is_refused(uji_petik: UjiPetik) -> None:
    item = uji_petik.items.first()
    assert item is not None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        save_checklist(actor=ACTOR, item=item, values={"function": "mungkin"})
    with pytest.raises(ValueError, match="not checklist fields"):
        save_checklist(actor=ACTOR, item=item, values={"colour": "red"})


@pytest.mark.parametrize(
    ("kpp", "dues", "maintained"),
    [
        (True, True, True),
        (True, False, False),
        (False, None, False),
        (True, None, None),
        (None, None, None),
    ],
)
def test_maintained_means_a_kpp_with_dues_or_a_schedule(
    uji_petik: UjiPetik, kpp: bool | None, dues: bool | None, maintained: bool | None
) -> None:
    item = uji_petik.items.first()
    assert item is not None
    checklist, _ = save_checklist(
        actor=ACTOR, item=item, values={"kpp_formed": kpp, "kpp_dues_or_schedule": dues}
    )
    assert answer(checklist, "maintained") is maintained


def test_the_estimates_match_a_hand_computed_stratified_case(uji_petik: UjiPetik) -> None:
    roads, drains_p, drains_b = items_by_stratum(uji_petik).values()
    # A: Pelaihari roads N=8, n=3, 2 berfungsi → p̂ = 2/3, Var = (1 − 3/8)(2/3)(1/3)/2 = 5/72
    # B: Pelaihari drains N=2, n=1, berfungsi → p̂ = 1, n_h = 1 < N_h: Var = 1/4 (bound)
    # C: Bajuin drains N=5, n=2, 1 berfungsi → p̂ = 1/2, Var = (1 − 2/5)(1/4)/1 = 3/20
    # W = 8/15, 2/15, 5/15: p̂ = 16/45 + 2/15 + 1/6 = 59/90
    # Var = (8/15)²·5/72 + (2/15)²·1/4 + (5/15)²·3/20
    for item, function in zip(roads, ["berfungsi", "berfungsi", "berfungsi_sebagian"], strict=True):
        check(item, function=function)
    check(drains_p[0], function="berfungsi")
    check(drains_b[0], function="berfungsi")
    check(drains_b[1], function="tidak_berfungsi")
    variance = (
        Fraction(8, 15) ** 2 * Fraction(5, 72)
        + Fraction(2, 15) ** 2 * Fraction(1, 4)
        + Fraction(5, 15) ** 2 * Fraction(3, 20)
    )
    function = sample_view(uji_petik).estimates[0]
    assert function.code == "function"
    e = function.estimate
    assert e.p == pytest.approx(59 / 90)
    assert e.variance == pytest.approx(float(variance))
    assert e.low == pytest.approx(59 / 90 - 1.96 * math.sqrt(variance))
    assert e.conservative
    assert (e.answered, e.positive) == (6, 4)
    # Not answered for spec or maintenance: no estimate, every stratum uncovered.
    assert sample_view(uji_petik).estimates[1].estimate.p is None


def test_purposive_items_are_counted_apart_and_not_in_the_estimate(uji_petik: UjiPetik) -> None:
    from sikumuh.inspections.actions.sample import add_purposive

    taken = set(uji_petik.items.values_list("investment_id", flat=True))
    from sikumuh.investments.models import Investment

    extra = Investment.objects.filter(tahun=2021).exclude(pk__in=taken).first()
    assert extra is not None
    purposive = add_purposive(actor=ACTOR, uji_petik=uji_petik, object_id=extra.pk)
    check(purposive, function="tidak_berfungsi")
    first = uji_petik.items.filter(purposive=False).first()
    assert first is not None
    check(first, function="berfungsi")
    function = sample_view(uji_petik).estimates[0]
    assert (function.estimate.answered, function.estimate.p) == (1, 1.0)
    assert (function.purposive_answered, function.purposive_yes) == (1, 0)


def test_findings_and_follow_ups_are_audited_and_closed_with_evidence(
    uji_petik: UjiPetik,
) -> None:
    item = uji_petik.items.first()
    finding = record_finding(
        actor=ACTOR,
        uji_petik=uji_petik,
        sample_item=item,
        severity="tinggi",
        description="Jalan retak di 3 titik",
    )
    follow_up = add_follow_up(
        actor=ACTOR, finding=finding, action="Perbaikan", responsible="Dinas Perkim"
    )
    close_follow_up(actor=ACTOR, follow_up=follow_up, evidence="Foto perbaikan 12/12")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.closed_at is not None
    assert set(
        AuditEntry.objects.filter(object_type__startswith="inspections.").values_list(
            "action", flat=True
        )
    ) >= {"finding.create", "follow_up.create", "follow_up.close"}
    with pytest.raises(ValueError, match="only an open"):
        close_follow_up(actor=ACTOR, follow_up=follow_up, evidence="lagi")


def test_closing_a_follow_up_needs_evidence(uji_petik: UjiPetik) -> None:
    finding = record_finding(actor=ACTOR, uji_petik=uji_petik, severity="rendah", description="x")
    follow_up = add_follow_up(actor=ACTOR, finding=finding, action="y", responsible="z")
    with pytest.raises(ValueError, match="needs evidence"):
        close_follow_up(actor=ACTOR, follow_up=follow_up, evidence="  ")


def test_a_resurvey_compares_found_volumes_with_the_reported_ones(uji_petik: UjiPetik) -> None:
    item = uji_petik.items.first()
    assert item is not None
    # Reported (tests.factories, share 0.5): 2a = 780 × 0.5 = 390 m of road not served (50 %).
    resurvey = save_resurvey(
        actor=ACTOR, item=item, volumes_found={"2a": Decimal(390), "4b": Decimal(300)}
    )
    assert resurvey.facilitator == "Formulir"  # no user entered it: its source
    view = reliability_of(uji_petik)
    (row,) = view.rows
    assert row.record.found == {"2a": Decimal(390), "4b": Decimal(300)}
    # 4b: drains 385 m ideal, 192.5 reported (50 %) → 300 found (77.92 %): 27.92 points off.
    summary = view.summary
    assert (summary.overall.compared, summary.overall.within) == (2, 1)
    assert summary.changed_class == 0
    assert AuditEntry.objects.filter(action="resurvey.create").count() == 1
    # Saving the same values again writes nothing.
    save_resurvey(
        actor=ACTOR,
        item=item,
        volumes_found={"2a": Decimal(390), "4b": Decimal(300)},
        measured_on=resurvey.measured_on,
    )
    assert AuditEntry.objects.filter(action__startswith="resurvey.").count() == 1


def test_a_resurvey_refuses_unknown_criteria_and_negative_volumes(uji_petik: UjiPetik) -> None:
    item = uji_petik.items.first()
    assert item is not None
    with pytest.raises(ValueError, match="not criteria"):
        save_resurvey(actor=ACTOR, item=item, volumes_found={"9z": Decimal(1)})
    with pytest.raises(ValueError, match="negative"):
        save_resurvey(actor=ACTOR, item=item, volumes_found={"2a": Decimal(-1)})


def test_the_page_selectors_read_with_a_fixed_number_of_queries(
    uji_petik: UjiPetik, django_assert_num_queries: Any
) -> None:
    for item in uji_petik.items.all():
        check(item, function="berfungsi", meets_spec=True)
        save_resurvey(actor=ACTOR, item=item, volumes_found={"2a": Decimal(1)})
        finding = record_finding(
            actor=ACTOR, uji_petik=uji_petik, sample_item=item, severity="rendah", description="x"
        )
        add_follow_up(actor=ACTOR, finding=finding, action="a", responsible="b")
    with django_assert_num_queries(2):  # items (with checklists), region names
        sample_view(uji_petik)
    with django_assert_num_queries(2):  # findings, their follow-ups
        findings = findings_of(uji_petik)
        assert all(len(f.follow_ups.all()) == 1 for f in findings)
    with django_assert_num_queries(1):
        follow_ups = follow_ups_of(uji_petik)
        assert [f.finding.uji_petik_id for f in follow_ups]
    with django_assert_num_queries(1):
        assert len(reliability_of(uji_petik).rows) == 6
    with django_assert_num_queries(1):
        (listed,) = list(uji_petik_list("63.01"))
        assert (listed.item_count, listed.checked_count, listed.open_follow_ups) == (6, 6, 6)
