"""Kumuh akhir of a region or a location: the one read behind `sikumuh projection` and the
projection panels of the dashboards (criteria.md §7), so that both give the same figures.

Loading here (a fixed number of queries whatever the number of RTs), deciding in
`sikumuh.core.projection` and `sikumuh.core.projection_check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from sikumuh.core.criteria import SlumClass
from sikumuh.core.projection import (
    ClassFigures,
    InvestmentVolume,
    ProjectedRt,
    RegionProjection,
    by_class,
    project_region,
    slum_ha,
)
from sikumuh.core.projection_check import (
    InvestmentStep,
    Measured,
    Outcomes,
    compare,
    investment_steps,
)
from sikumuh.investments.models import Investment, InvestmentStatus
from sikumuh.investments.planning_data import (
    REALISED,
    figures_of,
    investments_between,
    investments_in,
    observations_in,
    rt_units_where,
)
from sikumuh.regions.codes import NATIONAL
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.asof import ALL, APPROVED, as_of_observations, region_filter
from sikumuh.surveys.models import Observation, Score


@dataclass(frozen=True)
class Place:
    """What a projection covers: the RTs of a region (``region_code``, "ID" for all), or of one
    location (``location_id``; ``region_code`` is then the location's home, for the report)."""

    region_code: str
    location_id: int | None = None

    def observations(self) -> Q:
        if self.location_id is not None:
            return Q(rt__location_id=self.location_id)
        return observations_in(self.region_code)

    def investments(self) -> Q:
        if self.location_id is not None:
            return Q(location_id=self.location_id)
        return investments_in(self.region_code)

    def scores(self) -> Q:
        if self.location_id is not None:
            return Q(location_id=self.location_id)
        if self.region_code == NATIONAL:
            return Q()
        return region_filter(self.region_code)


@dataclass(frozen=True)
class ProjectionReport:
    """The figures of `sikumuh projection` (its JSON is :meth:`as_json`)."""

    place: Place
    projection: RegionProjection
    measured_slum_ha: Decimal
    projected_slum_ha: Decimal
    by_class: dict[str, ClassFigures]

    @property
    def base_year(self) -> int:
        return self.projection.base_year

    @property
    def until(self) -> int:
        return self.projection.until

    def as_json(self) -> dict[str, Any]:
        projection = self.projection
        return {
            "region": self.place.region_code,
            "base_year": projection.base_year,
            "until": projection.until,
            "measured_slum_ha": self.measured_slum_ha,
            "projected_slum_ha": self.projected_slum_ha,
            "investments_counted": projection.investments_counted,
            "investments_location_level": projection.location_level,
            "investments_without_rt_figures": projection.without_figures,
            "by_class": {k: vars(v) for k, v in self.by_class.items()},
            "units": [unit_row(item) for item in projection.units],
        }


def unit_row(item: ProjectedRt) -> dict[str, Any]:
    """One RT of the JSON's ``units``."""
    figures, result = item.figures, item.projection

    def klass(value: SlumClass | None) -> str | None:
        return None if value is None else value.value

    return {
        "kode_desa": figures.kode_desa,
        "lokasi": figures.lokasi,
        "rt": figures.rt,
        "luas_ha": figures.luas_ha,
        "total": result.baseline.total,
        "class": klass(result.baseline.klass),
        "projected_total": result.projected.total,
        "projected_class": klass(result.projected.klass),
    }


def projection_report(
    place: Place, base_year: int, until: int, status: str = "all"
) -> ProjectionReport:
    """Every RT of the place as of ``base_year`` projected by its realised investments of
    ``base_year < tahun ≤ until`` (2 queries)."""
    units = rt_units_where(place.observations(), base_year, status)
    investments = investments_between(place.region_code, base_year, until, place.investments())
    projection = project_region(units, investments, base_year=base_year, until=until)
    return ProjectionReport(
        place,
        projection,
        slum_ha(projection, projected=False),
        slum_ha(projection, projected=True),
        by_class(projection),
    )


def years_with_data(place: Place) -> list[int]:
    """The years in which at least one RT of the place was observed, oldest first (1 query)."""
    rows = Score.objects.filter(place.scores()).order_by("tahun").values_list("tahun", flat=True)
    return list(rows.distinct())


def latest_investment_year(place: Place) -> int | None:
    """The last year of the place's realised investments (1 query)."""
    found: int | None = Investment.objects.filter(place.investments(), REALISED).aggregate(
        t=Max("tahun")
    )["t"]
    return found


def later_survey(report: ProjectionReport, later_year: int, status: str = "all") -> Outcomes:
    """The projection against the survey of ``later_year``: each RT's latest observation up to
    that year, when it is of a year after the base year (1 query; stored scores)."""
    rows = (
        as_of_observations(
            Observation.objects.filter(report.place.observations()),
            later_year,
            APPROVED if status == APPROVED else ALL,
        )
        .filter(tahun__gt=report.base_year)
        .values_list("rt_id", "tahun", "luas_ha", "score__klass")
    )
    measured = {
        rt: Measured(rt, tahun, SlumClass(klass) if klass else None, luas or Decimal(0))
        for rt, tahun, luas, klass in rows
    }
    return compare(report.projection, measured, later_year)


# --- One RT (its page) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RtProjection:
    """One RT from an observation (the base year) projected by its realised investments of the
    later years (up to the last of them), each with its criterion's volume before and after it;
    ``planned``: its planned works (rencana) of those years, not counted."""

    base_year: int
    until: int
    item: ProjectedRt
    steps: list[tuple[Investment, InvestmentStep]]
    planned: list[Investment]


def rt_projection(observation: Observation, rt: RtUnit) -> RtProjection:
    """Kumuh akhir of one RT from ``observation`` (1 query: the RT's later investments), by the
    same rules as :func:`projection_report`."""
    base = observation.tahun
    later = list(Investment.objects.filter(rt_id=rt.pk, tahun__gt=base).order_by("tahun", "id"))
    realised = [inv for inv in later if inv.status == InvestmentStatus.REALISASI]
    until = max([base, *(inv.tahun for inv in realised)])
    volumes = [InvestmentVolume(rt.pk, inv.criterion, inv.tahun, inv.volume) for inv in realised]
    figures = figures_of(observation, rt)
    projection = project_region([figures], volumes, base_year=base, until=until)
    steps = investment_steps(figures, volumes, base_year=base, until=until)
    planned = [inv for inv in later if inv.status != InvestmentStatus.REALISASI]
    return RtProjection(
        base, until, projection.units[0], list(zip(realised, steps, strict=True)), planned
    )
