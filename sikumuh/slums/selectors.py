"""Reads for the SK Kumuh registry: decrees and their version chains.

Each function answers one page in a fixed number of queries, whatever the number of entries
(tests pin the counts). A decree's entries with each location's status from the RT data are read
above this app (:mod:`sikumuh.surveys.sk_entries`); the SK in force in a year is
:mod:`sikumuh.slums.sk_in_force`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from sikumuh.regions.codes import NATIONAL, location_inside
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree

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
