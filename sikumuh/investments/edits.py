"""Audited writes of one investment at a time (the Investasi pages): add, change, delete.

Each refuses a locked kabupaten-year (`surveys.review.YearLocked`, worded by `lock_text`): a
change to the money of a year the Pokja has closed would move its figures after the fact. A
change of year checks both years. A deletion records its reason in the audit entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from sikumuh.audit.actions import Actor, diff, record, snapshot
from sikumuh.audit.versioning import claim_version
from sikumuh.investments.actions import MUTABLE_FIELDS, created_values
from sikumuh.investments.models import Investment
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.review import assert_not_locked

#: The fields a form sets besides the place: what an edit may change.
FORM_FIELDS = ("criterion", "tahun", "activity", *MUTABLE_FIELDS)


def _region(inv: Investment) -> str:
    if inv.rt is not None:
        return inv.rt.desa_id
    return inv.location.desa_id or inv.location.kabupaten_id


def create_investment(
    *, actor: Actor, location: Location, rt: RtUnit | None, values: dict[str, Any]
) -> Investment:
    """A new investment in `location` (in `rt` when given); `values` holds `FORM_FIELDS`."""
    assert rt is None or rt.location_id == location.pk
    with transaction.atomic():
        assert_not_locked(location.kabupaten_id, int(values["tahun"]))
        inv = Investment.objects.create(location=location, rt=rt, **values)
        record(
            actor=actor,
            action="investment.create",
            obj=inv,
            changes=diff({}, created_values(inv)),
            region_code=_region(inv),
        )
    return inv


def update_investment(
    *,
    actor: Actor,
    investment: Investment,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> bool:
    """Change the form's fields; False when nothing changed (no audit entry then). A save of a
    form opened on an older version is refused (`audit.versioning.StaleEdit`)."""
    before = snapshot(investment, FORM_FIELDS)
    after = {name: values.get(name, before[name]) for name in FORM_FIELDS}
    for name, places in (("volume", "0.000001"), ("cost", "0.01")):
        if isinstance(after[name], Decimal):  # the model's precision: an unchanged form is equal
            after[name] = after[name].quantize(Decimal(places))
    changes = diff(before, after)
    if not changes:
        return False
    with transaction.atomic():
        kabupaten = investment.location.kabupaten_id
        assert_not_locked(kabupaten, investment.tahun)
        assert_not_locked(kabupaten, int(after["tahun"]))
        claim_version(investment, expected_version, fields=FORM_FIELDS)
        for name, value in after.items():
            setattr(investment, name, value)
        investment.save(update_fields=list(FORM_FIELDS))
        record(
            actor=actor,
            action="investment.update",
            obj=investment,
            changes=changes,
            region_code=_region(investment),
        )
    return True


def delete_investment(*, actor: Actor, investment: Investment, reason: str) -> None:
    """Delete with a reason, kept in the audit entry with every value the investment had."""
    if not reason.strip():
        raise ValueError("a reason is required")
    with transaction.atomic():
        assert_not_locked(investment.location.kabupaten_id, investment.tahun)
        region = _region(investment)
        changes = diff(created_values(investment), {})
        record(
            actor=actor,
            action="investment.delete",
            obj=investment,
            changes=changes,
            region_code=region,
            context={"reason": reason.strip()},
        )
        investment.delete()
