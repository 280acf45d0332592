"""Audited changes to a slum location's particulars.

Here, above `slums`, because a location's desa is denormalised into its stored yearly summaries
(`surveys.LocationScore` carries its desa and kecamatan codes): moving a location to another
desa refreshes them in the same transaction as the audited write. Creating a location touches no
figure and stays with the other slum writes (`sikumuh.slums.actions.create_location`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sikumuh.audit.actions import Actor, diff, record, snapshot
from sikumuh.slums.models import Location
from sikumuh.surveys.location_scores import refresh_location_scores


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
        if "desa_id" in changes:
            refresh_location_scores([location.pk])
        if changes:
            record(
                actor=actor,
                action="location.update",
                obj=location,
                changes=changes,
                region_code=location.desa_id or location.kabupaten_id,
            )
    return location
