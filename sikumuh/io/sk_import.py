"""A new SK Kumuh version from a lampiran file: check every row, show the change against the
version it replaces, then commit once through the SK actions (audited) or not at all.

A file identical to the version it would replace (the same locations with the same hectares)
makes no new version: it is reported as "unchanged" (an exported lampiran imports back
unchanged), since a second decree with the same list would say nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem
from sikumuh.io.readers import Source
from sikumuh.io.runs import record_run
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
class LampiranImport:
    """What a lampiran would do (``status`` "ready"), did ("committed"), or why not
    ("rejected": see ``problems``; "unchanged": identical to ``previous``)."""

    status: str
    lampiran: Lampiran
    problems: list[Problem]
    previous: SkDecree | None
    diff: LampiranDiff | None
    number: str
    date: dt.date
    decree: SkDecree | None = None
    new_locations: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_lampiran(
    source: Source, *, kabupaten: Region, number: str, date: dt.date, name: str | None = None
) -> LampiranImport:
    """Read and check a lampiran and the new version's particulars; nothing is written."""
    lampiran = read_lampiran(source, kabupaten=kabupaten, name=name)
    previous = previous_version(kabupaten.code)
    problems = [
        *check_particulars(
            lampiran.file_name, kabupaten=kabupaten, number=number, date=date, previous=previous
        ),
        *lampiran.problems,
    ]
    result = LampiranImport("ready", lampiran, problems, previous, None, number.strip(), date)
    if result.errors:
        result.status = "rejected"
        return result
    after = {row.kode_lokasi: (row.nama_lokasi, row.luas_ha) for row in lampiran.rows}
    result.diff = lampiran_diff(listing(previous), after)
    result.new_locations = [row.kode_lokasi for row in lampiran.rows if row.location is None]
    if previous is not None and result.diff.is_empty:
        result.status = "unchanged"
    return result


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
) -> LampiranImport:
    """Check the lampiran and, when it holds no error and changes something, register it as
    the new version of the kabupaten's SK in one transaction (new locations first), audited
    by the SK actions. See :class:`LampiranImport` for the outcome."""
    started = timezone.now()
    digest = _sha256(source)
    result = check_lampiran(source, kabupaten=kabupaten, number=number, date=date, name=name)
    if result.status != "ready":
        _record_run(result, actor=actor, kabupaten=kabupaten, sha256=digest, started=started)
        return result
    try:
        with transaction.atomic():
            result.decree = _commit(
                result, actor=actor, kabupaten=kabupaten, title=title, note=note
            )
            result.status = "committed"
            _record_run(result, actor=actor, kabupaten=kabupaten, sha256=digest, started=started)
    except DecreeError:
        # Another registration took the number or the version in between: nothing was saved.
        reason = _("the SK changed while the file was checked; check the file again")
        result.problems.append(Problem(result.lampiran.file_name, "-", None, None, reason))
        result.status = "rejected"
        result.decree = None
        _record_run(result, actor=actor, kabupaten=kabupaten, sha256=digest, started=started)
    return result


def _sha256(source: Source) -> str:
    """The file's SHA-256 for the run's record ("" for a stream: the reader reads it once)."""
    if not isinstance(source, str | os.PathLike):
        return ""
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return ""


def _record_run(
    result: LampiranImport, *, actor: Actor, kabupaten: Region, sha256: str, started: dt.datetime
) -> None:
    """The import run with its status and problems, as every importer records one (the import
    history lists it): the rows a new version adds, changes and keeps."""
    diff = result.diff if result.decree is not None else None
    report = ImportReport(
        kind=IMPORT_KIND,
        file_name=result.lampiran.file_name,
        status=result.status,
        rows_total=result.lampiran.rows_total,
        created=len(diff.added) if diff else 0,
        updated=len(diff.changed) if diff else 0,
        unchanged=result.diff.unchanged if result.diff else 0,
        rejected_rows=sorted({p.row for p in result.errors}),
        errors=result.errors,
        warnings=[p for p in result.problems if p.severity != "error"],
        extra={
            "number": result.number,
            "date": result.date.isoformat(),
            "decree": result.decree.pk if result.decree else None,
            "previous": result.previous.pk if result.previous else None,
            "dropped": [c.code for c in diff.dropped] if diff else [],
        },
    )
    record_run(report, file_sha256=sha256, region_code=kabupaten.code, started=started, actor=actor)


def _commit(
    result: LampiranImport, *, actor: Actor, kabupaten: Region, title: str, note: str
) -> SkDecree:
    entries: list[tuple[Location, Decimal]] = []
    for row in result.lampiran.rows:
        location = row.location or create_location(
            actor=actor,
            kabupaten=kabupaten,
            code=row.kode_lokasi,
            name=row.nama_lokasi,
            desa=row.desa,
            typology=row.tipologi,
        )
        entries.append((location, row.luas_ha))
    assert result.date is not None
    return register_decree(
        actor=actor,
        kabupaten=kabupaten,
        previous=result.previous,
        number=result.number,
        date=result.date,
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
