"""Audited writes of single RT observations (the entry form; imports use `sikumuh.io.importer`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, build_entry, diff, json_value, record, record_many
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.versioning import claim_version, stale_edit
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS
from sikumuh.core.scoring import UnitResult
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.location_scores import refresh_location_scores
from sikumuh.surveys.models import (
    Observation,
    ObservationPhoto,
    ObservationSubmission,
    Score,
    Source,
)
from sikumuh.surveys.photo_files import delete_after_commit, removed_on_error
from sikumuh.surveys.review import assert_not_locked, status_for_write
from sikumuh.surveys.scoring import score_fields, score_values


class ObservationInvalid(ValueError):
    """The values do not score: the result's errors say why."""

    def __init__(self, result: UnitResult) -> None:
        super().__init__("; ".join(issue.message for issue in result.errors))
        self.result = result


#: What a conflicting save shows of the stored observation.
VERSIONED_FIELDS = (*HEADER_FIELDS, "volumes", "percents", "rule_set", "status")


def _jsonable(values: dict[str, Decimal | None]) -> dict[str, Any]:
    return {code: json_value(value) for code, value in sorted(values.items())}


def save_observation(
    *,
    actor: Actor,
    rt: RtUnit,
    tahun: int,
    header: dict[str, Decimal | None],
    volumes: dict[str, Decimal | None],
    percents: dict[str, Decimal | None] | None = None,
    rule_set: str = DEFAULT_RULE_SET_ID,
    source: str = Source.FORM,
    expected_version: int | None = None,
) -> tuple[Observation, UnitResult]:
    """Create or update one RT-year, rescore it, and audit each changed field.

    A unit with scoring errors is refused (`ObservationInvalid`): a stored observation always
    has a score. A locked kabupaten-year is refused (`review.YearLocked`); a change lands with
    the status `review.status_for_write` gives the actor (a facilitator's change is a draft).
    A form's save passes the `expected_version` it was opened with (``versioning.NOT_STORED``
    for a year not stored then): if someone saved in between, `versioning.StaleEdit`.
    """
    percents = percents or {}
    result = score_values(header=header, volumes=volumes, percents=percents, rule_set_id=rule_set)
    if result.errors:
        raise ObservationInvalid(result)
    values: dict[str, Any] = {
        **{name: header.get(name) for name in HEADER_FIELDS},
        "volumes": _jsonable(volumes),
        "percents": _jsonable(percents),
        "rule_set": rule_set,
    }
    try:
        with transaction.atomic():
            obs = _write(actor, rt, tahun, values, result, source, expected_version)
    except IntegrityError:
        # Two first saves of one RT-year at once (PostgreSQL: both found no row; the unique
        # constraint refused the second). The other's is stored now: the same answer as a
        # conflict found before writing.
        stored = Observation.objects.filter(rt=rt, tahun=tahun).first()
        if stored is None or expected_version is None:
            raise
        raise stale_edit(stored, fields=VERSIONED_FIELDS) from None
    return obs, result


def _write(
    actor: Actor,
    rt: RtUnit,
    tahun: int,
    values: dict[str, Any],
    result: UnitResult,
    source: str,
    expected_version: int | None,
) -> Observation:
    """The write of `save_observation`, inside its transaction."""
    now = timezone.now()
    assert_not_locked(code_at_level(rt.desa_id, Level.KABUPATEN) or "", tahun)
    obs = Observation.objects.select_for_update().filter(rt=rt, tahun=tahun).first()
    before = {} if obs is None else {name: getattr(obs, name) for name in values}
    changes = diff(before, values)
    if obs is not None and not changes:
        return obs
    if obs is None:
        obs = Observation(rt=rt, tahun=tahun)
    else:
        claim_version(obs, expected_version, fields=VERSIONED_FIELDS)
    for name, value in values.items():
        setattr(obs, name, value)
    status = status_for_write(actor, rt.desa_id)
    if obs.pk is None or obs.status != status:
        changes["status"] = [None if obs.pk is None else obs.status, status]
    obs.status = status
    obs.source, obs.entered_by, obs.entered_at = source, actor.user, now
    action = "observation.update" if obs.pk else "observation.create"
    obs.save()
    Score.objects.update_or_create(
        observation=obs,
        defaults={
            "tahun": tahun,
            "luas_ha": obs.luas_ha,
            "location_id": rt.location_id,
            "computed_at": now,
            **score_fields(result, desa_code=rt.desa_id),
        },
    )
    refresh_location_scores([rt.location_id], [tahun])
    record(actor=actor, action=action, obj=obs, changes=changes, region_code=rt.desa_id)
    return obs


@dataclass(frozen=True)
class PhotoData:
    """One criterion's photo in a submission: its name in the export and, when the export
    holds it, its SHA-256, suffix and a reader of its bytes (read only when it is stored)."""

    criterion: str
    name: str
    sha256: str = ""
    suffix: str = ""
    load: Callable[[], bytes] | None = None


@dataclass(frozen=True)
class SubmissionData:
    """What a phone submission brought beside the values: its instance id, GPS point and
    photos."""

    observation: Observation
    instance_id: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: Decimal | None = None
    photos: tuple[PhotoData, ...] = ()


def record_submissions(
    *, actor: Actor, items: Iterable[SubmissionData], context: dict[str, Any] | None = None
) -> int:
    """Keep each submission's instance id, GPS point and photos with its observation; what is
    already kept is updated only where it differs (a re-import writes nothing, and keeps one
    copy of each photo). One audit entry per new or changed submission and per stored photo;
    returns the number of entries."""
    items = list(items)
    now = timezone.now()
    with removed_on_error() as saved, transaction.atomic():
        stored = {
            s.instance_id: s
            for s in ObservationSubmission.objects.select_for_update().filter(
                instance_id__in=[i.instance_id for i in items]
            )
        }
        entries = []
        for item in items:
            values = {
                "observation": item.observation.pk,
                "latitude": item.latitude,
                "longitude": item.longitude,
                "accuracy_m": item.accuracy_m,
            }
            row = stored.get(item.instance_id)
            before = {} if row is None else {**_point(row), "observation": row.observation_id}
            changes = diff(before, values)
            if not changes:
                assert row is not None
                entries += _keep_photos(actor, row, item, context, now, saved)
                continue
            if row is None:
                row = ObservationSubmission(instance_id=item.instance_id)
            row.observation = item.observation
            row.latitude, row.longitude = item.latitude, item.longitude
            row.accuracy_m, row.imported_at = item.accuracy_m, now
            row.save()
            stored[item.instance_id] = row
            entries.append(
                build_entry(
                    actor=actor,
                    action="observation.submission",
                    obj=item.observation,
                    changes={**changes, "instance_id": [None, item.instance_id]},
                    region_code=item.observation.rt.desa_id,
                    context=context,
                    at=now,
                )
            )
            entries += _keep_photos(actor, row, item, context, now, saved)
        record_many(entries)
    return len(entries)


def _keep_photos(
    actor: Actor,
    submission: ObservationSubmission,
    item: SubmissionData,
    context: dict[str, Any] | None,
    now: Any,
    saved: list[str],
) -> list[AuditEntry]:
    """Store the submission's photos not stored yet or changed (each new file's name added to
    `saved`). A photo only named (a CSV without its media) never removes a stored file of that
    name. A replaced file leaves the storage once the transaction commits (`photo_files`)."""
    kept = {p.criterion: p for p in submission.photos.all()}
    entries = []
    for photo in item.photos:
        row = kept.get(photo.criterion)
        if row is None:
            row = ObservationPhoto(submission=submission, criterion=photo.criterion)
        elif row.name == photo.name and (photo.load is None or row.sha256 == photo.sha256):
            continue
        before = {"name": row.name or None, "sha256": row.sha256 or None}
        if photo.load is not None:
            delete_after_commit(row.file)
            obs = item.observation
            stored_as = f"rt{obs.rt_id}-{obs.tahun}-{photo.criterion}{photo.suffix}"
            # The old file is still there: the storage gives the new one a name of its own.
            row.file.save(stored_as, ContentFile(photo.load()), save=False)
            saved.append(row.file.name or "")
            row.sha256 = photo.sha256
        elif row.name != photo.name:
            delete_after_commit(row.file)
            row.file = ""
            row.sha256 = ""
        row.name = photo.name[:200]
        row.save()
        entries.append(
            build_entry(
                actor=actor,
                action="observation.photo",
                obj=item.observation,
                changes={
                    **diff(before, {"name": row.name, "sha256": row.sha256 or None}),
                    "criterion": [None, photo.criterion],
                    "file": [None, row.file.name or None],
                },
                region_code=item.observation.rt.desa_id,
                context=context,
                at=now,
            )
        )
    return entries


def _point(row: ObservationSubmission) -> dict[str, Decimal | None]:
    return {"latitude": row.latitude, "longitude": row.longitude, "accuracy_m": row.accuracy_m}
