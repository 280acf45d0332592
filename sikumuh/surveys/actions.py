"""Audited writes of single RT observations (the entry form; imports use `sikumuh.io.importer`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, diff, json_value, record
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS
from sikumuh.core.scoring import UnitResult
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.location_scores import refresh_location_scores
from sikumuh.surveys.models import Observation, Score, Source
from sikumuh.surveys.review import assert_not_locked, status_for_write
from sikumuh.surveys.scoring import score_fields, score_values


class ObservationInvalid(ValueError):
    """The values do not score: the result's errors say why."""

    def __init__(self, result: UnitResult) -> None:
        super().__init__("; ".join(issue.message for issue in result.errors))
        self.result = result


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
) -> tuple[Observation, UnitResult]:
    """Create or update one RT-year, rescore it, and audit each changed field.

    A unit with scoring errors is refused (`ObservationInvalid`): a stored observation always
    has a score. A locked kabupaten-year is refused (`review.YearLocked`); a change lands with
    the status `review.status_for_write` gives the actor (a facilitator's change is a draft).
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
    now = timezone.now()
    with transaction.atomic():
        assert_not_locked(code_at_level(rt.desa_id, Level.KABUPATEN) or "", tahun)
        obs = Observation.objects.select_for_update().filter(rt=rt, tahun=tahun).first()
        before = {} if obs is None else {name: getattr(obs, name) for name in values}
        if obs is None:
            obs = Observation(rt=rt, tahun=tahun)
        changes = diff(before, values)
        if not changes and obs.pk is not None:
            return obs, result
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
    return obs, result
