"""The checklist of a sampled item, findings and their follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, diff, record
from sikumuh.audit.versioning import claim_version
from sikumuh.inspections.actions import region_of
from sikumuh.inspections.identity import identity_of
from sikumuh.inspections.models import (
    Checklist,
    ChecklistSource,
    Finding,
    FollowUp,
    FollowUpStatus,
    SampleItem,
    Severity,
    UjiPetik,
)

#: The checklist answers a form or a submission may set (uji-petik.md, checklist table).
CHECKLIST_FIELDS = (
    "volume_planned",
    "volume_built",
    "meets_spec",
    "quality",
    "function",
    "users_planned",
    "users_actual",
    "kpp_formed",
    "kpp_dues_or_schedule",
    "handed_over",
    "doc_plans_budget",
    "doc_accountability",
    "doc_photos",
    "doc_handover",
    "land_free_of_dispute",
    "no_environmental_harm",
    "notes",
    "latitude",
    "longitude",
    "surveyor",
)
_QUANTA = {
    "volume_planned": Decimal("0.0001"),
    "volume_built": Decimal("0.0001"),
    "latitude": Decimal("0.000001"),
    "longitude": Decimal("0.000001"),
}

FOLLOW_UP_FIELDS = ("status", "closing_evidence", "closed_at")


def _clean(name: str, value: Any) -> Any:
    """A value at the model's precision, so that saving the same answer twice changes nothing."""
    if name in _QUANTA and value is not None:
        return Decimal(value).quantize(_QUANTA[name])
    if name in {"quality", "function", "notes", "surveyor"}:
        return value or ""
    return value


def save_checklist(
    *,
    actor: Actor,
    item: SampleItem,
    values: Mapping[str, Any],
    source: str = ChecklistSource.WEB,
    submission_id: str | None = None,
    submitted_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> tuple[Checklist, bool]:
    """Create or update the checklist of a sampled item; returns it and whether it changed.

    Answers not in `values` stay as they are; each changed answer is audited. A form's save
    passes the `expected_version` it was opened with (`versioning.NOT_STORED` when there was no
    checklist yet): if someone saved in between, `versioning.StaleEdit`.
    """
    unknown = set(values) - set(CHECKLIST_FIELDS)
    if unknown:
        raise ValueError(f"not checklist fields: {sorted(unknown)}")
    cleaned = {name: _clean(name, value) for name, value in values.items()}
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().filter(sample_item=item).first()
        created = checklist is None
        if checklist is None:
            checklist = Checklist(sample_item=item, identity=identity_of(item))
        meta: dict[str, Any] = {"source": source, "submission_id": submission_id}
        if submitted_at is not None:
            meta["submitted_at"] = submitted_at
        before = {} if created else {n: getattr(checklist, n) for n in [*cleaned, *meta]}
        changes = diff(before, {**cleaned, **meta})
        if not created and not changes:
            return checklist, False
        if not created:
            claim_version(checklist, expected_version, fields=CHECKLIST_FIELDS)
        for name, value in {**cleaned, **meta}.items():
            setattr(checklist, name, value)
        if submitted_at is None:
            checklist.submitted_at = timezone.now()
        checklist.full_clean(exclude=["sample_item", "identity"])
        checklist.save()
        record(
            actor=actor,
            action="checklist.create" if created else "checklist.update",
            obj=checklist,
            changes=changes,
            region_code=region_of(item),
            context={"item": item.key, "source": source},
        )
    return checklist, True


def record_finding(
    *,
    actor: Actor,
    uji_petik: UjiPetik,
    severity: str,
    description: str,
    sample_item: SampleItem | None = None,
    photo: File[Any] | None = None,
    photo_ref: str = "",
    submission_id: str = "",
) -> Finding:
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")
    if not description.strip():
        raise ValueError("a finding needs a description")
    if sample_item is not None and sample_item.uji_petik_id != uji_petik.pk:
        raise ValueError("the item belongs to another uji petik")
    with transaction.atomic():
        finding = Finding(
            uji_petik=uji_petik,
            sample_item=sample_item,
            severity=severity,
            description=description.strip(),
            photo_ref=photo_ref[:200],
            submission_id=submission_id[:100],
            created_by_label=actor.label[:150],
        )
        if photo is not None:
            finding.photo.save(photo.name or "foto", photo, save=False)
        finding.save()
        record(
            actor=actor,
            action="finding.create",
            obj=finding,
            changes=diff(
                {},
                {
                    "severity": severity,
                    "description": finding.description,
                    "sample_item": sample_item.pk if sample_item else None,
                    "photo": finding.photo.name or photo_ref or None,
                },
            ),
            region_code=region_of(sample_item) if sample_item else uji_petik.kabupaten_id,
        )
    return finding


def add_follow_up(
    *,
    actor: Actor,
    finding: Finding,
    action: str,
    responsible: str,
    deadline: dt.date | None = None,
) -> FollowUp:
    if not action.strip() or not responsible.strip():
        raise ValueError("a follow-up needs an action and a person responsible")
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            uji_petik_id=finding.uji_petik_id,
            finding=finding,
            action=action.strip(),
            responsible=responsible.strip()[:200],
            deadline=deadline,
        )
        record(
            actor=actor,
            action="follow_up.create",
            obj=follow_up,
            changes=diff(
                {},
                {"finding": finding.pk, "action": follow_up.action, "responsible": responsible},
            )
            | diff({}, {"deadline": deadline}),
            region_code=finding.uji_petik.kabupaten_id,
        )
    return follow_up


def close_follow_up(
    *,
    actor: Actor,
    follow_up: FollowUp,
    evidence: str,
    file: File[Any] | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """Mark a follow-up done, with its closing evidence (text and optionally a file).

    The version is claimed first: of two people closing it at once (or one closing it while
    another carries it into the next uji petik) one wins, the other gets `StaleEdit`.
    """
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValueError("only an open follow-up can be closed")
    if not evidence.strip() and file is None:
        raise ValueError("closing a follow-up needs evidence")
    with transaction.atomic():
        claim_version(follow_up, expected_version, fields=FOLLOW_UP_FIELDS)
        follow_up.status = FollowUpStatus.DONE
        follow_up.closing_evidence = evidence.strip()
        follow_up.closed_at = timezone.now()
        if file is not None:
            follow_up.closing_file.save(file.name or "bukti", file, save=False)
        follow_up.save()
        record(
            actor=actor,
            action="follow_up.close",
            obj=follow_up,
            changes={
                "status": [FollowUpStatus.OPEN.value, FollowUpStatus.DONE.value],
                **diff({}, {"closing_evidence": follow_up.closing_evidence}),
                **diff({}, {"closing_file": follow_up.closing_file.name or None}),
            },
            region_code=follow_up.uji_petik.kabupaten_id,
        )
    return follow_up


def carry_open_follow_ups(*, actor: Actor, into: UjiPetik) -> list[FollowUp]:
    """Copy every open follow-up of the kabupaten's earlier uji petik into `into`, marking the
    old ones carried: an open follow-up is tracked in the latest uji petik only."""
    with transaction.atomic():
        old = list(
            FollowUp.objects.select_for_update()
            .filter(
                uji_petik__kabupaten_id=into.kabupaten_id,
                status=FollowUpStatus.OPEN,
                uji_petik__drawn_at__lte=into.drawn_at,
            )
            .exclude(uji_petik=into)
            .order_by("pk")
        )
        carried = []
        for previous in old:
            copy = FollowUp.objects.create(
                uji_petik=into,
                finding_id=previous.finding_id,
                action=previous.action,
                responsible=previous.responsible,
                deadline=previous.deadline,
                carried_from=previous,
            )
            claim_version(previous, None, fields=FOLLOW_UP_FIELDS)
            previous.status = FollowUpStatus.CARRIED
            previous.save(update_fields=["status"])
            carried.append(copy)
            record(
                actor=actor,
                action="follow_up.carry",
                obj=copy,
                changes=diff({}, {"carried_from": previous.pk, "uji_petik": into.pk}),
                region_code=into.kabupaten_id,
            )
            record(
                actor=actor,
                action="follow_up.update",
                obj=previous,
                changes={"status": [FollowUpStatus.OPEN.value, FollowUpStatus.CARRIED.value]},
                region_code=into.kabupaten_id,
                context={"carried_into": copy.pk},
            )
    return carried
