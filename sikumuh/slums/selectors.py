"""Reads for the SK Kumuh registry: decrees, their entries, version chains, and each listed
location's status from the RT data (comparisons are in :mod:`sikumuh.slums.sk_selectors`).

Each function answers one page in a fixed number of queries, whatever the number of entries
(tests pin the counts). Filters on entries are passed in as ``Q`` objects on ``SkLocation``, so
the caller (the web layer, which knows the user's scope) decides what a reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import (
    Authority,
    Typology,
    authority_for_area,
)
from sikumuh.regions.codes import NATIONAL, location_inside
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree, SkLocation
from sikumuh.surveys.asof import ALL, StatusFilter
from sikumuh.surveys.location_status import LocationStatus, location_statuses

#: "Newest first" everywhere in the registry, and what "the latest SK" means: the highest year,
#: then the one registered last (the same choice as ``surveys.selectors.sk_baseline``).
NEWEST_FIRST = ("-year", "-id")


def decrees_inside(code: str) -> Q:
    """Decrees of the kabupaten holding `code` (or of every kabupaten inside a province)."""
    if code == NATIONAL:
        return Q()
    if level_of(code) == Level.PROVINSI:
        return Q(kabupaten__code__startswith=code + ".")
    return Q(kabupaten__code=code[:5])


# --- The list of decrees ---------------------------------------------------------------------


@dataclass(frozen=True)
class DecreeSummary:
    """One decree as listed: its entries counted inside the region asked for."""

    decree: SkDecree
    locations: int
    total_ha: Decimal
    superseded_by_id: int | None
    is_latest: bool


def decree_list(code: str) -> list[DecreeSummary]:
    """The decrees of the kabupaten holding `code`, newest first, each with the number and
    hectares of its locations inside `code` (the whole decree when `code` is the kabupaten).
    One query."""
    inside = location_inside(code, "entries__location__")
    successor = SkDecree.objects.filter(supersedes=OuterRef("pk")).order_by("id").values("pk")[:1]
    decrees = (
        SkDecree.objects.filter(decrees_inside(code))
        .select_related("kabupaten", "supersedes")
        .annotate(
            n_locations=Count("entries", filter=inside),
            sum_ha=Sum("entries__luas_ha", filter=inside),
            successor_id=Subquery(successor),
        )
        .order_by("kabupaten_id", *NEWEST_FIRST)
    )
    rows: list[DecreeSummary] = []
    seen: set[str] = set()
    for decree in decrees:
        rows.append(
            DecreeSummary(
                decree=decree,
                locations=decree.n_locations,
                total_ha=decree.sum_ha or Decimal(0),
                superseded_by_id=decree.successor_id,
                is_latest=decree.kabupaten_id not in seen,
            )
        )
        seen.add(decree.kabupaten_id)
    return rows


def version_chain(decree: SkDecree) -> list[SkDecree]:
    """The versions `decree` belongs to, oldest first, following ``supersedes`` both ways.

    One query: every decree of the kabupaten (a handful) is read and the chain walked here. The
    actions never fork a chain; should data hold a fork, the first successor registered is
    followed. A cycle (impossible through the actions) is cut where it closes.
    """
    by_id = {d.pk: d for d in SkDecree.objects.filter(kabupaten_id=decree.kabupaten_id)}
    by_id.setdefault(decree.pk, decree)
    successors: dict[int, SkDecree] = {}
    for item in sorted(by_id.values(), key=lambda d: d.pk):
        if item.supersedes_id is not None:
            successors.setdefault(item.supersedes_id, item)
    first = by_id[decree.pk]
    seen = {first.pk}
    while first.supersedes_id in by_id and first.supersedes_id not in seen:
        first = by_id[first.supersedes_id]
        seen.add(first.pk)
    chain = [first]
    seen = {first.pk}
    while (following := successors.get(chain[-1].pk)) is not None and following.pk not in seen:
        chain.append(following)
        seen.add(following.pk)
    return chain


# --- One decree's entries ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """A location as listed in one SK, with where it lies and what its data say now."""

    entry_id: int
    location_id: int
    code: str
    name: str
    desa_code: str
    desa_name: str
    kecamatan_code: str
    kecamatan_name: str
    luas_ha: Decimal
    typology: str
    status: LocationStatus | None
    stated_class: str | None = None  # as the SK's source states it (`SkLocation.stated_class`)

    @property
    def authority(self) -> Authority:
        """Kewenangan by the SK hectares (UU 23/2014 Lampiran D, see core.handling)."""
        return authority_for_area(self.luas_ha)

    @property
    def typology_label(self) -> str:
        return Typology(self.typology).label_id if self.typology else ""

    @property
    def klass(self) -> SlumClass | None:
        return self.status.klass if self.status else None

    @property
    def stated_klass(self) -> SlumClass | None:
        return SlumClass(self.stated_class) if self.stated_class else None

    @property
    def class_differs(self) -> bool:
        """The SK states a class and the RTs' data give another (both known), as stated and
        computed hectares are compared on the layer import."""
        return None not in (self.stated_klass, self.klass) and self.stated_klass != self.klass

    @property
    def removable_by_score(self) -> bool:
        return bool(self.status and self.status.removal.eligible_by_score)

    @property
    def removable(self) -> bool:
        """Both conditions: Tidak Kumuh and every basic service above 80 %."""
        return bool(self.status and self.status.removal.eligible_with_services)


def decree_entries(
    decree: SkDecree,
    visible: Q | None = None,
    *,
    with_status: bool = True,
    status: StatusFilter = ALL,
) -> list[EntryRow]:
    """The entries of `decree` (those matching `visible`, on ``SkLocation``), by location code,
    with each location's latest status (from the RT data passing the ``status`` filter). Two
    queries (one without status)."""
    entries = (
        SkLocation.objects.filter(decree=decree)
        .filter(visible if visible is not None else Q())
        .select_related("location__desa__parent")
        .defer("location__polygon")  # GeoJSON, possibly large, not shown here
        .order_by("location__code")
    )
    return entry_rows(list(entries), with_status=with_status, status=status)


def entry_rows(
    entries: list[SkLocation], *, with_status: bool, status: StatusFilter = ALL
) -> list[EntryRow]:
    """Rows for loaded entries (with ``location__desa__parent``); statuses in one query."""
    ids = [e.location_id for e in entries]
    statuses = location_statuses(ids, status=status) if with_status else {}
    rows = []
    for entry in entries:
        location = entry.location
        desa = location.desa
        kecamatan = desa.parent if desa else None
        rows.append(
            EntryRow(
                entry_id=entry.pk,
                location_id=location.pk,
                code=location.code,
                name=location.name,
                desa_code=desa.code if desa else "",
                desa_name=desa.name if desa else "",
                kecamatan_code=kecamatan.code if kecamatan else "",
                kecamatan_name=kecamatan.name if kecamatan else "",
                luas_ha=entry.luas_ha,
                typology=location.typology,
                status=statuses.get(location.pk),
                stated_class=entry.stated_class,
            )
        )
    return rows


@dataclass
class KecamatanTotal:
    code: str
    name: str
    locations: int = 0
    luas_ha: Decimal = Decimal(0)
    removable: int = 0
    by_authority: dict[Authority, int] = field(default_factory=lambda: dict.fromkeys(Authority, 0))


def kecamatan_totals(rows: Sequence[EntryRow]) -> list[KecamatanTotal]:
    """Locations and hectares per kecamatan (locations without a desa under an empty code)."""
    totals: dict[str, KecamatanTotal] = {}
    for row in rows:
        total = totals.setdefault(
            row.kecamatan_code, KecamatanTotal(row.kecamatan_code, row.kecamatan_name)
        )
        total.locations += 1
        total.luas_ha += row.luas_ha
        total.removable += row.removable
        total.by_authority[row.authority] += 1
    return [totals[code] for code in sorted(totals, key=lambda c: (c == "", c))]


def total_ha(rows: Iterable[EntryRow]) -> Decimal:
    return sum((row.luas_ha for row in rows), Decimal(0))
