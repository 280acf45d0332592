"""Importing a motorkawanku export: read, check, then commit through the shared paths.

Order and rules (the brief's and the Pekalongan README's):

1. read the export and place every kawasan in a kelurahan of the kota (`reader`, `names`);
2. check every kumuhRT record's stored figures against the engine (`integrity`); records the
   engine does not reproduce are not offered to the importer at all, only their problems are,
   so that even with ``skip_invalid`` a corrupt record is never stored;
3. `import_rows` (one commit, or none): with any error and no ``skip_invalid`` nothing is stored;
4. only when step 3 stored or found everything: investments (`import_investments`, its own
   validated commit and its own ImportRun) and outlines (`attach_polygons`).

The kawasan figures of the product are always computed from the RTs; the comparison with the
export's kawasan rows is reported in the run's report (``kawasan_comparison``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor, build_entry, record_many
from sikumuh.audit.models import AuditEntry
from sikumuh.core.rows import ImportReport
from sikumuh.investments.actions import import_investments
from sikumuh.io.importer import Progress, import_rows
from sikumuh.io.motorkawanku.geometry import Geometry, PolygonSet
from sikumuh.io.motorkawanku.integrity import (
    IntegrityReport,
    check_integrity,
    compare_kawasan,
)
from sikumuh.io.motorkawanku.names import Candidate, Method
from sikumuh.io.motorkawanku.reader import (
    INVESTASI,
    KUMUH_RT,
    MotorkawankuData,
    MotorkawankuError,
    read_motorkawanku,
)
from sikumuh.io.runs import add_to_run, record_run
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Source

KIND = "motorkawanku"
INVESTMENT_KIND = "motorkawanku-investasi"
CORRUPT = "stored figures not reproduced (corrupt record)"
UNPLACED = "cannot be placed (unknown RT or kawasan, kelurahan not resolved)"


def candidate_regions(region_code: str) -> tuple[list[Candidate], list[Candidate]]:
    """The kecamatan and desa/kelurahan under a kabupaten/kota, as name candidates."""
    regions = Region.objects.filter(
        code__startswith=region_code + ".", level__in=(Level.KECAMATAN, Level.DESA)
    ).order_by("code")
    kecamatan: list[Candidate] = []
    desa: list[Candidate] = []
    for region in regions:
        candidate = Candidate(region.code, region.name, region.parent_id or "")
        (kecamatan if region.level == Level.KECAMATAN else desa).append(candidate)
    return kecamatan, desa


def names_summary(data: MotorkawankuData) -> dict[str, Any]:
    resolutions = list(data.resolutions.values())
    return {
        "kawasan": len(resolutions),
        "resolved": sum(1 for r in resolutions if r.resolved),
        "unresolved": sum(1 for r in resolutions if not r.resolved),
        "by_method": dict(Counter(str(r.method) for r in resolutions)),
        "resolutions": [r.as_dict() for r in resolutions],
    }


def rejected_by_reason(data: MotorkawankuData, integrity: IntegrityReport) -> dict[str, int]:
    """What the import will reject, by reason: corrupt records, engine refusals (negative
    volumes), records that cannot be placed. Known before the commit, from our own checks."""
    out: dict[str, int] = {}
    corrupt = integrity.invalid_rows
    if corrupt:
        out[CORRUPT] = len(corrupt)
    for reason, checks in sorted(integrity.engine_rejections.items()):
        out[reason] = len(checks)
    unplaced = {p.row for p in data.problems if p.file == KUMUH_RT and p.severity == "error"}
    if unplaced - corrupt:
        out[UNPLACED] = len(unplaced - corrupt)
    return out


def import_motorkawanku(
    directory: Path | str,
    *,
    region_code: str,
    actor: Actor,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an export onto the kabupaten/kota `region_code` (see the module docstring).

    Returns the observations' report; its `extra` carries the name resolutions, the integrity
    figures, the rejections by reason, the kawasan comparison, and (when the observations were
    not rejected) the investments' and outlines' summaries. Raises MotorkawankuError for an
    unknown region or an unreadable export.
    """
    directory = Path(directory)
    region = Region.objects.filter(code=region_code, level=Level.KABUPATEN).first()
    if region is None:
        raise MotorkawankuError(f"{region_code!r} is not a kabupaten/kota code in the database")
    kecamatan, desa = candidate_regions(region_code)
    data = read_motorkawanku(directory, region_code, kecamatan=kecamatan, desa=desa)
    integrity = check_integrity(data)
    comparison = compare_kawasan(data, integrity)
    reasons = rejected_by_reason(data, integrity)
    extra: dict[str, Any] = {
        "region": region_code,
        "files": list(data.files_present),
        "names": names_summary(data),
        "integrity": integrity.as_dict(data),
        "rejected_by_reason": reasons,
        "kawasan_comparison": comparison.as_dict(),
    }
    corrupt = integrity.invalid_rows
    report = import_rows(
        [row for row in data.rows if row.row not in corrupt],
        actor=actor,
        kind=KIND,
        source=Source.MOTORKAWANKU,
        file_name=str(directory),
        parse_problems=[*data.problems, *integrity.problems],
        skip_invalid=skip_invalid,
        region_code=region_code,
        file_sha256=data.sha256,
        extra=extra,
        progress=progress,
    )
    other = len(report.rejected_rows) - sum(reasons.values())
    if other > 0:  # e.g. duplicates or codes refused by the importer itself
        reasons["other (see errors)"] = other
    if report.ok:
        context = {"import": KIND, "run": report.run_id}
        if INVESTASI in data.files_present:
            report.extra["investments"] = _import_investments(
                data, actor=actor, skip_invalid=skip_invalid, context=context
            )
        if data.polygons is not None:
            report.extra["polygons"] = attach_polygons(
                data.polygons, kabupaten_code=region_code, actor=actor, context=context
            )
    # The run record describes the whole run: add what was learnt after `import_rows` saved it
    # (other rejections, the follow-up steps' counts).
    add_to_run(report, {k: _summary(v) for k, v in report.extra.items()})
    return report


def _summary(value: Any) -> Any:
    """A stored run report keeps the counts of the follow-up steps, not their problem lists
    (those have their own run)."""
    if isinstance(value, dict) and "errors" in value and "warnings" in value:
        return {k: v for k, v in value.items() if k not in ("errors", "warnings")}
    return value


def _import_investments(
    data: MotorkawankuData, *, actor: Actor, skip_invalid: bool, context: dict[str, Any]
) -> dict[str, Any]:
    started = timezone.now()
    report = import_investments(
        data.investments,
        actor=actor,
        parse_problems=data.investment_problems,
        skip_invalid=skip_invalid,
        context={**context, "file": INVESTASI},
    )
    path = data.directory / INVESTASI
    report.kind, report.file_name = INVESTMENT_KIND, str(path)
    record_run(
        report,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        region_code=data.region_code,
        started=started,
        actor=actor,
    )
    return report.as_dict()


def _positions(coordinates: Any) -> int:
    if isinstance(coordinates, list) and coordinates and not isinstance(coordinates[0], list):
        return 1  # a position: [lon, lat]
    return sum(_positions(c) for c in coordinates) if isinstance(coordinates, list) else 0


def _outline(geometry: Geometry | None) -> str | None:
    """A short audit rendering of an outline (type and number of positions): the audit log
    records that the outline changed, not hundreds of coordinates."""
    if geometry is None:
        return None
    return f"{geometry.get('type')} ({_positions(geometry.get('coordinates'))} positions)"


def attach_polygons(
    polygons: PolygonSet,
    *,
    kabupaten_code: str,
    actor: Actor,
    context: dict[str, Any],
    file: str = "latlng.json",
) -> dict[str, Any]:
    """Set the outlines of the stored locations and RTs (GeoJSON, lon/lat), in one transaction
    with bulk audit entries; an outline equal to the stored one is left alone (re-import writes
    nothing). Outlines of locations or RTs that are not stored (rejected data) are counted."""
    codes = set(polygons.locations) | {code for code, _ in polygons.rts}
    locations = {
        loc.code: loc
        for loc in Location.objects.filter(kabupaten_id=kabupaten_code, code__in=codes)
    }
    rts = {
        (rt.location.code, rt.rt): rt
        for rt in RtUnit.objects.filter(location__in=list(locations.values())).select_related(
            "location"
        )
    }
    now = timezone.now()
    audit: list[AuditEntry] = []
    changed_locations: list[Location] = []
    changed_rts: list[RtUnit] = []
    unchanged = without_target = 0
    targets: list[tuple[Location | RtUnit | None, Geometry, str]] = [
        (locations.get(code), geometry, "location.polygon")
        for code, geometry in sorted(polygons.locations.items())
    ] + [(rts.get(key), geometry, "rt.polygon") for key, geometry in sorted(polygons.rts.items())]
    for obj, geometry, action in targets:
        if obj is None:
            without_target += 1
            continue
        if obj.polygon == geometry:
            unchanged += 1
            continue
        before = obj.polygon
        obj.polygon = geometry
        if isinstance(obj, Location):
            changed_locations.append(obj)
            region = obj.desa_id or obj.kabupaten_id
        else:
            changed_rts.append(obj)
            region = obj.desa_id
        audit.append(
            build_entry(
                actor=actor,
                action=action,
                obj=obj,
                changes={"polygon": [_outline(before), _outline(geometry)]},
                region_code=region or "",
                context={**context, "file": file},
                at=now,
            )
        )
    with transaction.atomic():
        Location.objects.bulk_update(changed_locations, ["polygon"], batch_size=500)
        RtUnit.objects.bulk_update(changed_rts, ["polygon"], batch_size=500)
        record_many(audit)
    return {
        "records": polygons.records,
        "locations_set": len(changed_locations),
        "rts_set": len(changed_rts),
        "unchanged": unchanged,
        "without_stored_target": without_target,
        "names_matched": dict(sorted(polygons.names.items())),
        "names_not_exact": sorted(
            name for name, how in polygons.names.items() if not how.endswith(f"[{Method.EXACT}]")
        ),
        "errors": [],
        "warnings": [p.as_dict() for p in polygons.problems],
    }
