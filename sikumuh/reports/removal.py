"""Status removal ("hapus status kumuh") in a region, and its table.

The summary reads the SK in force and each listed location's latest status through
:mod:`sikumuh.surveys.sk_entries` (the same reads as the SK registry's removal draft). A
kecamatan or desa whose status is *removed* is one where every location of the SK inside it
meets both conditions — class Tidak Kumuh (Permen PUPR 14/2018: total below 16) and every
basic service above 80 % (programme guidance, criteria.md §5) — which is how the 2021 Tanah Laut
report counts "2 kecamatan (Bajuin, Batu Ampar) dan 3 desa". Locations that qualify in a
kecamatan that still has slum locations are listed apart, and so are those that are Tidak Kumuh
without the basic-service condition.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from sikumuh.regions.codes import NATIONAL, location_inside
from sikumuh.reports.common import class_label
from sikumuh.reports.tables import Column, Table
from sikumuh.slums.models import SkDecree
from sikumuh.slums.sk_in_force import sk_version_in_force, this_year
from sikumuh.surveys.asof import ALL, StatusFilter
from sikumuh.surveys.sk_entries import DiffRow, EntryRow, decree_diff, decree_entries


@dataclass
class RemovedRegion:
    """A kecamatan or desa whose every SK location meets both removal conditions."""

    code: str
    name: str
    kecamatan_name: str
    locations: list[EntryRow] = field(default_factory=list)

    @property
    def luas_ha(self) -> Decimal:
        return sum((e.luas_ha for e in self.locations), Decimal(0))


@dataclass
class RemovalSummary:
    decree: SkDecree | None
    entries: list[EntryRow]
    kecamatan: list[RemovedRegion]
    desa: list[RemovedRegion]
    #: Qualifying locations in a kecamatan that still has slum locations.
    other_locations: list[EntryRow]
    #: Tidak Kumuh, but a basic service at or below 80 % (or unknown).
    score_only: list[EntryRow]
    #: Locations the SK in force dropped from the version it superseded.
    dropped: list[DiffRow]

    @property
    def qualifying(self) -> list[EntryRow]:
        return [e for e in self.entries if e.removable]

    @property
    def desa_in_kecamatan(self) -> list[RemovedRegion]:
        """The removed desa lying in a removed kecamatan (the report's "3 desa")."""
        inside = {k.code for k in self.kecamatan}
        return [d for d in self.desa if d.code.rsplit(".", 1)[0] in inside]

    @property
    def desa_elsewhere(self) -> list[RemovedRegion]:
        inside = {k.code for k in self.kecamatan}
        return [d for d in self.desa if d.code.rsplit(".", 1)[0] not in inside]


def _fully_removed(groups: dict[str, list[EntryRow]], names: dict[str, str]) -> list[RemovedRegion]:
    return [
        RemovedRegion(code, names.get(code, code), entries[0].kecamatan_name, entries)
        for code, entries in sorted(groups.items())
        if code and entries and all(e.removable for e in entries)
    ]


def removal_summary(
    code: str, tahun: int | None = None, status: StatusFilter = ALL
) -> RemovalSummary:
    """Status removal inside region `code` (a kabupaten/kota or below) against the SK of its
    kabupaten in force in `tahun` (default: this year; a later SK never changes an earlier
    year, criteria.md §9), each location's status from the data passing ``status``. Three
    queries, four when the SK supersedes an earlier version."""
    year = this_year() if tahun is None else tahun
    decree = sk_version_in_force(code, year) if code != NATIONAL else None
    if decree is None:
        return RemovalSummary(None, [], [], [], [], [], [])
    entries = decree_entries(decree, location_inside(code, "location__"), status=status)
    by_kecamatan: dict[str, list[EntryRow]] = defaultdict(list)
    by_desa: dict[str, list[EntryRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for entry in entries:
        by_kecamatan[entry.kecamatan_code].append(entry)
        by_desa[entry.desa_code].append(entry)
        names[entry.kecamatan_code] = entry.kecamatan_name
        names[entry.desa_code] = entry.desa_name
    kecamatan = _fully_removed(by_kecamatan, names)
    removed_kecamatan = {k.code for k in kecamatan}
    dropped: list[DiffRow] = []
    if decree.supersedes is not None:
        diff = decree_diff(decree.supersedes, decree, location_inside(code, "location__"))
        dropped = diff.removed
    return RemovalSummary(
        decree=decree,
        entries=entries,
        kecamatan=kecamatan,
        desa=_fully_removed(by_desa, names),
        other_locations=[
            e for e in entries if e.removable and e.kecamatan_code not in removed_kecamatan
        ],
        score_only=[e for e in entries if e.removable_by_score and not e.removable],
        dropped=dropped,
    )


def removal_table(removal: RemovalSummary) -> Table:
    """The SK locations that are Tidak Kumuh: those meeting both conditions first."""
    rows = [*removal.qualifying, *removal.score_only]
    return Table(
        key="removal",
        sheet=_("Status removal"),
        title=_("SK locations that are Tidak Kumuh (hapus status kumuh)"),
        columns=[
            Column(_("Code")),
            Column(_("Location")),
            Column(_("Desa/kelurahan")),
            Column(_("Kecamatan")),
            Column(_("SK area"), "ha"),
            Column(_("Class")),
            Column(_("Year of data")),
            Column(_("Every basic service above 80 %")),
        ],
        rows=[
            [
                e.code,
                e.name,
                e.desa_name,
                e.kecamatan_name,
                e.luas_ha,
                class_label(e.klass),
                e.status.tahun if e.status else None,
                e.removable,
            ]
            for e in rows
        ],
        note=_(
            "Both conditions: class Tidak Kumuh from the sum of the location's RTs in its latest "
            "year with data (Permen PUPR 14/2018), and every basic service (roads, drinking "
            "water, drainage, wastewater, solid waste) above 80 %."
        ),
    )
