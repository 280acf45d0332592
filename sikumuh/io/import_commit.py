"""Step 2 of the RT-data import (:mod:`sikumuh.io.importer`): the one short transaction that
saves validated rows — locations and RTs first, then observations (created, changed, or left
alone), their scores, the location summaries and the bulk audit entries."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from sikumuh.audit.actions import Actor, build_entry, diff, json_value, record_many
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.versioning import move_versions_on
from sikumuh.core.chunks import chunks
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.core.rows import ObservationRow
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.location_scores import refresh_location_scores
from sikumuh.surveys.models import Observation, Score, Status
from sikumuh.surveys.review import status_for_write
from sikumuh.surveys.scoring import score_fields

if TYPE_CHECKING:
    from sikumuh.core.rows import ImportReport
    from sikumuh.io.importer import _Valid


def _jsonable(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    return {c: json_value(v) for c, v in sorted(values.items())}


def row_values(row: ObservationRow) -> dict[str, Any]:
    """The observation's stored fields as the row gives them."""
    return {
        **{name: row.header.get(name) for name in HEADER_FIELDS},
        "volumes": _jsonable(row.volumes),
        "percents": _jsonable(row.percents),
        "rule_set": row.rule_set,
    }


def commit(
    valid: list[_Valid],
    report: ImportReport,
    *,
    actor: Actor,
    source: str,
    kind: str,
    draft: bool = False,
) -> None:
    now = timezone.now()
    context = {"import": kind, "file": report.file_name}
    audit: list[AuditEntry] = []

    # 1. Locations, by (kabupaten, code).
    kab_codes = {code_at_level(v.row.kode_desa, Level.KABUPATEN) for v in valid}
    locations = {
        (loc.kabupaten_id, loc.code): loc
        for loc in Location.objects.filter(kabupaten_id__in=kab_codes)
    }
    new_locations: dict[tuple[str, str], Location] = {}
    for v in valid:
        kab = code_at_level(v.row.kode_desa, Level.KABUPATEN)
        assert kab is not None
        key = (kab, v.row.lokasi)
        if key not in locations and key not in new_locations:
            new_locations[key] = Location(
                kabupaten_id=kab,
                desa_id=v.row.kode_desa,
                code=v.row.lokasi,
                name=v.row.lokasi_name or v.row.lokasi,
            )
    Location.objects.bulk_create(list(new_locations.values()), batch_size=1000)
    locations.update(new_locations)
    for loc in new_locations.values():
        audit.append(
            build_entry(
                actor=actor,
                action="location.create",
                obj=loc,
                changes=diff({}, {"code": loc.code, "name": loc.name, "desa": loc.desa_id}),
                region_code=loc.desa_id or loc.kabupaten_id,
                context=context,
                at=now,
            )
        )
    report.counts["new_locations"] = len(new_locations)

    # 2. RT units, by (location, rt).
    location_ids = {loc.pk for loc in locations.values()}
    rts = {
        (rt.location_id, rt.rt): rt
        for chunk in chunks(location_ids)
        for rt in RtUnit.objects.filter(location_id__in=chunk)
    }
    new_rts: dict[tuple[int, str], RtUnit] = {}
    for v in valid:
        loc = locations[(code_at_level(v.row.kode_desa, Level.KABUPATEN) or "", v.row.lokasi)]
        rt_key = (loc.pk, v.row.rt)
        if rt_key not in rts and rt_key not in new_rts:
            new_rts[rt_key] = RtUnit(location=loc, desa_id=v.row.kode_desa, rt=v.row.rt)
    RtUnit.objects.bulk_create(list(new_rts.values()), batch_size=2000)
    rts.update(new_rts)
    for rt in new_rts.values():
        audit.append(
            build_entry(
                actor=actor,
                action="rt.create",
                obj=rt,
                changes=diff({}, {"rt": rt.rt, "location": rt.location_id, "desa": rt.desa_id}),
                region_code=rt.desa_id,
                context=context,
                at=now,
            )
        )
    report.counts["new_rts"] = len(new_rts)

    # 3. Observations: create, update when anything differs, leave alone otherwise.
    rt_ids = {rt.pk for rt in rts.values()}
    existing = {
        (o.rt_id, o.tahun): o
        for chunk in chunks(rt_ids)
        for o in Observation.objects.filter(rt_id__in=chunk)
    }
    to_create: list[tuple[Observation, _Valid]] = []
    to_update: list[tuple[Observation, _Valid]] = []
    for v in valid:
        loc = locations[(code_at_level(v.row.kode_desa, Level.KABUPATEN) or "", v.row.lokasi)]
        rt = rts[(loc.pk, v.row.rt)]
        values = row_values(v.row)
        # Review state (surveys.review): a facilitator's rows land as drafts, others approved.
        status = Status.DRAFT if draft else status_for_write(actor, v.row.kode_desa)
        obs = existing.get((rt.pk, v.row.tahun))
        if obs is None:
            obs = Observation(
                rt=rt,
                tahun=v.row.tahun,
                source=source,
                source_ref=v.row.source_ref or f"{v.row.file}:{v.row.row}"[:200],
                entered_by=actor.user,
                entered_at=now,
                status=status,
                **values,
            )
            to_create.append((obs, v))
            audit.append(
                build_entry(
                    actor=actor,
                    action="observation.create",
                    obj=rt,  # re-pointed below once the observation has its id
                    changes=diff({}, {**values, "status": status}),
                    region_code=v.row.kode_desa,
                    context=context,
                    at=now,
                )
            )
            continue
        before = {name: getattr(obs, name) for name in values}
        changes = diff(before, values)
        if not changes:
            report.unchanged += 1
            continue
        if obs.status != status:
            changes["status"] = [obs.status, status]
        obs.status = status
        for name, value in values.items():
            setattr(obs, name, value)
        obs.source, obs.entered_by, obs.entered_at = source, actor.user, now
        obs.source_ref = (v.row.source_ref or f"{v.row.file}:{v.row.row}")[:200]
        to_update.append((obs, v))
        audit.append(
            build_entry(
                actor=actor,
                action="observation.update",
                obj=obs,
                changes=changes,
                region_code=v.row.kode_desa,
                context=context,
                at=now,
            )
        )

    created_objs = [o for o, _ in to_create]
    Observation.objects.bulk_create(created_objs, batch_size=1000)
    # The create entries were built before ids existed; point them at the observations now.
    create_entries = [e for e in audit if e.action == "observation.create"]
    for entry, obs in zip(create_entries, created_objs, strict=True):
        entry.object_type = obs._meta.label_lower
        entry.object_id = str(obs.pk)
        entry.object_repr = str(obs)[:200]
    if to_update:
        Observation.objects.bulk_update(
            [o for o, _ in to_update],
            [
                *HEADER_FIELDS,
                "volumes",
                "percents",
                "rule_set",
                "source",
                "source_ref",
                "entered_by",
                "entered_at",
                "status",
            ],
            batch_size=1000,
        )
        ids = [o.pk for o, _ in to_update]
        for chunk in chunks(ids):
            move_versions_on(Observation.objects.filter(pk__in=chunk))
            Score.objects.filter(observation_id__in=chunk).delete()
    report.created, report.updated = len(to_create), len(to_update)

    # 4. Scores of every new or changed observation.
    scores = [
        Score(
            observation=obs,
            tahun=obs.tahun,
            luas_ha=obs.luas_ha,
            location_id=obs.rt.location_id,
            computed_at=now,
            **score_fields(v.result, desa_code=v.row.kode_desa),
        )
        for obs, v in [*to_create, *to_update]
    ]
    Score.objects.bulk_create(scores, batch_size=1000)
    touched = [obs for obs, _ in [*to_create, *to_update]]
    refresh_location_scores({o.rt.location_id for o in touched}, {o.tahun for o in touched})
    record_many(audit)
