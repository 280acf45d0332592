"""Shared pieces of the dashboard reads: levels, hectares per year × class, the SK in force."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum

from sikumuh.core.aggregation import SLUM_CLASSES
from sikumuh.core.asof import Version, in_force
from sikumuh.core.criteria import SlumClass
from sikumuh.core.decimals import to_decimal6
from sikumuh.regions.codes import NATIONAL, is_inside, level
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.models import SkLocation

#: Class values heaviest first, then the slum classes among them.
CLASS_KEYS: tuple[str, ...] = tuple(c.value for c in SlumClass)
SLUM_KEYS = frozenset(c.value for c in SLUM_CLASSES)


def has_location_classes(code: str) -> bool:
    """Locations (their table, classes and map colours) are shown for a kabupaten/kota and
    below only: above, the table would list thousands of locations. (Their stored summaries
    would make the classes cheap at any level: `sikumuh.surveys.location_scores`.)"""
    return level(code) >= Level.KABUPATEN


# --- Figures per year ----------------------------------------------------------------------------


@dataclass
class ClassArea:
    """Hectares and number of RTs of one class."""

    ha: Decimal = Decimal(0)
    rt: int = 0


@dataclass
class YearArea:
    """One year of a region (or location): RT hectares and counts per class, and the unscored."""

    tahun: int
    by_class: dict[str, ClassArea] = field(
        default_factory=lambda: {k: ClassArea() for k in CLASS_KEYS}
    )
    unscored: ClassArea = field(default_factory=ClassArea)

    @property
    def slum_ha(self) -> Decimal:
        """Σ luas_ha of the RTs not Tidak Kumuh (criteria.md §5)."""
        return sum((self.by_class[k].ha for k in CLASS_KEYS if k in SLUM_KEYS), Decimal(0))

    @property
    def class_list(self) -> list[tuple[str, ClassArea]]:
        """(class value, figures) heaviest first: the order every table prints."""
        return [(k, self.by_class[k]) for k in CLASS_KEYS]

    @property
    def rt_count(self) -> int:
        return sum(c.rt for c in self.by_class.values()) + self.unscored.rt

    def add(self, klass: str | None, ha: Decimal | None, rt: int) -> None:
        target = self.unscored if klass is None else self.by_class[klass]
        target.ha += to_ha(ha)
        target.rt += rt


def to_ha(value: Decimal | None) -> Decimal:
    """Hectares at the input precision (6 dp): SQLite sums decimals as floats, and a sum such as
    47.529999999999994 must read 47.53 (exact on PostgreSQL, unchanged by this)."""
    return to_decimal6(value) or Decimal(0)


def add_row(years: dict[int, YearArea], row: dict[str, Any]) -> None:
    year = years.setdefault(row["tahun"], YearArea(row["tahun"]))
    year.add(row["klass"], row["ha"], row["n"])


# --- SK figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkFigures:
    """Hectares of the SK Kumuh in force in the year shown (of each kabupaten/kota).

    ``region_ha``: the SK hectares of the locations inside the region (a kabupaten's whole SK).
    ``base_ha``: the SK total that reductions are measured against — the whole kabupaten's SK for
    a kabupaten and everything inside it (criteria.md §5), the sum of the SKs inside a province or
    the country. ``decrees``: (kabupaten code, number, year) of the decrees read.
    """

    region_ha: Decimal | None
    base_ha: Decimal | None
    decrees: tuple[tuple[str, str, int], ...]
    by_child: dict[str, Decimal]
    by_location: dict[int, Decimal]


def sk_figures(code: str, tahun: int | None = None) -> SkFigures:
    """The SK hectares of a region, its base and per child, from the SK in force in `tahun`
    (criteria.md §9; None: the latest SK of each kabupaten/kota). One query: the entries (or,
    above a kabupaten, the hectares per decree) of every version, the version in force picked
    here per kabupaten (a handful of versions each)."""
    lvl = level(code)
    rows: list[Mapping[str, Any]]
    if lvl >= Level.KABUPATEN:
        # One row per SK location of each version of the kabupaten: a few hundred at most.
        rows = list(
            SkLocation.objects.filter(decree__kabupaten_id=code[:5]).values(
                "location_id", "luas_ha", "decree_id", "decree__number", "decree__year",
                "decree__date", kabupaten=F("decree__kabupaten_id"), desa=F("location__desa_id"),
            )
        )  # fmt: skip
    else:
        scope = Q() if code == NATIONAL else Q(decree__kabupaten__code__startswith=code + ".")
        rows = list(
            SkLocation.objects.filter(scope)
            .values(
                "decree_id", "decree__number", "decree__year", "decree__date",
                kabupaten=F("decree__kabupaten_id"),
            )
            .annotate(luas_ha=Sum("luas_ha"))
            .order_by()
        )  # fmt: skip
    return _sk_from_rows(code, _in_force_rows(rows, tahun))


def _in_force_rows(rows: list[Mapping[str, Any]], tahun: int | None) -> list[Mapping[str, Any]]:
    """The rows of the version in force in `tahun` of each kabupaten."""
    versions: dict[str, set[Version]] = defaultdict(set)
    for row in rows:
        versions[row["kabupaten"]].add(
            Version(key=row["decree_id"], date=row["decree__date"], year=row["decree__year"])
        )
    chosen = set()
    for items in versions.values():
        version = in_force(items, _LATEST if tahun is None else tahun)
        if version is not None:
            chosen.add(version.key)
    return [row for row in rows if row["decree_id"] in chosen]


#: "As of now": every version registered is in force or superseded.
_LATEST = 9999


def _sk_from_rows(code: str, rows: list[Mapping[str, Any]]) -> SkFigures:
    lvl = level(code)
    if not rows:
        return SkFigures(None, None, (), {}, {})
    decrees = sorted({(r["kabupaten"], r["decree__number"], r["decree__year"]) for r in rows})
    base = to_ha(sum((r["luas_ha"] for r in rows), Decimal(0)))
    by_child: dict[str, Decimal] = defaultdict(Decimal)
    by_location: dict[int, Decimal] = {}
    region = Decimal(0)
    for row in rows:
        ha = to_ha(row["luas_ha"])
        if lvl < Level.KABUPATEN:
            # Above a kabupaten the rows are whole decrees, all inside the region.
            region += ha
            by_child[code_at_level(row["kabupaten"], lvl + 1) or ""] += ha
            continue
        by_location[row["location_id"]] = ha
        desa = row["desa"]
        if lvl == Level.KABUPATEN:
            region += ha
            if desa is not None:
                by_child[code_at_level(desa, Level.KECAMATAN) or ""] += ha
        elif is_inside(code, desa):
            region += ha
            child = str(row["location_id"]) if lvl == Level.DESA else desa
            by_child[child] += ha
    return SkFigures(region, base, tuple(decrees), dict(by_child), by_location)
