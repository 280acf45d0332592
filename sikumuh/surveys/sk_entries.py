"""An SK's entries read with each location's figures from the RT data: the entries of a
decree with each location's latest status, totals per kecamatan, two versions compared, and the
draft list of locations that may leave the SK (hapus status kumuh).

Here, in `surveys`, because a status is scored from the RT data; the plain reads of the registry
(decrees, version chains, the SK in force) are in :mod:`sikumuh.slums.selectors` and
:mod:`sikumuh.slums.sk_in_force`. Same rules: a fixed number of queries per call (tests pin the
counts), entry filters passed in as ``Q`` on ``SkLocation`` by the caller, which knows the
reader's scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import Authority, Typology, authority_for_area
from sikumuh.regions.codes import location_inside
from sikumuh.slums.models import SkDecree, SkLocation
from sikumuh.slums.sk_in_force import sk_version_in_force, this_year
from sikumuh.surveys.asof import ALL, StatusFilter
from sikumuh.surveys.location_status import LocationStatus, location_statuses

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
