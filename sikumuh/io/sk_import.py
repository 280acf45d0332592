"""A new SK Kumuh version from a lampiran file: check every row, show the change against the
version it replaces, then commit once through the SK actions (audited) or not at all.

A file identical to the version it would replace (the same locations with the same hectares)
makes no new version: it is reported as "unchanged" (an exported lampiran imports back
unchanged), since a second decree with the same list would say nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED, READY, REJECTED, UNCHANGED, ImportReport, Problem
from sikumuh.io.readers import Source
from sikumuh.io.runs import file_sha256, record_run
from sikumuh.io.sk_lampiran import Lampiran, check_particulars, read_lampiran
from sikumuh.regions.models import Region
from sikumuh.slums.actions import DecreeError, create_decree, create_location, new_decree_version
from sikumuh.slums.models import Location, SkDecree
from sikumuh.slums.selectors import NEWEST_FIRST

#: ImportRun.kind of these imports.
IMPORT_KIND = "sk-lampiran"

# --- The change against the previous version (pure) ---------------------------------------------

#: A lampiran as compared: location code → (location name, hectares).
Listing = Mapping[str, tuple[str, Decimal]]


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    ha_before: Decimal | None
    ha_after: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.ha_after or Decimal(0)) - (self.ha_before or Decimal(0))


@dataclass(frozen=True)
class LampiranDiff:
    added: list[Change]
    dropped: list[Change]
    changed: list[Change]
    unchanged: int
    total_before: Decimal
    total_after: Decimal

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.dropped or self.changed)

    @property
    def total_change(self) -> Decimal:
        return self.total_after - self.total_before


def lampiran_diff(before: Listing, after: Listing) -> LampiranDiff:
    """Locations added, dropped and with changed hectares from `before` to `after`, by code."""
    added, dropped, changed, unchanged = [], [], [], 0
    for code in sorted(before.keys() | after.keys()):
        old, new = before.get(code), after.get(code)
        name = (new or old or ("", Decimal(0)))[0]
        change = Change(code, name, old[1] if old else None, new[1] if new else None)
        if old is None:
            added.append(change)
        elif new is None:
            dropped.append(change)
        elif old[1] != new[1]:
            changed.append(change)
        else:
            unchanged += 1
    return LampiranDiff(
        added=added,
        dropped=dropped,
        changed=changed,
        unchanged=unchanged,
        total_before=sum((ha for _, ha in before.values()), Decimal(0)),
        total_after=sum((ha for _, ha in after.values()), Decimal(0)),
    )


# --- Checking and committing ---------------------------------------------------------------------


def previous_version(kabupaten_code: str) -> SkDecree | None:
    """The version a new lampiran replaces: the newest one not yet superseded."""
    return (
        SkDecree.objects.filter(kabupaten_id=kabupaten_code, superseded_by__isnull=True)
        .order_by(*NEWEST_FIRST)
        .first()
    )


def listing(decree: SkDecree | None) -> dict[str, tuple[str, Decimal]]:
    """A version's entries as compared: location code → (name, hectares); {} for none."""
    if decree is None:
        return {}
    entries = decree.entries.select_related("location").defer("location__polygon")
    return {e.location.code: (e.location.name, e.luas_ha) for e in entries}


@dataclass
class LampiranCheck:
    """A lampiran as checked (the report's ``preview``): its rows, the new version's
    particulars, the version it replaces and the change against it (None when rejected); after
    a commit, the new version."""

    lampiran: Lampiran
    number: str
    date: dt.date
    previous: SkDecree | None
    diff: LampiranDiff | None = None
    decree: SkDecree | None = None
    new_locations: list[str] = field(default_factory=list)


#: What a lampiran would do (``status`` "ready"), did ("committed"), or why not ("rejected":
#: see ``errors``; "unchanged": identical to the previous version).
LampiranReport = ImportReport[LampiranCheck]


def check_lampiran(
    source: Source, *, kabupaten: Region, number: str, date: dt.date, name: str | None = None
) -> LampiranReport:
    """Read and check a lampiran and the new version's particulars; nothing is written. The
    counts are those a commit would make: locations added, changed and kept."""
    lampiran = read_lampiran(source, kabupaten=kabupaten, name=name)
    previous = previous_version(kabupaten.code)
    problems = [
        *check_particulars(
            lampiran.file_name, kabupaten=kabupaten, number=number, date=date, previous=previous
        ),
        *lampiran.problems,
    ]
    check = LampiranCheck(lampiran, number.strip(), date, previous)
    report = LampiranReport(
        kind=IMPORT_KIND,
        file_name=lampiran.file_name,
        status=READY,
        rows_total=lampiran.rows_total,
        errors=[p for p in problems if p.severity == "error"],
        warnings=[p for p in problems if p.severity != "error"],
        preview=check,
    )
    if report.errors:
        _reject(report)
        return report
    after = {row.kode_lokasi: (row.nama_lokasi, row.luas_ha) for row in lampiran.rows}
    diff = check.diff = lampiran_diff(listing(previous), after)
    check.new_locations = [row.kode_lokasi for row in lampiran.rows if row.location is None]
    report.created, report.updated, report.unchanged = (
        len(diff.added),
        len(diff.changed),
        diff.unchanged,
    )
    if previous is not None and diff.is_empty:
        report.status = UNCHANGED
    return report


def _reject(report: LampiranReport) -> None:
    """Nothing is (or was) saved: no location added or changed, the rows with errors listed."""
    report.status, report.created, report.updated = REJECTED, 0, 0
    report.rejected_rows = sorted({p.row for p in report.errors})


def import_lampiran(
    source: Source,
    *,
    actor: Actor,
    kabupaten: Region,
    number: str,
    date: dt.date,
    name: str | None = None,
    title: str = "",
    note: str = "",
) -> LampiranReport:
    """Check the lampiran and, when it holds no error and changes something, register it as
    the new version of the kabupaten's SK in one transaction (new locations first), audited
    by the SK actions. See :data:`LampiranReport` for the outcome."""
    started = timezone.now()
    digest = file_sha256(source)
    report = check_lampiran(source, kabupaten=kabupaten, number=number, date=date, name=name)
    check = report.preview
    assert check is not None  # check_lampiran always sets it
    if report.status != READY:
        _record_run(report, check, actor=actor, kabupaten=kabupaten, sha256=digest, started=started)
        return report
    try:
        with transaction.atomic():
            check.decree = _commit(check, actor=actor, kabupaten=kabupaten, title=title, note=note)
            report.status = COMMITTED
            _record_run(
                report, check, actor=actor, kabupaten=kabupaten, sha256=digest, started=started
            )
    except DecreeError:
        # Another registration took the number or the version in between: nothing was saved.
        reason = _("the SK changed while the file was checked; check the file again")
        report.errors.append(Problem(report.file_name, "-", None, None, reason))
        _reject(report)
        check.decree = None
        _record_run(report, check, actor=actor, kabupaten=kabupaten, sha256=digest, started=started)
    return report


def _record_run(
    report: LampiranReport,
    check: LampiranCheck,
    *,
    actor: Actor,
    kabupaten: Region,
    sha256: str,
    started: dt.datetime,
) -> None:
    """The import run with its status and problems, as every importer records one (the import
    history lists it): the rows a new version adds, changes and keeps."""
    diff = check.diff if check.decree is not None else None
    report.extra = {
        "number": check.number,
        "date": check.date.isoformat(),
        "decree": check.decree.pk if check.decree else None,
        "previous": check.previous.pk if check.previous else None,
        "dropped": [c.code for c in diff.dropped] if diff else [],
    }
    record_run(report, file_sha256=sha256, region_code=kabupaten.code, started=started, actor=actor)


def _commit(
    check: LampiranCheck, *, actor: Actor, kabupaten: Region, title: str, note: str
) -> SkDecree:
    entries: list[tuple[Location, Decimal]] = []
    for row in check.lampiran.rows:
        location = row.location or create_location(
            actor=actor,
            kabupaten=kabupaten,
            code=row.kode_lokasi,
            name=row.nama_lokasi,
            desa=row.desa,
            typology=row.tipologi,
        )
        entries.append((location, row.luas_ha))
    return register_decree(
        actor=actor,
        kabupaten=kabupaten,
        previous=check.previous,
        number=check.number,
        date=check.date,
        entries=entries,
        title=title,
        note=note,
    )


def register_decree(
    *,
    actor: Actor,
    kabupaten: Region,
    previous: SkDecree | None,
    number: str,
    date: dt.date,
    entries: list[tuple[Location, Decimal]],
    title: str,
    note: str,
    stated_classes: Mapping[str, str] | None = None,
) -> SkDecree:
    """The kabupaten's first SK, or a new version of `previous` (keeping its title unless one
    is given): what every SK import commits (the lampiran, a GIS layer; the layer with the
    class it states per location code, `stated_classes`)."""
    if previous is None:
        return create_decree(
            actor=actor,
            kabupaten=kabupaten,
            number=number,
            year=date.year,
            date=date,
            entries=entries,
            title=title,
            note=note,
            stated_classes=stated_classes,
        )
    return new_decree_version(
        actor=actor,
        previous=previous,
        number=number,
        year=date.year,
        date=date,
        entries=entries,
        title=title or previous.title,
        note=note,
        stated_classes=stated_classes,
    )
