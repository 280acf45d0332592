"""The volumes found on the ground for a sampled item's RT, against the reported data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, diff, json_value, record
from sikumuh.audit.versioning import claim_version
from sikumuh.core.criteria import get_rule_set
from sikumuh.inspections.actions import region_of
from sikumuh.inspections.models import (
    Resurvey,
    SampleItem,
)
from sikumuh.surveys.models import Observation

RESURVEY_FIELDS = ("volumes_found", "facilitator", "measured_by", "measured_on", "notes")


def reported_observation(item: SampleItem) -> Observation | None:
    """The observation a re-survey is compared with: the RT's latest up to the last year of the
    uji petik (the data the programme reported for that period)."""
    if item.rt_id is None:
        return None
    last = max(item.uji_petik.tahun) if item.uji_petik.tahun else 9999
    return (
        Observation.objects.filter(rt_id=item.rt_id, tahun__lte=last)
        .select_related("entered_by")
        .order_by("-tahun")
        .first()
    )


def facilitator_of(observation: Observation) -> str:
    """Who reported the data: the user who entered it, else its source."""
    if observation.entered_by is not None:
        return str(observation.entered_by.get_username())
    return str(observation.get_source_display())


def save_resurvey(
    *,
    actor: Actor,
    item: SampleItem,
    volumes_found: Mapping[str, Decimal | None],
    facilitator: str | None = None,
    measured_by: str = "",
    measured_on: dt.date | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> Resurvey:
    """Store (or update) the volumes found on the ground for a sampled item's RT; a form's save
    passes the `expected_version` it was opened with (see `save_checklist`)."""
    observation = reported_observation(item)
    if observation is None:
        raise ValueError(f"{item.key}: no RT data to compare with")
    codes = set(get_rule_set(observation.rule_set).codes)
    unknown = set(volumes_found) - codes
    if unknown:
        raise ValueError(f"not criteria of {observation.rule_set}: {sorted(unknown)}")
    if any(v is not None and v < 0 for v in volumes_found.values()):
        raise ValueError("a volume found cannot be negative")
    values: dict[str, Any] = {
        "observation_id": observation.pk,
        "volumes_found": {
            c: json_value(v) for c, v in sorted(volumes_found.items()) if v is not None
        },
        "facilitator": (facilitator if facilitator is not None else facilitator_of(observation))[
            :150
        ],
        "measured_by": measured_by[:150],
        "measured_on": measured_on or timezone.localdate(),
        "notes": notes,
    }
    with transaction.atomic():
        resurvey = Resurvey.objects.select_for_update().filter(sample_item=item).first()
        before = {} if resurvey is None else {n: getattr(resurvey, n) for n in values}
        if resurvey is None:
            resurvey = Resurvey(sample_item=item)
        changes = diff(before, values)
        if resurvey.pk is not None and not changes:
            return resurvey
        if resurvey.pk is not None:
            claim_version(resurvey, expected_version, fields=RESURVEY_FIELDS)
        for name, value in values.items():
            setattr(resurvey, name, value)
        action = "resurvey.update" if resurvey.pk else "resurvey.create"
        resurvey.save()
        record(
            actor=actor, action=action, obj=resurvey, changes=changes, region_code=region_of(item)
        )
    return resurvey
