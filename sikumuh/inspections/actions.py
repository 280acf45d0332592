"""Audited writes of the uji petik: one action per write, audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sikumuh.audit.actions import Actor, build_entry, diff, json_value, record, record_many
from sikumuh.audit.versioning import claim_version
from sikumuh.core.criteria import get_rule_set
from sikumuh.core.sampling import Allocation, SamplePlan, draw
from sikumuh.inspections.identity import identity_of
from sikumuh.inspections.models import (
    Checklist,
    ChecklistSource,
    Finding,
    FollowUp,
    FollowUpStatus,
    Resurvey,
    SampleItem,
    Severity,
    UjiPetik,
)
from sikumuh.inspections.population import (
    INVESTMENTS,
    RTS,
    Unit,
    check_fields,
    population,
    region_names,
    stratum_key,
    stratum_label,
)
from sikumuh.regions.models import Level, Region
from sikumuh.surveys.models import Observation

UJI_PETIK_FIELDS = (
    "title",
    "tahun",
    "population",
    "strata_fields",
    "n_requested",
    "min_per_stratum",
    "allocation",
    "seed",
    "note",
)

#: The checklist answers a form or a submission may set (uji-petik.md, checklist table).
CHECKLIST_FIELDS = (
    "volume_planned",
    "volume_built",
    "meets_spec",
    "quality",
    "function",
    "users_planned",
    "users_actual",
    "kpp_formed",
    "kpp_dues_or_schedule",
    "handed_over",
    "doc_plans_budget",
    "doc_accountability",
    "doc_photos",
    "doc_handover",
    "land_free_of_dispute",
    "no_environmental_harm",
    "notes",
    "latitude",
    "longitude",
    "surveyor",
)
_QUANTA = {
    "volume_planned": Decimal("0.0001"),
    "volume_built": Decimal("0.0001"),
    "latitude": Decimal("0.000001"),
    "longitude": Decimal("0.000001"),
}
#: Largest seed: it must fit a signed 64-bit database integer.
MAX_SEED = 2**63 - 1


# The population in a sentence ("there are no investments of Tanah Laut in 2022").
_POPULATION_WORDS = {
    INVESTMENTS: pgettext_lazy("sample population", "investments"),
    RTS: pgettext_lazy("sample population", "RTs"),
}


class SampleError(ValueError):
    """The sample cannot be drawn as asked (one clear sentence)."""


def _region(item: SampleItem) -> str:
    return item.desa_code or item.uji_petik.kabupaten_id


@dataclass(frozen=True)
class PreparedSample:
    """A drawn sample before it is stored (and what `--dry-run` shows)."""

    kabupaten: str
    years: list[int]
    population_kind: str
    fields: list[str]
    plan: SamplePlan[Unit]
    labels: dict[str, str]
    names: dict[str, str]


def prepare_sample(
    *,
    kabupaten: Region,
    tahun: Sequence[int],
    n: int,
    seed: int,
    population_kind: str = INVESTMENTS,
    strata_fields: Sequence[str] = ("kecamatan", "aspect"),
    minimum: int = 1,
    allocation: str = Allocation.SIZE,
    purposive: Sequence[int] = (),
) -> PreparedSample:
    """Check the parameters, read the population and draw (`sikumuh.core.sampling.draw`);
    writes nothing."""
    if kabupaten.level != Level.KABUPATEN:
        raise SampleError(_("%(code)s is not a kabupaten/kota") % {"code": kabupaten.code})
    if not tahun:
        raise SampleError(_("choose at least one fiscal year"))
    if not 0 <= seed <= MAX_SEED:
        raise SampleError(_("the seed must be between 0 and %(max)s") % {"max": MAX_SEED})
    if n < 1 or minimum < 0:
        raise SampleError(_("the sample size must be at least 1 and the minimum not negative"))
    if allocation not in {a.value for a in Allocation}:
        raise SampleError(_("unknown allocation %(name)r") % {"name": allocation})
    try:
        fields = check_fields(population_kind, strata_fields)
    except (ValueError, KeyError) as exc:
        raise SampleError(str(exc)) from exc
    years = sorted(set(tahun))
    units = population(population_kind, kabupaten.code, years)
    if not units:
        raise SampleError(
            _("there are no %(kind)s of %(region)s in %(years)s")
            % {
                "kind": _POPULATION_WORDS.get(population_kind, population_kind),
                "region": kabupaten.name,
                "years": ", ".join(map(str, years)),
            }
        )
    extra = population(population_kind, kabupaten.code, years, ids=list(purposive))
    missing = sorted(set(purposive) - {u.id for u in extra})
    if missing:
        raise SampleError(
            _("purposive additions %(ids)s are not in %(region)s")
            % {"ids": ", ".join(map(str, missing)), "region": kabupaten.name}
        )
    plan = draw(
        units,
        n=n,
        seed=seed,
        stratum_of=lambda u: stratum_key(u, fields),
        id_of=lambda u: u.id,
        minimum=minimum,
        allocation=allocation,
        cost_of=lambda u: u.cost,
        purposive=extra,
    )
    every = [*units, *extra]
    names = region_names({u.kecamatan for u in every} | {u.desa for u in every})
    keys = {s.key for s in plan.strata} | {d.stratum for d in plan.items}
    labels = {key: stratum_label(key, fields, names) for key in keys}
    return PreparedSample(kabupaten.code, years, population_kind, fields, plan, labels, names)


def draw_sample(
    *,
    actor: Actor,
    kabupaten: Region,
    tahun: Sequence[int],
    n: int,
    seed: int,
    population_kind: str = INVESTMENTS,
    strata_fields: Sequence[str] = ("kecamatan", "aspect"),
    minimum: int = 1,
    allocation: str = Allocation.SIZE,
    purposive: Sequence[int] = (),
    purposive_reason: str = "",
    title: str = "",
    note: str = "",
    carry_follow_ups: bool = True,
    drawn_at: dt.datetime | None = None,
) -> UjiPetik:
    """Draw and store a stratified random sample with its seed and plan; carry the
    kabupaten's open follow-ups into it. `drawn_at` records a draw made earlier (on paper)."""
    prepared = prepare_sample(
        kabupaten=kabupaten,
        tahun=tahun,
        n=n,
        seed=seed,
        population_kind=population_kind,
        strata_fields=strata_fields,
        minimum=minimum,
        allocation=allocation,
        purposive=purposive,
    )
    plan, labels, fields, years = prepared.plan, prepared.labels, prepared.fields, prepared.years
    sizes = {s.key: s.population for s in plan.strata}
    now = drawn_at or timezone.now()
    with transaction.atomic():
        uji_petik = UjiPetik.objects.create(
            kabupaten=kabupaten,
            title=title or f"Uji petik {kabupaten.name} TA {', '.join(map(str, years))}",
            tahun=years,
            population=population_kind,
            strata_fields=fields,
            n_requested=n,
            min_per_stratum=minimum,
            allocation=str(Allocation(allocation)),
            seed=seed,
            plan={
                "population": plan.population,
                "n_random": plan.n_random,
                "n_purposive": plan.n_purposive,
                "strata": [
                    {
                        "key": s.key,
                        "label": labels[s.key],
                        "N": s.population,
                        "n": s.sample,
                        "minimum": s.minimum,
                        "cost": json_value(s.cost),
                        "weight": str(s.weight),
                    }
                    for s in plan.strata
                ],
                "notes": list(plan.notes),
            },
            drawn_at=now,
            drawn_by=actor.user,
            drawn_by_label=actor.label[:150],
            note=note,
        )
        items = [
            _item(uji_petik, d.item, d.stratum, labels.get(d.stratum, ""), d.position)
            for d in plan.items
        ]
        for item, drawn in zip(items, plan.items, strict=True):
            item.stratum_population = sizes.get(drawn.stratum, 0)
            if drawn.purposive:
                item.purposive, item.purposive_reason = True, purposive_reason[:300]
        SampleItem.objects.bulk_create(items)
        record(
            actor=actor,
            action="uji_petik.draw",
            obj=uji_petik,
            changes=diff({}, {name: getattr(uji_petik, name) for name in UJI_PETIK_FIELDS}),
            region_code=kabupaten.code,
            context={"items": len(items), "population": plan.population},
        )
        record_many(
            [
                build_entry(
                    actor=actor,
                    action="uji_petik.item.create",
                    obj=item,
                    changes=diff({}, _item_values(item)),
                    region_code=_region(item),
                    at=now,
                )
                for item in items
            ]
        )
        if carry_follow_ups:
            carry_open_follow_ups(actor=actor, into=uji_petik)
    return uji_petik


def _item(uji_petik: UjiPetik, unit: Unit, key: str, label: str, position: int) -> SampleItem:
    return SampleItem(
        uji_petik=uji_petik,
        investment_id=unit.id if unit.kind == INVESTMENTS else None,
        rt_id=unit.rt_id,
        stratum_key=key[:200],
        stratum_label=label[:300],
        stratum_population=0,
        position=position,
        kecamatan_code=unit.kecamatan,
        desa_code=unit.desa,
    )


def _item_values(item: SampleItem) -> dict[str, Any]:
    return {
        "investment": item.investment_id,
        "rt": item.rt_id,
        "stratum": item.stratum_key,
        "purposive": item.purposive,
        "position": item.position,
    }


def add_purposive(
    *, actor: Actor, uji_petik: UjiPetik, object_id: int, reason: str = ""
) -> SampleItem:
    """Add one work (or RT) chosen by the team, flagged purposive (excluded from estimates)."""
    units = population(
        uji_petik.population, uji_petik.kabupaten_id, uji_petik.tahun, ids=[object_id]
    )
    if not units:
        raise SampleError(f"{uji_petik.population} {object_id} is not in {uji_petik.kabupaten_id}")
    unit = units[0]
    field = "investment_id" if unit.kind == INVESTMENTS else "rt_id"
    if uji_petik.items.filter(**{field: unit.id}).exists():
        raise SampleError(f"{uji_petik.population} {object_id} is already in the sample")
    fields = list(uji_petik.strata_fields)
    key = stratum_key(unit, fields)
    sizes = {s["key"]: s["N"] for s in uji_petik.plan.get("strata", [])}
    with transaction.atomic():
        last = uji_petik.items.aggregate(last=Max("position"))["last"] or 0
        item = _item(
            uji_petik,
            unit,
            key,
            stratum_label(key, fields, region_names([unit.kecamatan, unit.desa])),
            last + 1,
        )
        item.stratum_population = sizes.get(key, 0)
        item.purposive, item.purposive_reason = True, reason[:300]
        item.save()
        record(
            actor=actor,
            action="uji_petik.item.purposive",
            obj=item,
            changes=diff({}, _item_values(item)),
            region_code=_region(item),
            context={"reason": reason},
        )
    return item


#: What a conflicting save shows of the stored re-survey and follow-up.
RESURVEY_FIELDS = ("volumes_found", "facilitator", "measured_by", "measured_on", "notes")
FOLLOW_UP_FIELDS = ("status", "closing_evidence", "closed_at")


def _clean(name: str, value: Any) -> Any:
    """A value at the model's precision, so that saving the same answer twice changes nothing."""
    if name in _QUANTA and value is not None:
        return Decimal(value).quantize(_QUANTA[name])
    if name in {"quality", "function", "notes", "surveyor"}:
        return value or ""
    return value


def save_checklist(
    *,
    actor: Actor,
    item: SampleItem,
    values: Mapping[str, Any],
    source: str = ChecklistSource.WEB,
    submission_id: str | None = None,
    submitted_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> tuple[Checklist, bool]:
    """Create or update the checklist of a sampled item; returns it and whether it changed.

    Answers not in `values` stay as they are; each changed answer is audited. A form's save
    passes the `expected_version` it was opened with (`versioning.NOT_STORED` when there was no
    checklist yet): if someone saved in between, `versioning.StaleEdit`.
    """
    unknown = set(values) - set(CHECKLIST_FIELDS)
    if unknown:
        raise ValueError(f"not checklist fields: {sorted(unknown)}")
    cleaned = {name: _clean(name, value) for name, value in values.items()}
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().filter(sample_item=item).first()
        created = checklist is None
        if checklist is None:
            checklist = Checklist(sample_item=item, identity=identity_of(item))
        meta: dict[str, Any] = {"source": source, "submission_id": submission_id}
        if submitted_at is not None:
            meta["submitted_at"] = submitted_at
        before = {} if created else {n: getattr(checklist, n) for n in [*cleaned, *meta]}
        changes = diff(before, {**cleaned, **meta})
        if not created and not changes:
            return checklist, False
        if not created:
            claim_version(checklist, expected_version, fields=CHECKLIST_FIELDS)
        for name, value in {**cleaned, **meta}.items():
            setattr(checklist, name, value)
        if submitted_at is None:
            checklist.submitted_at = timezone.now()
        checklist.full_clean(exclude=["sample_item", "identity"])
        checklist.save()
        record(
            actor=actor,
            action="checklist.create" if created else "checklist.update",
            obj=checklist,
            changes=changes,
            region_code=_region(item),
            context={"item": item.key, "source": source},
        )
    return checklist, True


def record_finding(
    *,
    actor: Actor,
    uji_petik: UjiPetik,
    severity: str,
    description: str,
    sample_item: SampleItem | None = None,
    photo: File[Any] | None = None,
    photo_ref: str = "",
    submission_id: str = "",
) -> Finding:
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")
    if not description.strip():
        raise ValueError("a finding needs a description")
    if sample_item is not None and sample_item.uji_petik_id != uji_petik.pk:
        raise ValueError("the item belongs to another uji petik")
    with transaction.atomic():
        finding = Finding(
            uji_petik=uji_petik,
            sample_item=sample_item,
            severity=severity,
            description=description.strip(),
            photo_ref=photo_ref[:200],
            submission_id=submission_id[:100],
            created_by_label=actor.label[:150],
        )
        if photo is not None:
            finding.photo.save(photo.name or "foto", photo, save=False)
        finding.save()
        record(
            actor=actor,
            action="finding.create",
            obj=finding,
            changes=diff(
                {},
                {
                    "severity": severity,
                    "description": finding.description,
                    "sample_item": sample_item.pk if sample_item else None,
                    "photo": finding.photo.name or photo_ref or None,
                },
            ),
            region_code=_region(sample_item) if sample_item else uji_petik.kabupaten_id,
        )
    return finding


def add_follow_up(
    *,
    actor: Actor,
    finding: Finding,
    action: str,
    responsible: str,
    deadline: dt.date | None = None,
) -> FollowUp:
    if not action.strip() or not responsible.strip():
        raise ValueError("a follow-up needs an action and a person responsible")
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            uji_petik_id=finding.uji_petik_id,
            finding=finding,
            action=action.strip(),
            responsible=responsible.strip()[:200],
            deadline=deadline,
        )
        record(
            actor=actor,
            action="follow_up.create",
            obj=follow_up,
            changes=diff(
                {},
                {"finding": finding.pk, "action": follow_up.action, "responsible": responsible},
            )
            | diff({}, {"deadline": deadline}),
            region_code=finding.uji_petik.kabupaten_id,
        )
    return follow_up


def close_follow_up(
    *,
    actor: Actor,
    follow_up: FollowUp,
    evidence: str,
    file: File[Any] | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """Mark a follow-up done, with its closing evidence (text and optionally a file).

    The version is claimed first: of two people closing it at once (or one closing it while
    another carries it into the next uji petik) one wins, the other gets `StaleEdit`.
    """
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValueError("only an open follow-up can be closed")
    if not evidence.strip() and file is None:
        raise ValueError("closing a follow-up needs evidence")
    with transaction.atomic():
        claim_version(follow_up, expected_version, fields=FOLLOW_UP_FIELDS)
        follow_up.status = FollowUpStatus.DONE
        follow_up.closing_evidence = evidence.strip()
        follow_up.closed_at = timezone.now()
        if file is not None:
            follow_up.closing_file.save(file.name or "bukti", file, save=False)
        follow_up.save()
        record(
            actor=actor,
            action="follow_up.close",
            obj=follow_up,
            changes={
                "status": [FollowUpStatus.OPEN.value, FollowUpStatus.DONE.value],
                **diff({}, {"closing_evidence": follow_up.closing_evidence}),
                **diff({}, {"closing_file": follow_up.closing_file.name or None}),
            },
            region_code=follow_up.uji_petik.kabupaten_id,
        )
    return follow_up


def carry_open_follow_ups(*, actor: Actor, into: UjiPetik) -> list[FollowUp]:
    """Copy every open follow-up of the kabupaten's earlier uji petik into `into`, marking the
    old ones carried: an open follow-up is tracked in the latest uji petik only."""
    with transaction.atomic():
        old = list(
            FollowUp.objects.select_for_update()
            .filter(
                uji_petik__kabupaten_id=into.kabupaten_id,
                status=FollowUpStatus.OPEN,
                uji_petik__drawn_at__lte=into.drawn_at,
            )
            .exclude(uji_petik=into)
            .order_by("pk")
        )
        carried = []
        for previous in old:
            copy = FollowUp.objects.create(
                uji_petik=into,
                finding_id=previous.finding_id,
                action=previous.action,
                responsible=previous.responsible,
                deadline=previous.deadline,
                carried_from=previous,
            )
            claim_version(previous, None, fields=FOLLOW_UP_FIELDS)
            previous.status = FollowUpStatus.CARRIED
            previous.save(update_fields=["status"])
            carried.append(copy)
            record(
                actor=actor,
                action="follow_up.carry",
                obj=copy,
                changes=diff({}, {"carried_from": previous.pk, "uji_petik": into.pk}),
                region_code=into.kabupaten_id,
            )
            record(
                actor=actor,
                action="follow_up.update",
                obj=previous,
                changes={"status": [FollowUpStatus.OPEN.value, FollowUpStatus.CARRIED.value]},
                region_code=into.kabupaten_id,
                context={"carried_into": copy.pk},
            )
    return carried


def reported_observation(item: SampleItem) -> Observation | None:
    """The observation a re-survey is compared with: the RT's latest up to the last year of the
    uji petik (the data the programme reported for that period)."""
    if item.rt_id is None:
        return None
    last = max(item.uji_petik.tahun) if item.uji_petik.tahun else 9999
    return (
        Observation.objects.filter(rt_id=item.rt_id, tahun__lte=last)
        .select_related("entered_by")
        .order_by("-tahun")
        .first()
    )


def facilitator_of(observation: Observation) -> str:
    """Who reported the data: the user who entered it, else its source."""
    if observation.entered_by is not None:
        return str(observation.entered_by.get_username())
    return str(observation.get_source_display())


def save_resurvey(
    *,
    actor: Actor,
    item: SampleItem,
    volumes_found: Mapping[str, Decimal | None],
    facilitator: str | None = None,
    measured_by: str = "",
    measured_on: dt.date | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> Resurvey:
    """Store (or update) the volumes found on the ground for a sampled item's RT; a form's save
    passes the `expected_version` it was opened with (see `save_checklist`)."""
    observation = reported_observation(item)
    if observation is None:
        raise ValueError(f"{item.key}: no RT data to compare with")
    codes = set(get_rule_set(observation.rule_set).codes)
    unknown = set(volumes_found) - codes
    if unknown:
        raise ValueError(f"not criteria of {observation.rule_set}: {sorted(unknown)}")
    if any(v is not None and v < 0 for v in volumes_found.values()):
        raise ValueError("a volume found cannot be negative")
    values: dict[str, Any] = {
        "observation_id": observation.pk,
        "volumes_found": {
            c: json_value(v) for c, v in sorted(volumes_found.items()) if v is not None
        },
        "facilitator": (facilitator if facilitator is not None else facilitator_of(observation))[
            :150
        ],
        "measured_by": measured_by[:150],
        "measured_on": measured_on or timezone.localdate(),
        "notes": notes,
    }
    with transaction.atomic():
        resurvey = Resurvey.objects.select_for_update().filter(sample_item=item).first()
        before = {} if resurvey is None else {n: getattr(resurvey, n) for n in values}
        if resurvey is None:
            resurvey = Resurvey(sample_item=item)
        changes = diff(before, values)
        if resurvey.pk is not None and not changes:
            return resurvey
        if resurvey.pk is not None:
            claim_version(resurvey, expected_version, fields=RESURVEY_FIELDS)
        for name, value in values.items():
            setattr(resurvey, name, value)
        action = "resurvey.update" if resurvey.pk else "resurvey.create"
        resurvey.save()
        record(actor=actor, action=action, obj=resurvey, changes=changes, region_code=_region(item))
    return resurvey
