"""The dashboard of one region: figures per year, reductions with their bases, child regions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from sikumuh.core.reduction import Reduction, reduction_vs_own_baseline, reduction_vs_sk_baseline
from sikumuh.regions.models import Level, Region, code_at_level, level_of
from sikumuh.surveys.dashboard.figures import (
    CLASS_KEYS,
    SkFigures,
    YearArea,
    add_row,
    has_location_classes,
    level,
    sk_figures,
)
from sikumuh.surveys.dashboard.locations import (
    LocationRow,
    LocationYear,
    fetch_locations,
    location_years,
)
from sikumuh.surveys.models import Observation, Score, Source
from sikumuh.surveys.selectors import NATIONAL, region_filter

# --- The region dashboard ------------------------------------------------------------------------

#: The `Score` column holding the child region of each level (a desa's children are locations).
_CHILD_FIELD = {
    0: "province_code",
    Level.PROVINSI: "kabupaten_code",
    Level.KABUPATEN: "kecamatan_code",
    Level.KECAMATAN: "desa_code",
    Level.DESA: "location_id",
}


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

    @property
    def year_list(self) -> list[int]:
        return [y.tahun for y in self.years]

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


def region_dashboard(code: str, tahun: int | None = None) -> RegionDashboard:
    """The dashboard of a region (or `NATIONAL`): 4 queries, plus 1 with location classes
    (kabupaten/kota and below). `UnknownYear` when `tahun` has no RT data there."""
    lvl = level(code)
    child_field = _CHILD_FIELD[lvl]
    rows = (
        Score.objects.filter(region_filter(code))
        .values(child_field, "tahun", "klass")
        .annotate(ha=Sum("luas_ha"), n=Count("id"))
        .order_by()
    )
    totals: dict[int, YearArea] = {}
    per_child: dict[str, dict[int, YearArea]] = defaultdict(dict)
    for row in rows:
        add_row(totals, row)
        add_row(per_child[str(row[child_field])], row)
    years = [totals[y] for y in sorted(totals)]
    if tahun is None:
        tahun = years[-1].tahun if years else None
    elif tahun not in totals:
        raise UnknownYear(tahun)
    sk = sk_figures(code)
    is_demo = Observation.objects.filter(
        region_filter(code, prefix="score__"), source=Source.DEMO
    ).exists()
    located: dict[int, LocationYear] = {}
    locations: list[LocationRow] = []
    if has_location_classes(code):
        if tahun is not None:
            located = location_years(code, tahun)
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
    )


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
        named = [(c, n, None) for c, n in regions.order_by("code").values_list("code", "name")]
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
