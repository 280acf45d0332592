"""Reads of the SK registry that compare: two versions of an SK, and the SK in force against
the RT data (the draft list of locations that may leave it, hapus status kumuh).

Split from :mod:`sikumuh.slums.selectors` (the plain reads) to keep modules small; same rules:
a fixed number of queries per call, entry filters passed in as ``Q`` on ``SkLocation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from sikumuh.regions.codes import NATIONAL, location_inside
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree, SkLocation
from sikumuh.slums.selectors import (
    EntryRow,
    decree_entries,
    entry_rows,
    total_ha,
)
from sikumuh.slums.sk_in_force import decrees_in_force, this_year

# --- The SK in force ---------------------------------------------------------------------------


def sk_version_in_force(region_code: str, year: int) -> SkDecree | None:
    """The SK in force in `year` for the kabupaten holding `region_code` (a kabupaten/kota or a
    region inside it): the latest version with a decree date on or before 31 December of
    `year` (criteria.md §9). A later SK never changes an earlier year. None above a kabupaten
    or without one. One query."""
    if region_code == NATIONAL or level_of(region_code) < Level.KABUPATEN:
        return None
    return decrees_in_force(region_code[:5], year).get(region_code[:5])


def sk_versions_in_force(code: str, year: int) -> list[SkDecree]:
    """The SK in force in `year` of every kabupaten/kota inside (or holding) `code`, by
    kabupaten code (one query)."""
    return sorted(decrees_in_force(code, year).values(), key=lambda d: d.kabupaten_id)


# --- Two versions compared ---------------------------------------------------------------------


#: The kinds of difference, in the order a comparison lists them.
CHANGE_KINDS = ("added", "removed", "changed")


@dataclass(frozen=True)
class DiffRow:
    before: EntryRow | None
    after: EntryRow | None

    @property
    def kind(self) -> str:
        """ "added", "removed", "changed" (`CHANGE_KINDS`) or "unchanged"."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.change else "unchanged"

    @property
    def kind_order(self) -> int:
        """Where the kind comes in a comparison (`CHANGE_KINDS`; unchanged last)."""
        kind = self.kind
        return CHANGE_KINDS.index(kind) if kind in CHANGE_KINDS else len(CHANGE_KINDS)

    @property
    def row(self) -> EntryRow:
        row = self.after or self.before
        assert row is not None
        return row

    @property
    def ha_before(self) -> Decimal | None:
        return self.before.luas_ha if self.before else None

    @property
    def ha_after(self) -> Decimal | None:
        return self.after.luas_ha if self.after else None

    @property
    def change(self) -> Decimal:
        return (self.ha_after or Decimal(0)) - (self.ha_before or Decimal(0))


@dataclass(frozen=True)
class DecreeDiff:
    """What changed from one SK version to another (``before`` is the older of the two)."""

    before: SkDecree
    after: SkDecree
    added: list[DiffRow]
    removed: list[DiffRow]
    changed: list[DiffRow]
    unchanged: int
    total_before: Decimal
    total_after: Decimal

    @property
    def total_change(self) -> Decimal:
        return self.total_after - self.total_before

    @property
    def rows(self) -> list[tuple[str, DiffRow]]:
        """Every difference, tagged "added" / "removed" / "changed"."""
        return [
            *(("added", r) for r in self.added),
            *(("removed", r) for r in self.removed),
            *(("changed", r) for r in self.changed),
        ]


def chronological(a: SkDecree, b: SkDecree) -> tuple[SkDecree, SkDecree]:
    """The two decrees oldest first (year, then registration order)."""
    return (a, b) if (a.year, a.pk) <= (b.year, b.pk) else (b, a)


def decree_diff(a: SkDecree, b: SkDecree, visible: Q | None = None) -> DecreeDiff:
    """Locations added, removed and with changed hectares between two decrees, compared in
    chronological order whatever order they are given in. One query."""
    before, after = chronological(a, b)
    entries = list(
        SkLocation.objects.filter(decree_id__in=[before.pk, after.pk])
        .filter(visible if visible is not None else Q())
        .select_related("location__desa__parent")
        .defer("location__polygon")  # GeoJSON, possibly large, not shown here
        .order_by("location__code")
    )
    rows = entry_rows(entries, with_status=False)
    old = {r.location_id: r for e, r in zip(entries, rows, strict=True) if e.decree_id == before.pk}
    new = {r.location_id: r for e, r in zip(entries, rows, strict=True) if e.decree_id == after.pk}
    if before.pk == after.pk:
        new = old
    by_code = sorted(old.keys() | new.keys(), key=lambda i: (old.get(i) or new[i]).code)
    added, removed, changed, unchanged = [], [], [], 0
    for location_id in by_code:
        item = DiffRow(old.get(location_id), new.get(location_id))
        if item.before is None:
            added.append(item)
        elif item.after is None:
            removed.append(item)
        elif item.change:
            changed.append(item)
        else:
            unchanged += 1
    return DecreeDiff(
        before=before,
        after=after,
        added=added,
        removed=removed,
        changed=changed,
        unchanged=unchanged,
        total_before=total_ha(old.values()),
        total_after=total_ha(new.values()),
    )


# --- Hapus status kumuh: the draft for the next SK review -------------------------------------


@dataclass(frozen=True)
class RemovalDraft:
    """Locations of the SK in force whose latest class is Tidak Kumuh (the regulation's
    condition, criteria.md §5), with the programme's basic-service condition beside it.

    ``rows`` lists those locations, the ones meeting both conditions first. The SK figures are
    of the entries inside the region asked for.
    """

    decree: SkDecree
    rows: list[EntryRow]
    sk_locations: int
    sk_ha: Decimal
    without_class: int

    @property
    def qualifying(self) -> list[EntryRow]:
        return [r for r in self.rows if r.removable]

    @property
    def qualifying_ha(self) -> Decimal:
        return total_ha(self.qualifying)

    @property
    def score_only(self) -> list[EntryRow]:
        """Tidak Kumuh, but a basic service is at or below 80 % (or unknown)."""
        return [r for r in self.rows if not r.removable]

    @property
    def remaining_ha(self) -> Decimal:
        """SK hectares left if every qualifying location leaves the list."""
        return self.sk_ha - self.qualifying_ha


def removal_draft(code: str, tahun: int | None = None) -> RemovalDraft | None:
    """The removal draft for the SK in force in `tahun` (default: this year) of the kabupaten
    holding `code` (a kabupaten, kecamatan or desa), over its locations inside `code`. Three
    queries; None without an SK in force. A location a later SK dropped is not in it."""
    decree = sk_version_in_force(code, this_year() if tahun is None else tahun)
    if decree is None:
        return None
    entries = decree_entries(decree, location_inside(code, "location__"))
    rows = [e for e in entries if e.removable_by_score]
    rows.sort(key=lambda r: (not r.removable, r.code))
    return RemovalDraft(
        decree=decree,
        rows=rows,
        sk_locations=len(entries),
        sk_ha=total_ha(entries),
        without_class=sum(1 for e in entries if e.klass is None),
    )
