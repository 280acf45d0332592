"""Drawing an uji petik's sample and adding purposive items (uji-petik.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sikumuh.audit.actions import Actor, build_entry, diff, json_value, record, record_many
from sikumuh.core.sampling import Allocation, SamplePlan, draw
from sikumuh.inspections.actions import region_of
from sikumuh.inspections.actions.checklists import carry_open_follow_ups
from sikumuh.inspections.models import (
    SampleItem,
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

#: Largest seed: it must fit a signed 64-bit database integer.
MAX_SEED = 2**63 - 1


# The population in a sentence ("there are no investments of Tanah Laut in 2022").
_POPULATION_WORDS = {
    INVESTMENTS: pgettext_lazy("sample population", "investments"),
    RTS: pgettext_lazy("sample population", "RTs"),
}


class SampleError(ValueError):
    """The sample cannot be drawn as asked (one clear sentence)."""


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
                    region_code=region_of(item),
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
    # The stratum as the sample page names it ("Pelaihari × Jalan lingkungan"): its key
    # ("63.01.03|2") means nothing without the sample's strata fields.
    return {
        "investment": item.investment_id,
        "rt": item.rt_id,
        "stratum": item.stratum_label or item.stratum_key,
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
            region_code=region_of(item),
            context={"reason": reason},
        )
    return item


#: What a conflicting save shows of the stored re-survey and follow-up.
