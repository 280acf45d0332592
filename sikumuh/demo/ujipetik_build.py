"""The Tanah Laut demo's uji petik, written through the product's own audited actions.

Two spot checks: TA 2020 works (drawn November 2020, its open follow-ups carried forward) and
the TA 2020–2021 works of the news report's "Uji Petik Program KOTAKU TA 2021", with filled
checklists, findings, follow-ups, one purposive addition and three re-surveyed RTs. The answers
are synthetic (`sikumuh.demo.ujipetik`). Idempotent: once the 2021 spot check exists nothing is
written again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import get_rule_set
from sikumuh.demo import ujipetik as answers
from sikumuh.inspections.actions.checklists import (
    add_follow_up,
    close_follow_up,
    record_finding,
    save_checklist,
)
from sikumuh.inspections.actions.resurvey import reported_observation, save_resurvey
from sikumuh.inspections.actions.sample import add_purposive, draw_sample
from sikumuh.inspections.models import ChecklistSource, SampleItem, UjiPetik
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region

_EARLIER_DAYS = tuple(dt.date(2020, 11, d) for d in (23, 24, 25, 26))
_CURRENT_DAYS = tuple(dt.date(2021, m, d) for m, d in ((10, 25), (10, 26), (10, 27), (11, 1)))


def ensure_demo_uji_petik(*, actor: Actor, seed: int = answers.DEFAULT_SEED) -> int:
    """Write the demo's spot checks if absent; returns the number of uji petik created."""
    kabupaten = Region.objects.filter(code=answers.KABUPATEN).first()
    if kabupaten is None:
        return 0
    if UjiPetik.objects.filter(kabupaten=kabupaten, title=answers.CURRENT["title"]).exists():
        return 0
    if not Investment.objects.filter(
        location__kabupaten=kabupaten, tahun__in=answers.CURRENT["tahun"]
    ).exists():
        return 0
    with transaction.atomic():
        earlier = _draw(kabupaten, answers.EARLIER, actor=actor, seed=seed)
        _fill(earlier, _EARLIER_DAYS, actor=actor, seed=seed)
        _open_finding(earlier, actor=actor)
        current = _draw(kabupaten, answers.CURRENT, actor=actor, seed=seed)
        _add_purposive(current, actor=actor)
        _fill(current, _CURRENT_DAYS, actor=actor, seed=seed)
        _resurveys(current, actor=actor, seed=seed)
    return 2


def _draw(kabupaten: Region, spec: dict[str, Any], *, actor: Actor, seed: int) -> UjiPetik:
    return draw_sample(
        actor=actor,
        kabupaten=kabupaten,
        tahun=list(spec["tahun"]),
        n=spec["n"],
        seed=spec["seed"] if seed == answers.DEFAULT_SEED else seed + spec["seed"],
        strata_fields=list(spec["strata"]),
        minimum=1,
        title=spec["title"],
        note=answers.NOTE,
        drawn_at=spec["drawn_at"],
    )


def _open_finding(uji_petik: UjiPetik, *, actor: Actor) -> None:
    """A follow-up of the earlier spot check left open, so that the 2021 one carries it."""
    spec = answers.EARLIER_OPEN_FINDING
    item = uji_petik.items.order_by("position").first()
    finding = record_finding(
        actor=actor,
        uji_petik=uji_petik,
        sample_item=item,
        severity=spec["severity"],
        description=spec["description"],
    )
    add_follow_up(
        actor=actor,
        finding=finding,
        action=spec["action"],
        responsible=spec["responsible"],
        deadline=spec["deadline"],
    )


def _add_purposive(uji_petik: UjiPetik, *, actor: Actor) -> None:
    """The most expensive work the draw left out: the kind of choice a Pokja makes."""
    drawn = uji_petik.items.values_list("investment_id", flat=True)
    biggest = (
        Investment.objects.filter(
            location__kabupaten_id=uji_petik.kabupaten_id, tahun__in=uji_petik.tahun
        )
        .exclude(pk__in=drawn)
        .exclude(cost=None)
        .order_by("-cost", "pk")
        .first()
    )
    if biggest is not None:
        add_purposive(
            actor=actor, uji_petik=uji_petik, object_id=biggest.pk, reason=answers.PURPOSIVE_REASON
        )


def _fill(uji_petik: UjiPetik, days: tuple[dt.date, ...], *, actor: Actor, seed: int) -> None:
    items = SampleItem.objects.filter(uji_petik=uji_petik).select_related(
        "uji_petik", "investment__location", "rt__location"
    )
    for number, item in enumerate(items.order_by("position")):
        inv = item.investment
        if inv is None:
            continue
        answer = answers.checklist(
            seed=seed,
            item=inv.source_ref or str(inv.pk),
            volume=inv.volume.normalize(),
            kecamatan=item.kecamatan_code,
            fieldwork_day=days[number % len(days)],
        )
        save_checklist(
            actor=actor,
            item=item,
            values=answer.values,
            source=ChecklistSource.DEMO,
            submitted_at=answer.submitted_at,
        )
        if answer.finding is None:
            continue
        finding = record_finding(
            actor=actor,
            uji_petik=uji_petik,
            sample_item=item,
            severity=answer.finding.severity,
            description=answer.finding.description,
        )
        follow_up = add_follow_up(
            actor=actor,
            finding=finding,
            action=answer.finding.action,
            responsible=answer.finding.responsible,
            deadline=answer.finding.deadline,
        )
        if answer.finding.closed_with:
            close_follow_up(actor=actor, follow_up=follow_up, evidence=answer.finding.closed_with)


def _resurveys(uji_petik: UjiPetik, *, actor: Actor, seed: int, count: int = 3) -> None:
    """Re-survey the RTs of a few sampled works, one per desa, in sample order."""
    done_desa: set[str] = set()
    items = (
        SampleItem.objects.filter(uji_petik=uji_petik, purposive=False, rt__isnull=False)
        .select_related("uji_petik", "rt")
        .order_by("position")
    )
    for item in items:
        if len(done_desa) >= count or item.desa_code in done_desa:
            continue
        observation = reported_observation(item)
        if observation is None:
            continue
        rules = get_rule_set(observation.rule_set)
        reported = {c: None if v is None else Decimal(v) for c, v in observation.volumes.items()}
        found = answers.resurvey(
            seed=seed,
            item=item.key,
            reported=reported,
            whole={c.code: c.denominator != "luas_ha" for c in rules.criteria},
        )
        save_resurvey(
            actor=actor,
            item=item,
            volumes_found=found,
            facilitator=answers.FACILITATORS[len(done_desa) % len(answers.FACILITATORS)],
            measured_by=answers.SURVEYORS[len(done_desa) % len(answers.SURVEYORS)],
            measured_on=_CURRENT_DAYS[len(done_desa) % len(_CURRENT_DAYS)],
        )
        done_desa.add(item.desa_code)
