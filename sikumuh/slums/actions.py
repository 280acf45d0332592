"""Audited writes for SK decrees, slum locations and their RT units.

A change of a location's particulars refreshes its stored figures, so it lives above this app
(`sikumuh.surveys.location_actions.update_location`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from sikumuh.audit.actions import Actor, build_entry, diff, record, record_many, snapshot
from sikumuh.audit.versioning import claim_version
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, RtUnit, SkDecree, SkLocation

LOCATION_FIELDS = ("code", "name", "desa_id", "typology")


def create_location(
    *,
    actor: Actor,
    kabupaten: Region,
    code: str,
    name: str,
    desa: Region | None = None,
    typology: str = "",
    polygon: dict[str, Any] | None = None,
) -> Location:
    if kabupaten.level != Level.KABUPATEN:
        raise ValueError(f"{kabupaten.code} is not a kabupaten/kota")
    if desa is not None and not desa.code.startswith(kabupaten.code + "."):
        raise ValueError(f"desa {desa.code} is not inside {kabupaten.code}")
    with transaction.atomic():
        location = Location.objects.create(
            kabupaten=kabupaten, code=code, name=name, desa=desa, typology=typology, polygon=polygon
        )
        record(
            actor=actor,
            action="location.create",
            obj=location,
            changes=diff({}, snapshot(location, LOCATION_FIELDS)),
            region_code=desa.code if desa else kabupaten.code,
        )
    return location


def create_decree(
    *,
    actor: Actor,
    kabupaten: Region,
    number: str,
    year: int,
    entries: Sequence[tuple[Location, Decimal]],
    date: dt.date | None = None,
    title: str = "",
    supersedes: SkDecree | None = None,
    note: str = "",
    stated_classes: Mapping[str, str] | None = None,
) -> SkDecree:
    """A new SK Kumuh (or a new version of one) with its locations and their hectares, and the
    class its source states for some of them (`stated_classes`: location code → class)."""
    stated = stated_classes or {}
    if kabupaten.level != Level.KABUPATEN:
        raise ValueError(f"{kabupaten.code} is not a kabupaten/kota")
    for location, luas in entries:
        if location.kabupaten_id != kabupaten.code:
            raise ValueError(f"location {location.code} is not in {kabupaten.code}")
        if luas <= 0:
            raise ValueError(f"location {location.code}: SK area must be positive, got {luas}")
    if len({location.pk for location, _ in entries}) != len(entries):
        raise DecreeError("a location is listed twice in one SK")
    with transaction.atomic():
        _check_number_free(kabupaten.code, number)
        decree = SkDecree.objects.create(
            kabupaten=kabupaten,
            number=number,
            year=year,
            date=date,
            title=title,
            supersedes=supersedes,
            note=note,
        )
        items = SkLocation.objects.bulk_create(
            [
                SkLocation(
                    decree=decree, location=loc, luas_ha=luas, stated_class=stated.get(loc.code)
                )
                for loc, luas in entries
            ]
        )
        audit = [
            build_entry(
                actor=actor,
                action="sk.create",
                obj=decree,
                changes=diff(
                    {},
                    {
                        "number": number,
                        "year": year,
                        "date": date,
                        "supersedes": supersedes.pk if supersedes else None,
                        "total_ha": sum((luas for _, luas in entries), Decimal(0)),
                    },
                ),
                region_code=kabupaten.code,
            )
        ]
        audit += [
            build_entry(
                actor=actor,
                action="sk.location.add",
                obj=item,
                changes=diff(
                    {},
                    {
                        "location": item.location_id,
                        "luas_ha": item.luas_ha,
                        "stated_class": item.stated_class,
                    },
                ),
                region_code=kabupaten.code,
            )
            for item in items
        ]
        record_many(audit)
    return decree


# --- SK versions and corrections (the SK Kumuh registry pages) -----------------------------------

DECREE_FIELDS = ("number", "date", "year", "title", "note")


class DecreeError(ValueError):
    """A decree write refused for a reason the user can fix (shown on the form as it is)."""


def _check_number_free(kabupaten_code: str, number: str, *, exclude: int | None = None) -> None:
    taken = SkDecree.objects.filter(kabupaten_id=kabupaten_code, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DecreeError(f"SK number {number!r} is already registered for {kabupaten_code}")


def new_decree_version(
    *,
    actor: Actor,
    previous: SkDecree,
    number: str,
    year: int,
    entries: Sequence[tuple[Location, Decimal]],
    date: dt.date | None = None,
    title: str = "",
    note: str = "",
    expected_version: int | None = None,
    stated_classes: Mapping[str, str] | None = None,
) -> SkDecree:
    """A new SK that supersedes `previous` (the 5-yearly review of the SK Kumuh), with its own
    list of locations and hectares.

    Audited three ways in one transaction: the new decree and its entries (as `create_decree`
    does), one ``sk.version`` entry on the new decree whose changes are the locations added,
    removed or with changed hectares (``{"location:<code>": [ha before, ha after]}``), and one
    ``sk.superseded`` entry on the previous decree. A version chain does not fork: a decree that
    is already superseded is refused (start from the newest version), and a new version may not
    be older than the one it replaces. Superseding is a change of `previous`: a page opened on
    it before someone else corrected or superseded it gets `versioning.StaleEdit`.
    """
    with transaction.atomic():
        previous = SkDecree.objects.select_for_update().get(pk=previous.pk)
        successor = SkDecree.objects.filter(supersedes=previous).first()
        if successor is not None:
            raise DecreeError(f"{previous} is already superseded by {successor}")
        claim_version(previous, expected_version, fields=DECREE_FIELDS)
        if year < previous.year:
            raise DecreeError(f"a new version ({year}) cannot be older than {previous}")
        _check_number_free(previous.kabupaten_id, number)
        before = {
            item.location.code: item.luas_ha for item in previous.entries.select_related("location")
        }
        decree = create_decree(
            actor=actor,
            kabupaten=previous.kabupaten,
            number=number,
            year=year,
            entries=entries,
            date=date,
            title=title,
            supersedes=previous,
            note=note,
            stated_classes=stated_classes,
        )
        after = {location.code: luas for location, luas in entries}
        changes = {f"location:{code}": change for code, change in diff(before, after).items()}
        kept = before.keys() & after.keys()
        record(
            actor=actor,
            action="sk.version",
            obj=decree,
            changes=changes,
            region_code=previous.kabupaten_id,
            context={
                "supersedes": previous.pk,
                "added": len(after.keys() - before.keys()),
                "removed": len(before.keys() - after.keys()),
                "changed": sum(1 for code in kept if f"location:{code}" in changes),
            },
        )
        record(
            actor=actor,
            action="sk.superseded",
            obj=previous,
            changes={"superseded_by": [None, decree.pk]},
            region_code=previous.kabupaten_id,
        )
    return decree


def update_decree(
    *, actor: Actor, decree: SkDecree, expected_version: int | None = None, **values: Any
) -> SkDecree:
    """Correct a decree's particulars (number, date, year, title, note) and audit each change.

    A form's save passes the `expected_version` it was opened with: if someone changed the
    decree in between, `versioning.StaleEdit` and nothing is written.

    Its locations and hectares are not edited in place: an SK's list changes by a new version
    (:func:`new_decree_version`), so that every list ever decreed stays readable.
    """
    unknown = set(values) - set(DECREE_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a decree")
    with transaction.atomic():
        decree = SkDecree.objects.select_for_update().get(pk=decree.pk)
        if "number" in values:
            _check_number_free(decree.kabupaten_id, values["number"], exclude=decree.pk)
        before = snapshot(decree, values)
        for name, value in values.items():
            setattr(decree, name, value)
        # The number's uniqueness was checked above with a clear message.
        decree.full_clean(
            exclude=["kabupaten", "supersedes"], validate_unique=False, validate_constraints=False
        )
        changes = diff(before, snapshot(decree, values))
        if changes:
            claim_version(decree, expected_version, fields=DECREE_FIELDS)
            decree.save(update_fields=list(values))
            record(
                actor=actor,
                action="sk.update",
                obj=decree,
                changes=changes,
                region_code=decree.kabupaten_id,
            )
    return decree


class RtExists(ValueError):
    """The location already has an RT with this label."""


def create_rt(*, actor: Actor, location: Location, rt: str, desa: Region) -> RtUnit:
    """A new RT unit in a location (the RT entry form's "add an RT"), audited as ``rt.create``
    like the importers' RTs. The label is kept as written ("003" stays "003")."""
    label = rt.strip()
    if not label:
        raise ValueError("an RT needs a label")
    if len(label) > RtUnit._meta.get_field("rt").max_length:  # type: ignore[operator]
        raise ValueError(f"RT label {label!r} is too long")
    if desa.level != Level.DESA:
        raise ValueError(f"{desa.code} is not a desa/kelurahan")
    if not desa.code.startswith(location.kabupaten_id + "."):
        raise ValueError(f"desa {desa.code} is not inside {location.kabupaten_id}")
    with transaction.atomic():
        if RtUnit.objects.filter(location=location, rt=label).exists():
            raise RtExists(f"location {location.code} already has RT {label}")
        unit = RtUnit.objects.create(location=location, desa=desa, rt=label)
        record(
            actor=actor,
            action="rt.create",
            obj=unit,
            changes=diff({}, {"rt": label, "location": location.pk, "desa": desa.code}),
            region_code=desa.code,
        )
    return unit
