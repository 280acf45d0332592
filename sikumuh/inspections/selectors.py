"""Reads of the uji petik pages and reports: a fixed number of queries each (tests pin them).

Fetching is kept apart from calculating: the estimates and the reliability summary are computed
by `sikumuh.core.estimates` from plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sikumuh.core.criteria import get_rule_set
from sikumuh.core.estimates import (
    DEFAULT_TOLERANCE_PP,
    ProportionEstimate,
    ReliabilitySummary,
    ResurveyRecord,
    reliability,
    stratified_proportion,
)
from sikumuh.core.sampling import draw
from sikumuh.inspections.identity import label_of
from sikumuh.inspections.models import (
    Checklist,
    Finding,
    FollowUp,
    FollowUpStatus,
    Function,
    Resurvey,
    SampleItem,
    UjiPetik,
)
from sikumuh.inspections.population import population, region_names, stratum_key
from sikumuh.regions.codes import NATIONAL
from sikumuh.surveys.scoring import header_of, score_values

#: The three shares the report gives (uji-petik.md "What the report shows").
INDICATORS: tuple[tuple[str, StrOrPromise], ...] = (
    ("function", _("Fully functioning")),
    ("spec", _("Built to specification")),
    ("maintained", _("Maintained (KPP with dues or schedule)")),
)


def answer(checklist: Checklist | None, indicator: str) -> bool | None:
    """The item's answer for one indicator; None = not answered (left out of the estimate).

    "Fully functioning" is `berfungsi` only: "berfungsi sebagian" counts as not fully working.
    """
    if checklist is None:
        return None
    if indicator == "function":
        return None if not checklist.function else checklist.function == Function.BERFUNGSI
    if indicator == "spec":
        return checklist.meets_spec
    if indicator == "maintained":
        return checklist.maintained
    raise ValueError(f"unknown indicator {indicator!r}")


def uji_petik_list(code: str) -> QuerySet[UjiPetik]:
    """The uji petik of a kabupaten (or of every kabupaten inside a province, or all for
    "ID") with item, checklist and open follow-up counts: one query."""
    queryset = UjiPetik.objects.all()
    if code != NATIONAL:
        queryset = queryset.filter(Q(kabupaten_id=code) | Q(kabupaten__code__startswith=code + "."))
    return (
        queryset.select_related("kabupaten")
        .annotate(
            item_count=Count("items", distinct=True),
            checked_count=Count("items__checklist", distinct=True),
            open_follow_ups=Count(
                "follow_ups", filter=Q(follow_ups__status=FollowUpStatus.OPEN), distinct=True
            ),
        )
        .order_by("kabupaten_id", "-drawn_at", "-id")
    )


def items_in_region(code: str, limit: int = 500) -> list[SampleItem]:
    """Sampled items lying in a kecamatan or desa, newest uji petik first (one query): what a
    facilitator of that region is asked to check."""
    return list(
        SampleItem.objects.filter(Q(desa_code=code) | Q(desa_code__startswith=code + "."))
        .select_related("uji_petik", "investment__location", "rt__location", "checklist")
        .order_by("-uji_petik__drawn_at", "uji_petik_id", "position")[:limit]
    )


def latest_uji_petik(kabupaten: str, tahun: int | None = None) -> UjiPetik | None:
    """The most recently drawn uji petik of the kabupaten (covering `tahun` if given)."""
    candidates = UjiPetik.objects.filter(kabupaten_id=kabupaten).order_by("-drawn_at", "-id")
    for uji_petik in candidates:
        if tahun is None or tahun in uji_petik.tahun:
            return uji_petik
    return None


def sample_items(uji_petik: UjiPetik) -> list[SampleItem]:
    """The sample with each item's work, RT, checklist and re-survey (one query)."""
    return list(
        SampleItem.objects.filter(uji_petik=uji_petik)
        .select_related(
            "uji_petik", "investment__location", "rt__location", "checklist", "resurvey"
        )
        .order_by("position")
    )


def _checklist(item: SampleItem) -> Checklist | None:
    try:
        return item.checklist
    except Checklist.DoesNotExist:
        return None


def _resurvey(item: SampleItem) -> Resurvey | None:
    try:
        return item.resurvey
    except Resurvey.DoesNotExist:
        return None


@dataclass
class ItemRow:
    item: SampleItem
    label: str
    checklist: Checklist | None
    resurveyed: bool


@dataclass
class IndicatorEstimate:
    code: str
    label: StrOrPromise
    estimate: ProportionEstimate
    # Purposive items apart, unweighted: (answered, yes).
    purposive_answered: int
    purposive_yes: int


@dataclass
class SampleView:
    uji_petik: UjiPetik
    rows: list[ItemRow]
    names: dict[str, str]
    strata: list[dict[str, Any]]
    estimates: list[IndicatorEstimate] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(1 for r in self.rows if r.checklist is not None)


def sample_view(uji_petik: UjiPetik) -> SampleView:
    """Plan, sample list and estimates of one uji petik: 2 queries (items, region names)."""
    items = sample_items(uji_petik)
    names = region_names({i.kecamatan_code for i in items} | {i.desa_code for i in items})
    rows = [
        ItemRow(item, label_of(item, names), _checklist(item), _resurvey(item) is not None)
        for item in items
    ]
    return SampleView(
        uji_petik=uji_petik,
        rows=rows,
        names=names,
        strata=list(uji_petik.plan.get("strata", [])),
        estimates=compute_estimates(uji_petik, items),
    )


def compute_estimates(uji_petik: UjiPetik, items: Sequence[SampleItem]) -> list[IndicatorEstimate]:
    """Each indicator's stratified estimate from the random items; purposive ones apart."""
    strata = {s["key"]: int(s["N"]) for s in uji_petik.plan.get("strata", [])}
    result = []
    for code, label in INDICATORS:
        random_answers: list[tuple[str, bool]] = []
        purposive = [0, 0]
        for item in items:
            value = answer(_checklist(item), code)
            if value is None:
                continue
            if item.purposive:
                purposive[0] += 1
                purposive[1] += value
            elif item.stratum_key in strata:
                random_answers.append((item.stratum_key, value))
        estimate = stratified_proportion(strata, random_answers)
        result.append(IndicatorEstimate(code, label, estimate, purposive[0], purposive[1]))
    return result


def redraw_matches(uji_petik: UjiPetik) -> bool:
    """Draw again with the stored seed and parameters from today's population: True when the
    random items are the same ones (the check anyone can make)."""
    units = population(uji_petik.population, uji_petik.kabupaten_id, uji_petik.tahun)
    fields = list(uji_petik.strata_fields)
    plan = draw(
        units,
        n=uji_petik.n_requested,
        seed=uji_petik.seed,
        stratum_of=lambda u: stratum_key(u, fields),
        id_of=lambda u: u.id,
        minimum=uji_petik.min_per_stratum,
        allocation=uji_petik.allocation,
        cost_of=lambda u: u.cost,
    )
    field_name = "investment_id" if uji_petik.population == "investments" else "rt_id"
    stored = list(
        uji_petik.items.filter(purposive=False)
        .order_by("position")
        .values_list(field_name, flat=True)
    )
    return [int(d.item_id) for d in plan.items] == stored


# --- Findings and follow-ups -------------------------------------------------------------------


def findings_of(uji_petik: UjiPetik) -> list[Finding]:
    """Findings with their follow-ups (two queries)."""
    return list(
        Finding.objects.filter(uji_petik=uji_petik)
        .select_related("sample_item")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("deadline", "id"))
        )
    )


def follow_ups_of(uji_petik: UjiPetik) -> list[FollowUp]:
    """Every follow-up tracked in this uji petik, carried ones included (one query)."""
    return list(
        FollowUp.objects.filter(uji_petik=uji_petik)
        .select_related("finding__uji_petik", "finding__sample_item", "carried_from__uji_petik")
        .order_by("status", "deadline", "id")
    )


def open_follow_ups(kabupaten: str) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(uji_petik__kabupaten_id=kabupaten, status=FollowUpStatus.OPEN)
        .select_related("finding", "uji_petik")
        .order_by("deadline", "id")
    )


# --- Data reliability --------------------------------------------------------------------------


@dataclass
class ResurveyRow:
    item: SampleItem
    resurvey: Resurvey
    record: ResurveyRecord


@dataclass
class ReliabilityView:
    summary: ReliabilitySummary
    rows: list[ResurveyRow]
    codes: tuple[str, ...]


def reliability_of(
    uji_petik: UjiPetik, *, tolerance_pp: Decimal = DEFAULT_TOLERANCE_PP
) -> ReliabilityView:
    """Reported against found volumes for every re-surveyed item (one query)."""
    resurveys = list(
        Resurvey.objects.filter(sample_item__uji_petik=uji_petik)
        .select_related("sample_item__rt", "observation")
        .order_by("sample_item__position")
    )
    rows: list[ResurveyRow] = []
    codes: tuple[str, ...] = ()
    for resurvey in resurveys:
        obs = resurvey.observation
        rules = get_rule_set(obs.rule_set)
        codes = codes or rules.codes
        header = header_of(obs)
        reported = {c: _dec(obs.volumes.get(c)) for c in rules.codes}
        found = {c: _dec(v) for c, v in resurvey.volumes_found.items()}
        before = score_values(
            header=header, volumes=dict(reported), percents=obs.percents, rule_set_id=obs.rule_set
        )
        after = score_values(
            header=header,
            volumes={**reported, **found},
            percents=obs.percents,
            rule_set_id=obs.rule_set,
        )
        item = resurvey.sample_item
        rows.append(
            ResurveyRow(
                item,
                resurvey,
                ResurveyRecord(
                    rt=f"{item.key} RT {item.rt.rt if item.rt else ''}".strip(),
                    desa=item.desa_code,
                    facilitator=resurvey.facilitator or "–",
                    reported=reported,
                    found=found,
                    percent_reported=before.percent,
                    percent_found=after.percent,
                    class_reported=before.klass.value if before.klass else None,
                    class_found=after.klass.value if after.klass else None,
                ),
            )
        )
    summary = reliability([r.record for r in rows], codes, tolerance_pp=tolerance_pp)
    return ReliabilityView(summary, rows, codes)


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
