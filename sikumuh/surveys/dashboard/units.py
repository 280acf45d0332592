"""Reads for one slum location and for one RT: their years, classes and the criteria behind them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from sikumuh.core.asof import as_of_series, series_years
from sikumuh.core.criteria import HEADER_FIELDS, Criterion, get_rule_set
from sikumuh.core.scoring import UnitResult
from sikumuh.core.whatif import WhatIf, explain
from sikumuh.slums.models import Location, RtUnit, SkDecree, SkLocation
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter
from sikumuh.surveys.dashboard.figures import YearArea, to_ha
from sikumuh.surveys.dashboard.locations import score_location_rows
from sikumuh.surveys.dashboard.unapproved import Unapproved, common_region, tally_rows
from sikumuh.surveys.models import Observation, Source, Status
from sikumuh.surveys.scoring import header_of, unit_input

# --- A location ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RtYear:
    """One RT in one year, as stored (its `Score`)."""

    tahun: int
    klass: str | None
    total: int | None
    luas_ha: Decimal | None


@dataclass
class RtRow:
    """An RT of the location with its stored class per year."""

    id: int
    rt: str
    years: dict[int, RtYear]


@dataclass(frozen=True)
class SkEntry:
    """The location in one SK version; ``in_force`` for the kabupaten's latest decree."""

    decree_id: int
    number: str
    year: int
    luas_ha: Decimal
    in_force: bool


@dataclass
class LocationDetail:
    """A location over the years: its class from the sum of its RTs (criteria.md §5) and its RTs'
    hectares per class, per year; its RTs; the SK versions that list it. ``unapproved``: its
    RT-years not approved by the Pokja yet, per year (newest first); ``review_code``: the
    smallest region holding their RTs' desa, whose review page lists them."""

    location: Location
    years: list[YearArea]
    results: dict[int, UnitResult]
    rts: list[RtRow]
    sk_entries: list[SkEntry]
    is_demo: bool
    unapproved: list[Unapproved] = field(default_factory=list)
    review_code: str | None = None

    @property
    def latest_year(self) -> int | None:
        return self.years[-1].tahun if self.years else None

    @property
    def latest_result(self) -> UnitResult | None:
        year = self.latest_year
        return None if year is None else self.results.get(year)

    @property
    def sk_ha(self) -> Decimal | None:
        """Hectares in the SK in force (None when the latest SK does not list the location)."""
        return next((e.luas_ha for e in self.sk_entries if e.in_force), None)

    @property
    def area_ha(self) -> Decimal | None:
        """The location's area for kewenangan: its SK hectares, else its RTs' area (latest year)."""
        if self.sk_ha is not None:
            return self.sk_ha
        if not self.years:
            return None
        last = self.years[-1]
        return sum((c.ha for c in last.by_class.values()), last.unscored.ha)


def location_detail(location: Location, status: StatusFilter = ALL) -> LocationDetail:
    """Everything the location page shows (3 queries; the location is already loaded), from
    all data or the approved only (``status``: the official profile, criteria.md §9)."""
    observations = Observation.objects.filter(rt__location_id=location.pk)
    if status == APPROVED:
        observations = observations.filter(status=Status.APPROVED)
    rows = list(
        observations
        .order_by("tahun", "rt_id")
        .values(
            "rt_id", "tahun", "rule_set", "volumes", "percents", "source", "status",
            *HEADER_FIELDS, location_id=F("rt__location_id"), desa_id=F("rt__desa_id"),
            klass=F("score__klass"), total=F("score__total"), luas=F("score__luas_ha"),
        )
    )  # fmt: skip
    rt_years: dict[int, dict[int, RtYear]] = defaultdict(dict)
    for row in rows:
        rt_years[row["rt_id"]][row["tahun"]] = RtYear(
            row["tahun"], row["klass"], row["total"], row["luas"]
        )
    # Each year as of itself (criteria.md §9): every RT with its latest observation up to it.
    series = as_of_series(rows, series_years(r["tahun"] for r in rows), unit=_rt, year=_tahun)
    years: list[YearArea] = []
    results: dict[int, UnitResult] = {}
    for tahun, counted in series.items():
        scored = score_location_rows(counted.values(), tahun)[location.pk]
        years.append(scored.area)
        if scored.result is not None:
            results[tahun] = scored.result
    rts = [
        RtRow(rt_id, label, rt_years.get(rt_id, {}))
        for rt_id, label in RtUnit.objects.filter(location_id=location.pk)
        .order_by("rt", "id")
        .values_list("id", "rt")
    ]
    return LocationDetail(
        location=location,
        years=years,
        results=results,
        rts=rts,
        sk_entries=_sk_entries(location),
        is_demo=any(row["source"] == Source.DEMO for row in rows),
        unapproved=tally_rows(rows),
        review_code=common_region(r["desa_id"] for r in rows if r["status"] != Status.APPROVED),
    )


def _rt(row: Mapping[str, Any]) -> int:
    return int(row["rt_id"])


def _tahun(row: Mapping[str, Any]) -> int:
    return int(row["tahun"])


def _sk_entries(location: Location) -> list[SkEntry]:
    newer = SkDecree.objects.filter(kabupaten_id=OuterRef("decree__kabupaten_id")).filter(
        Q(year__gt=OuterRef("decree__year"))
        | Q(year=OuterRef("decree__year"), id__gt=OuterRef("decree_id"))
    )
    entries = (
        SkLocation.objects.filter(location_id=location.pk)
        .annotate(superseded=Exists(newer))
        .order_by("-decree__year", "-decree_id")
        .values("decree_id", "decree__number", "decree__year", "luas_ha", "superseded")
    )
    return [
        SkEntry(
            e["decree_id"],
            e["decree__number"],
            e["decree__year"],
            to_ha(e["luas_ha"]),
            not e["superseded"],
        )
        for e in entries
    ]


# --- An RT ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """One line of the RT's criteria table: what was measured, against what, and its score."""

    criterion: Criterion
    volume: Decimal | None
    given_percent: Decimal | None
    denominator: Decimal | None
    percent: Decimal | None
    score: int | None
    warnings: tuple[str, ...]


@dataclass
class RtDetail:
    """An RT with every year it was observed (observations with their stored scores)."""

    rt: RtUnit
    observations: list[Observation]

    @property
    def years(self) -> list[int]:
        return [o.tahun for o in self.observations]

    def at(self, tahun: int | None) -> Observation | None:
        """The observation of `tahun` (default: the latest); None when there is none."""
        if tahun is None:
            return self.observations[-1] if self.observations else None
        return next((o for o in self.observations if o.tahun == tahun), None)


def rt_detail(rt: RtUnit) -> RtDetail:
    """The RT's observations of every year, with their scores (1 query)."""
    observations = list(
        Observation.objects.filter(rt_id=rt.pk).select_related("score").order_by("tahun")
    )
    return RtDetail(rt, observations)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def criteria_rows(observation: Observation) -> list[CriterionRow]:
    """The criteria table of one observation, from its stored score and its entered values."""
    rule_set = get_rule_set(observation.rule_set)
    score = getattr(observation, "score", None)
    percents = score.percents if score else {}
    scores = score.scores if score else {}
    warnings: dict[str, list[str]] = defaultdict(list)
    for item in score.warnings if score else []:
        code, _, criterion = str(item).partition(":")
        warnings[criterion].append(code)
    return [
        CriterionRow(
            criterion=c,
            volume=_decimal(observation.volumes.get(c.code)),
            given_percent=_decimal(observation.percents.get(c.code)),
            denominator=getattr(observation, c.denominator),
            percent=_decimal(percents.get(c.code)),
            score=scores.get(c.code),
            warnings=tuple(warnings.get(c.code, ())),
        )
        for c in rule_set.criteria
    ]


def what_if(observation: Observation) -> WhatIf | None:
    """What would lower the RT's class (None when the RT has scoring errors)."""
    unit = unit_input(header_of(observation), observation.volumes, observation.percents)
    return explain(unit, get_rule_set(observation.rule_set))
