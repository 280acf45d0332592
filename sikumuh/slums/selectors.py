"""Reads for the SK Kumuh registry: decrees, their entries, version chains, and each listed
location's status from the RT data (comparisons are in :mod:`sikumuh.slums.sk_selectors`).

Each function answers one page in a fixed number of queries, whatever the number of entries
(tests pin the counts). Filters on entries are passed in as ``Q`` objects on ``SkLocation``, so
the caller (the web layer, which knows the user's scope) decides what a reader may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import HEADER_FIELDS, SlumClass, get_rule_set
from sikumuh.core.handling import (
    Authority,
    RemovalEligibility,
    Typology,
    authority_for_area,
    removal_eligibility,
)
from sikumuh.core.scoring import UnitResult, score_unit
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree, SkLocation
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import unit_input

NATIONAL = "ID"
#: "Newest first" everywhere in the registry, and what "the latest SK" means: the highest year,
#: then the one registered last (the same choice as ``surveys.selectors.sk_baseline``).
NEWEST_FIRST = ("-year", "-id")


def location_inside(code: str, prefix: str = "") -> Q:
    """Locations inside region `code` (``prefix`` leads to a ``Location``).

    A location lies in its desa; one without a desa lies in its kabupaten only, so it is inside
    the kabupaten and above, never inside a kecamatan or desa.
    """
    if code == NATIONAL:
        return Q()
    # Through `__code` (the regions' primary key): Django reads the foreign-key column without a
    # join, and `startswith` is allowed on it (not on `desa_id` across a relation).
    level = level_of(code)
    if level == Level.PROVINSI:
        return Q(**{f"{prefix}kabupaten__code__startswith": code + "."})
    if level == Level.KABUPATEN:
        return Q(**{f"{prefix}kabupaten__code": code})
    return Q(**{f"{prefix}desa__code": code}) | Q(**{f"{prefix}desa__code__startswith": code + "."})


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


# --- Location status from the RT data ----------------------------------------------------------


@dataclass(frozen=True)
class LocationStatus:
    """A location scored from the sum of its RTs in the latest year it has data for
    (criteria.md §5), and whether it may leave the SK (hapus status kumuh)."""

    tahun: int
    result: UnitResult
    removal: RemovalEligibility

    @property
    def klass(self) -> SlumClass | None:
        return self.result.klass


def score_location_rows(rows: Iterable[dict[str, Any]]) -> dict[int, LocationStatus]:
    """Pure part of :func:`location_statuses`: observation value rows → status per location.

    As ``surveys.selectors.location_score``: the RTs are summed under the rule set of the first
    RT (by RT id); RTs stored under another rule set are left out rather than mixed.
    """
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["location_id"]].append(row)
    statuses: dict[int, LocationStatus] = {}
    for location_id, observations in grouped.items():
        observations.sort(key=lambda o: o["rt_id"])
        rule_set = get_rule_set(observations[0]["rule_set"])
        unit = aggregate_inputs(
            unit_input({n: o[n] for n in HEADER_FIELDS}, o["volumes"], o["percents"])
            for o in observations
            if o["rule_set"] == rule_set.id
        )
        result = score_unit(unit, rule_set)
        statuses[location_id] = LocationStatus(
            tahun=observations[0]["tahun"],
            result=result,
            removal=removal_eligibility(result.total, rule_set, result.percent),
        )
    return statuses


def location_statuses(location_ids: Sequence[int]) -> dict[int, LocationStatus]:
    """Each location's latest-year status, for many locations in one query (a correlated
    subquery picks each location's latest year)."""
    if not location_ids:
        return {}
    latest_year = (
        Observation.objects.filter(rt__location_id=OuterRef("rt__location_id"))
        .values("rt__location_id")
        .annotate(latest=Max("tahun"))
        .values("latest")
    )
    rows = Observation.objects.filter(
        rt__location_id__in=location_ids, tahun=Subquery(latest_year)
    ).values(
        "rt_id",
        "tahun",
        "rule_set",
        "volumes",
        "percents",
        *HEADER_FIELDS,
        location_id=F("rt__location_id"),
    )
    return score_location_rows(rows)


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
    def removable_by_score(self) -> bool:
        return bool(self.status and self.status.removal.eligible_by_score)

    @property
    def removable(self) -> bool:
        """Both conditions: Tidak Kumuh and every basic service above 80 %."""
        return bool(self.status and self.status.removal.eligible_with_services)


def decree_entries(
    decree: SkDecree, visible: Q | None = None, *, with_status: bool = True
) -> list[EntryRow]:
    """The entries of `decree` (those matching `visible`, on ``SkLocation``), by location code,
    with each location's latest status. Two queries (one without status)."""
    entries = (
        SkLocation.objects.filter(decree=decree)
        .filter(visible if visible is not None else Q())
        .select_related("location__desa__parent")
        .defer("location__polygon")  # GeoJSON, possibly large, not shown here
        .order_by("location__code")
    )
    return entry_rows(list(entries), with_status=with_status)


def entry_rows(entries: list[SkLocation], *, with_status: bool) -> list[EntryRow]:
    """Rows for loaded entries (with ``location__desa__parent``); statuses in one query."""
    statuses = location_statuses([e.location_id for e in entries]) if with_status else {}
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
