"""The dashboard of one region: figures per year, reductions with their bases, child regions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from sikumuh.core.asof import Coverage, default_year, provisional_years, summed_coverage
from sikumuh.core.reduction import Reduction, reduction_vs_own_baseline, reduction_vs_sk_baseline
from sikumuh.regions.codes import NATIONAL, level
from sikumuh.regions.models import Level, Region, code_at_level, level_of
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter, as_of_groups, region_filter
from sikumuh.surveys.dashboard.figures import (
    CLASS_KEYS,
    SkFigures,
    YearArea,
    add_row,
    has_location_classes,
    sk_figures,
)
from sikumuh.surveys.dashboard.locations import (
    LocationRow,
    LocationYear,
    fetch_locations,
    location_years,
    stored_area,
)
from sikumuh.surveys.location_scores import AREA_FIELDS
from sikumuh.surveys.models import LocationScore, Observation, Source

# --- The region dashboard ------------------------------------------------------------------------

#: The `Score` column holding the child region of each level (a desa's children are locations).
_CHILD_FIELD = {
    0: "province_code",
    Level.PROVINSI: "kabupaten_code",
    Level.KABUPATEN: "kecamatan_code",
    Level.KECAMATAN: "desa_code",
    Level.DESA: "location_id",
}


#: Figures per year (RT hectares and counts per class).
Years = dict[int, YearArea]


class UnknownYear(LookupError):
    """The region has no RT data in the year asked for."""


@dataclass
class ChildRow:
    """One row of the child table: a region one level down (or a location, under a desa)."""

    code: str
    name: str
    location_id: int | None
    sk_ha: Decimal | None
    baseline: YearArea | None
    current: YearArea | None

    @property
    def has_data(self) -> bool:
        """RT data or SK hectares: national and provincial tables list only such children."""
        return self.baseline is not None or self.sk_ha is not None

    @property
    def reduction(self) -> Reduction | None:
        """Against the child's own baseline (its first year with data)."""
        if self.baseline is None or self.current is None:
            return None
        return reduction_vs_own_baseline(self.baseline.slum_ha, self.current.slum_ha)


@dataclass
class RegionDashboard:
    """Everything the dashboard of one region shows, for the year `tahun` (default: latest).

    ``reduction_own``: slum hectares reduced from the region's baseline (its first year with RT
    data) to `tahun`, as a share of that baseline. ``reduction_sk``: the same hectares as a share
    of ``sk.base_ha`` (criteria.md §5: programme reports usually quote this one).
    """

    code: str
    years: list[YearArea]
    tahun: int | None
    sk: SkFigures
    children: list[ChildRow]
    locations: list[LocationRow]
    location_classes: dict[str, int] | None
    is_demo: bool
    #: Each year's coverage (criteria.md §9): RTs observed in it, carried, complete or not.
    coverage: dict[int, Coverage] = field(default_factory=dict)

    @property
    def year_list(self) -> list[int]:
        return [y.tahun for y in self.years]

    @property
    def current_coverage(self) -> Coverage | None:
        return None if self.tahun is None else self.coverage.get(self.tahun)

    @property
    def provisional_years(self) -> list[int]:
        """Incomplete years after the latest complete one, offered as provisional."""
        return provisional_years(self.coverage.values())

    @property
    def baseline(self) -> YearArea | None:
        return self.years[0] if self.years else None

    @property
    def current(self) -> YearArea | None:
        return next((y for y in self.years if y.tahun == self.tahun), None)

    @property
    def reduction_own(self) -> Reduction | None:
        if self.baseline is None or self.current is None:
            return None
        return reduction_vs_own_baseline(self.baseline.slum_ha, self.current.slum_ha)

    @property
    def reduction_sk(self) -> Reduction | None:
        own = self.reduction_own
        if own is None or not self.sk.base_ha:
            return None
        return reduction_vs_sk_baseline(own.ha, self.sk.base_ha)


def region_dashboard(
    code: str, tahun: int | None = None, status: StatusFilter = ALL
) -> RegionDashboard:
    """The dashboard of a region (or `NATIONAL`) as of `tahun` (default: the latest complete
    year, criteria.md §9): 3 queries above a kabupaten/kota, 6 for a kabupaten/kota or
    kecamatan (location classes), 5 for a desa. `UnknownYear` when `tahun` is not in the
    region's series. ``status``: all data (the working view) or approved only (the official
    reports, criteria.md §9; read from the RT scores at every level)."""
    lvl = level(code)
    totals, per_child, is_demo, covered = (
        years_from_scores(code, status) if status == APPROVED else region_years(code)
    )
    years = [totals[y] for y in sorted(totals)]
    if tahun is None:
        tahun = default_year(covered.values())
    elif tahun not in totals:
        raise UnknownYear(tahun)
    sk = sk_figures(code, tahun)
    located: dict[int, LocationYear] = {}
    locations: list[LocationRow] = []
    if has_location_classes(code):
        if tahun is not None:
            located = location_years(code, tahun, status)
        locations = [
            LocationRow(
                id=loc["id"],
                code=loc["code"],
                name=loc["name"],
                desa_code=loc["desa_id"],
                desa_name=loc["desa_name"],
                has_polygon=loc["has_polygon"],
                sk_ha=sk.by_location.get(loc["id"]),
                year=located.get(loc["id"]),
            )
            for loc in fetch_locations(code)
        ]
    children = _children(code, lvl, locations, per_child, sk, tahun)
    return RegionDashboard(
        code=code,
        years=years,
        tahun=tahun,
        sk=sk,
        children=children,
        locations=locations,
        location_classes=_count_classes(locations) if has_location_classes(code) else None,
        is_demo=is_demo,
        coverage=covered,
    )


def region_years(code: str) -> tuple[Years, dict[str, Years], bool, dict[int, Coverage]]:
    """RT hectares and counts as of each year × class of a region and of each child, whether
    any of its data are the synthetic demo's, and each year's coverage (two queries).

    Above a kabupaten/kota from the stored as-of location summaries (one query over a row per
    location-year instead of one per RT-year): every RT lies in its location's kabupaten, so the
    sums per province and kabupaten are the same. From a kabupaten/kota down the children are
    kecamatan or desa, and an RT may lie in another desa than its location's: the figures come
    from the RT scores as of each year (`surveys.asof.as_of_groups`, bounded by the kabupaten's
    RTs); the demo flag still from the summaries of the locations inside (a few hundred rows),
    not from a scan of the observations.
    """
    if level(code) < Level.KABUPATEN:
        return years_from_location_scores(code)
    totals, per_child, covered = _years_from_score_rows(code)
    is_demo = LocationScore.objects.filter(region_filter(code), has_demo=True).exists()
    return totals, per_child, is_demo, covered


def years_from_scores(
    code: str, status: StatusFilter = ALL
) -> tuple[Years, dict[str, Years], bool, dict[int, Coverage]]:
    """:func:`region_years` from the RT scores and observations alone, at any level: the
    reference the summaries replaced (tests and the benchmark compare them)."""
    totals, per_child, covered = _years_from_score_rows(code, status)
    is_demo = Observation.objects.filter(
        region_filter(code, prefix="score__"), source=Source.DEMO
    ).exists()
    return totals, per_child, is_demo, covered


def _years_from_score_rows(
    code: str, status: StatusFilter = ALL
) -> tuple[Years, dict[str, Years], dict[int, Coverage]]:
    child_field = _CHILD_FIELD[level(code)]
    groups = as_of_groups(code, status=status, child_field=child_field)
    totals: Years = {}
    per_child: dict[str, Years] = defaultdict(dict)
    for row in groups.rows:
        add_row(totals, row)
        add_row(per_child[str(row[child_field])], row)
    return totals, per_child, groups.coverage


def years_from_location_scores(
    code: str,
) -> tuple[Years, dict[str, Years], bool, dict[int, Coverage]]:
    """:func:`region_years` from `LocationScore`, for the national and provincial levels: the
    series lists the years in which some RT of the region was observed; the coverage says how
    many RTs were carried, not from which years (the sums do not keep it)."""
    child_field = _CHILD_FIELD[level(code)]
    sums = {f"sum_{name}": Sum(name) for name in AREA_FIELDS}
    rows = (
        LocationScore.objects.filter(region_filter(code))
        .values(child_field, "tahun")
        # Not COUNT(id): every column read is in the covering index.
        .annotate(
            **sums,
            demo=Count("has_demo", filter=Q(has_demo=True)),
            observed=Sum("rt_observed"),
        )
        .order_by()
    )
    totals: Years = {}
    per_child: dict[str, Years] = defaultdict(dict)
    observed: dict[int, int] = defaultdict(int)
    is_demo = False
    for row in rows:
        tahun = row["tahun"]
        area = stored_area(row, tahun, prefix="sum_")
        for years in (totals, per_child[str(row[child_field])]):
            year = years.setdefault(tahun, YearArea(tahun))
            for key, figures in [*area.by_class.items(), (None, area.unscored)]:
                year.add(key, figures.ha, figures.rt)
        observed[tahun] += row["observed"] or 0
        is_demo = is_demo or row["demo"] > 0
    series = [t for t in sorted(totals) if observed[t] > 0]
    covered = {t: summed_coverage(t, observed[t], totals[t].rt_count) for t in series}
    totals = {t: totals[t] for t in series}
    kept = {c: {t: y for t, y in years.items() if t in covered} for c, years in per_child.items()}
    return totals, kept, is_demo, covered


def _count_classes(locations: list[LocationRow]) -> dict[str, int]:
    """Locations per class in the year shown; "" counts those with no class (no data, errors)."""
    counts = dict.fromkeys((*CLASS_KEYS, ""), 0)
    for loc in locations:
        counts[loc.klass.value if loc.klass else ""] += 1
    return counts


def _children(
    code: str,
    lvl: int,
    locations: list[LocationRow],
    per_child: dict[str, dict[int, YearArea]],
    sk: SkFigures,
    tahun: int | None,
) -> list[ChildRow]:
    named: list[tuple[str, str, int | None]]
    if lvl == Level.DESA:
        named = [(str(loc.id), loc.name, loc.id) for loc in locations]
    else:
        regions = (
            Region.objects.filter(level=Level.PROVINSI)
            if lvl == 0
            else Region.objects.filter(parent_id=code)
        )
        # Sorted here, not in SQL: asked to ORDER BY code, SQLite walks the primary key through
        # all 91,599 regions (~20 ms) instead of taking the 38 provinces from the level index.
        named = [(c, n, None) for c, n in sorted(regions.order_by().values_list("code", "name"))]
    rows = []
    for child, name, location_id in named:
        years = per_child.get(child, {})
        baseline = years[min(years)] if years else None
        current = years.get(tahun) if tahun is not None else None
        rows.append(ChildRow(child, name, location_id, sk.by_child.get(child), baseline, current))
    return rows


def ancestors(code: str) -> list[Region]:
    """The regions above `code`, province first (one query; none for the national level)."""
    if code == NATIONAL:
        return []
    codes = [code_at_level(code, lvl) for lvl in range(1, level_of(code))]
    return list(Region.objects.filter(code__in=[c for c in codes if c]).order_by("level"))
