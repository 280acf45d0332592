"""The figures of the *Profil Kawasan Kumuh* of one slum location.

The location's years, classes (scored from the sum of its RTs, criteria.md §5), RTs and SK
entries come from :func:`sikumuh.surveys.dashboard.location_detail`; the decision aids — handling
pattern (Permen PUPR 14/2018), kewenangan by area (UU 23/2014) and the removal conditions — from
:mod:`sikumuh.core.handling`, as the location page shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sikumuh.core.criteria import RuleSet, SlumClass, get_rule_set
from sikumuh.core.handling import (
    Authority,
    HandlingPattern,
    RemovalEligibility,
    authority_for_area,
    handling_pattern,
    removal_eligibility,
)
from sikumuh.core.scoring import UnitResult
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region
from sikumuh.reports.common import ReportError
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys import dashboard
from sikumuh.surveys.asof import APPROVED, StatusFilter


@dataclass
class ProfilData:
    location: Location
    kecamatan: Region | None
    detail: dashboard.LocationDetail
    rule_set: RuleSet | None
    first: UnitResult | None
    latest: UnitResult | None
    #: (legal land, not legal) patterns for a slum class; None when Tidak Kumuh or no class.
    patterns: tuple[HandlingPattern, HandlingPattern] | None
    authority: Authority | None
    removal: RemovalEligibility | None
    investments: list[Investment]
    #: (RT label, GeoJSON geometry) of the RTs that are delineated.
    rt_shapes: list[tuple[str, dict[str, Any]]]

    @property
    def is_demo(self) -> bool:
        return self.detail.is_demo

    @property
    def first_year(self) -> int | None:
        return self.detail.years[0].tahun if self.detail.years else None

    @property
    def latest_year(self) -> int | None:
        return self.detail.latest_year


def location_or_error(location_id: int) -> Location:
    location = (
        Location.objects.select_related("desa__parent", "kabupaten").filter(pk=location_id).first()
    )
    if location is None:
        raise ReportError(f"no slum location with id {location_id}")
    return location


def profil_data(location: Location, status: StatusFilter = APPROVED) -> ProfilData:
    """Everything the profile shows (6 queries; the location is loaded with its regions), from
    approved data only (official, criteria.md §9) or all (``status``)."""
    detail = dashboard.location_detail(location, status)
    latest = detail.latest_result
    first = detail.results.get(detail.years[0].tahun) if detail.years else None
    klass = latest.klass if latest else None
    patterns = None
    if klass is not None and klass is not SlumClass.TIDAK_KUMUH:
        # Land legality is not recorded: both patterns are given (criteria.md §6).
        patterns = (handling_pattern(klass, True), handling_pattern(klass, False))
    area = detail.area_ha
    rule_set = get_rule_set(latest.rule_set_id) if latest else None
    removal = None
    if latest is not None and rule_set is not None:
        removal = removal_eligibility(latest.total, rule_set, latest.percent)
    investments = list(
        Investment.objects.filter(location_id=location.pk)
        .select_related("rt")
        .order_by("tahun", "criterion", "id")
    )
    rt_shapes = [
        (rt, geometry)
        for rt, polygon in RtUnit.objects.filter(location_id=location.pk, polygon__isnull=False)
        .order_by("rt")
        .values_list("rt", "polygon")
        if (geometry := dashboard.geometry_of(polygon)) is not None
    ]
    return ProfilData(
        location=location,
        kecamatan=location.desa.parent if location.desa else None,
        detail=detail,
        rule_set=rule_set,
        first=first,
        latest=latest,
        patterns=patterns,
        authority=authority_for_area(area) if area is not None else None,
        removal=removal,
        investments=investments,
        rt_shapes=rt_shapes,
    )


def total_cost(investments: list[Investment]) -> Decimal:
    return sum((i.cost for i in investments if i.cost is not None), Decimal(0))
