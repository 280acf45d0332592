"""The figures of the *Laporan Pengurangan Luasan Kumuh* of a region over the years.

Per year: the region's slum hectares by class and the reduction from its baseline (its first
year with RT data), each with its base — the baseline itself, and the kabupaten's SK total
(criteria.md §5) — and the change from the year before. Per child region (kecamatan, desa, or the
locations of a desa) and per location: slum hectares every year. All of it comes from
:func:`sikumuh.surveys.dashboard.region_dashboard`, one call per year with RT data; the SK
versions from :func:`sikumuh.slums.selectors.decree_list`; status removal from
:func:`sikumuh.reports.removal.removal_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sikumuh.core.asof import Coverage
from sikumuh.core.criteria import SlumClass
from sikumuh.core.reduction import (
    Reduction,
    reduction_vs_own_baseline,
    reduction_vs_sk_baseline,
)
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level, Region, level_of
from sikumuh.reports.common import ReportError
from sikumuh.reports.removal import RemovalSummary, removal_summary
from sikumuh.slums.selectors import DecreeSummary, decree_list
from sikumuh.surveys import dashboard
from sikumuh.surveys.asof import APPROVED, StatusFilter


@dataclass(frozen=True)
class YearRow:
    area: dashboard.YearArea
    reduction: Reduction | None  # from the baseline, share of the baseline
    reduction_sk: Reduction | None  # the same hectares, share of the SK in force that year
    change: Decimal | None  # hectares reduced since the year before (negative: grown)
    coverage: Coverage | None = None  # RTs observed in the year, carried, complete or not

    @property
    def tahun(self) -> int:
        return self.area.tahun


@dataclass
class Series:
    """A child region or a location: its slum hectares per year (None: no RT data that year)."""

    code: str
    name: str
    sk_ha: Decimal | None
    by_year: dict[int, Decimal | None] = field(default_factory=dict)
    classes: dict[int, SlumClass | None] = field(default_factory=dict)
    desa_name: str = ""

    @property
    def reduction(self) -> Reduction | None:
        """From its first to its last year with data, as a share of the first."""
        known = [(y, ha) for y, ha in sorted(self.by_year.items()) if ha is not None]
        if len(known) < 2:
            return None
        return reduction_vs_own_baseline(known[0][1], known[-1][1])


@dataclass
class PenguranganData:
    code: str
    region: Region | None  # None: the national level
    level: int
    rows: list[YearRow]
    sk_base_ha: Decimal | None
    sk_region_ha: Decimal | None
    show_sk_base: bool
    children: list[Series]
    locations: list[Series]
    decrees: list[DecreeSummary]
    removal: RemovalSummary | None
    map_locations: list[dashboard.MapLocation]
    is_demo: bool

    @property
    def years(self) -> list[int]:
        return [r.tahun for r in self.rows]

    @property
    def baseline(self) -> YearRow | None:
        return self.rows[0] if self.rows else None

    @property
    def latest(self) -> YearRow | None:
        return self.rows[-1] if self.rows else None


def region_or_error(code: str) -> Region | None:
    if code == NATIONAL:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ReportError(f"unknown region code {code!r}")
    return region


def _year_rows(
    dashboards: dict[int, dashboard.RegionDashboard], show_sk_base: bool
) -> list[YearRow]:
    """Each year as of itself, its reduction against the SK in force that year (criteria.md §9:
    a later SK never changes an earlier year) and its coverage."""
    rows = []
    years = [d.current for _, d in sorted(dashboards.items()) if d.current is not None]
    for k, year in enumerate(years):
        dash = dashboards[year.tahun]
        sk_base = dash.sk.base_ha if show_sk_base else None
        own = reduction_vs_own_baseline(years[0].slum_ha, year.slum_ha) if k else None
        rows.append(
            YearRow(
                area=year,
                reduction=own,
                reduction_sk=reduction_vs_sk_baseline(own.ha, sk_base) if own and sk_base else None,
                change=years[k - 1].slum_ha - year.slum_ha if k else None,
                coverage=dash.current_coverage,
            )
        )
    return rows


def pengurangan_data(
    code: str,
    *,
    show_sk_base: bool = True,
    status: StatusFilter = APPROVED,
    until: int | None = None,
) -> PenguranganData:
    """The report of region `code` (a Kemendagri code or "ID"). ``show_sk_base``: whether the
    reader may see the kabupaten's SK total (a desa facilitator may not; the web decides);
    ``status``: approved data only (official, criteria.md §9) or all; ``until``: the last year
    of the period reported (None: the latest with data)."""
    region = region_or_error(code)
    lvl = 0 if code == NATIONAL else level_of(code)
    opened = dashboard.region_dashboard(code, status=status)
    dashboards = {
        y: opened if y == opened.tahun else dashboard.region_dashboard(code, y, status)
        for y in opened.year_list
        if until is None or y <= until
    }
    # Every year of the series, as of itself; the last one (maybe provisional: its coverage is
    # printed) is the report's "now".
    latest = dashboards[max(dashboards)] if dashboards else opened
    sk_base = latest.sk.base_ha
    children = []
    for k, child in enumerate(latest.children):
        if lvl < Level.KABUPATEN and not child.has_data:
            continue
        series = Series(child.code, child.name, child.sk_ha)
        for year, dash in dashboards.items():
            current = dash.children[k].current
            series.by_year[year] = current.slum_ha if current else None
        children.append(series)
    locations: list[Series] = []
    if dashboard.has_location_classes(code) and lvl != Level.DESA:
        by_id: dict[int, Series] = {}
        for year, dash in sorted(dashboards.items()):
            for loc in dash.locations:
                series = by_id.setdefault(
                    loc.id, Series(loc.code, loc.name, loc.sk_ha, desa_name=loc.desa_name or "")
                )
                series.by_year[year] = loc.slum_ha
                series.classes[year] = loc.klass
        locations = list(by_id.values())
    return PenguranganData(
        code=code,
        region=region,
        level=lvl,
        rows=_year_rows(dashboards, show_sk_base),
        sk_base_ha=sk_base if show_sk_base else None,
        sk_region_ha=latest.sk.region_ha,
        show_sk_base=show_sk_base,
        children=children,
        locations=locations,
        decrees=decree_list(code) if lvl >= Level.KABUPATEN else [],
        removal=removal_summary(code, latest.tahun, status) if lvl >= Level.KABUPATEN else None,
        map_locations=(
            dashboard.map_locations(code, latest.tahun, status)
            if latest.tahun is not None and dashboard.has_location_classes(code)
            else []
        ),
        is_demo=latest.is_demo,
    )
