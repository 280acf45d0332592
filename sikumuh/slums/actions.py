"""Audited writes for SK decrees and slum locations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from sikumuh.audit.actions import Actor, build_entry, diff, record, record_many, snapshot
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, SkDecree, SkLocation

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


def update_location(*, actor: Actor, location: Location, **values: Any) -> Location:
    unknown = set(values) - {"name", "desa_id", "typology", "polygon"}
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a location")
    with transaction.atomic():
        before = snapshot(location, values)
        for name, value in values.items():
            setattr(location, name, value)
        location.full_clean()
        location.save(update_fields=list(values))
        changes = diff(before, snapshot(location, values))
        if changes:
            record(
                actor=actor,
                action="location.update",
                obj=location,
                changes=changes,
                region_code=location.desa_id or location.kabupaten_id,
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
) -> SkDecree:
    """A new SK Kumuh (or a new version of one) with its locations and their hectares."""
    if kabupaten.level != Level.KABUPATEN:
        raise ValueError(f"{kabupaten.code} is not a kabupaten/kota")
    for location, luas in entries:
        if location.kabupaten_id != kabupaten.code:
            raise ValueError(f"location {location.code} is not in {kabupaten.code}")
        if luas <= 0:
            raise ValueError(f"location {location.code}: SK area must be positive, got {luas}")
    with transaction.atomic():
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
            [SkLocation(decree=decree, location=loc, luas_ha=luas) for loc, luas in entries]
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
                changes=diff({}, {"location": item.location_id, "luas_ha": item.luas_ha}),
                region_code=kabupaten.code,
            )
            for item in items
        ]
        record_many(audit)
    return decree
