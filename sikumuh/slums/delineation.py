"""Audited writes of location polygons (delineation): one version per upload, none overwritten.

Every saved polygon becomes a new `LocationGeometry` version, the current one is also copied to
`Location.polygon`, and each location gets one ``location.geometry`` audit entry with its area
and version before and after, all in one transaction. A file upload is validated whole first
(`sikumuh.io.geo.analyse`) and saved once, or not at all, and recorded as an `ImportRun`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from sikumuh.audit.actions import Actor, build_entry, diff, record_many
from sikumuh.core.geometry import (
    WGS84,
    GeometryError,
    check_geometry,
    normalise_crs,
    parse_geojson,
    reproject_to_wgs84,
    to_geojson,
    to_ha,
)
from sikumuh.io.geo import GeoAnalysis, GeoFileError, analyse, read_geofile
from sikumuh.io.geo.check import issue_text
from sikumuh.io.models import ImportRun
from sikumuh.io.rows import Problem
from sikumuh.regions.models import Region
from sikumuh.slums.delineation_selectors import location_refs, region_code_of
from sikumuh.slums.models import Location, LocationGeometry

IMPORT_KIND = "delineation"


class GeometryRejected(ValueError):
    """A polygon that cannot be saved (invalid ring, swapped, outside Indonesia): the reasons."""


@dataclass(frozen=True)
class _Item:
    location: Location
    geometry: BaseGeometry  # checked, EPSG:4326
    area_ha: float
    source_crs: str


def save_geometry(
    *,
    actor: Actor,
    location: Location,
    geometry: Mapping[str, Any] | BaseGeometry,
    source: str,
    source_crs: str = WGS84,
    note: str = "",
) -> LocationGeometry:
    """Save one polygon (GeoJSON or shapely, in `source_crs`) as the location's new version."""
    try:
        shape = parse_geojson(geometry) if isinstance(geometry, Mapping) else geometry
        crs = normalise_crs(source_crs)
        shape = reproject_to_wgs84(shape, crs)
    except GeometryError as exc:
        raise GeometryRejected(_("not a usable polygon: %(detail)s") % {"detail": exc}) from exc
    check = check_geometry(shape)
    if not check.ok or check.geometry is None or check.area_ha is None:
        raise GeometryRejected("; ".join(issue_text(issue) for issue in check.issues))
    with transaction.atomic():
        [version] = _save_versions(
            actor=actor,
            items=[_Item(location, check.geometry, check.area_ha, crs)],
            source=source,
            note=note,
            context={},
        )
    return version


def _save_versions(
    *,
    actor: Actor,
    items: Sequence[_Item],
    source: str,
    note: str,
    context: Mapping[str, Any],
) -> list[LocationGeometry]:
    """Add one version per item, make it current, copy it to `Location.polygon`, audit each."""
    pks = [item.location.pk for item in items]
    locations = Location.objects.select_for_update().in_bulk(pks)
    current = {
        g.location_id: g
        for g in LocationGeometry.objects.filter(location_id__in=pks, is_current=True)
    }
    latest = dict(
        LocationGeometry.objects.filter(location_id__in=pks)
        .values_list("location_id")
        .annotate(v=Max("version"))
    )
    LocationGeometry.objects.filter(pk__in=[g.pk for g in current.values()]).update(
        is_current=False
    )
    now = timezone.now()
    versions = LocationGeometry.objects.bulk_create(
        [
            LocationGeometry(
                location_id=item.location.pk,
                version=latest.get(item.location.pk, 0) + 1,
                geometry=to_geojson(item.geometry),
                area_ha=to_ha(item.area_ha),
                source_name=source[:300],
                source_crs=item.source_crs,
                uploaded_by=actor.user,
                uploaded_at=now,
                note=note,
                is_current=True,
            )
            for item in items
        ]
    )
    entries = []
    for item, version in zip(items, versions, strict=True):
        location = locations[item.location.pk]
        before = current.get(location.pk)
        entries.append(
            build_entry(
                actor=actor,
                action="location.geometry",
                obj=location,
                changes=diff(
                    {
                        "area_ha": before.area_ha if before else _area_of(location.polygon),
                        "version": before.version if before else None,
                    },
                    {"area_ha": version.area_ha, "version": version.version},
                ),
                region_code=region_code_of(location),
                context={
                    **context,
                    "source": source,
                    "crs": item.source_crs,
                    "geometry_id": version.pk,
                },
                at=now,
            )
        )
        location.polygon = version.geometry
        item.location.polygon = version.geometry
    Location.objects.bulk_update(list(locations.values()), ["polygon"])
    record_many(entries)
    return versions


def _area_of(polygon: dict[str, Any] | None) -> Decimal | None:
    """The area of a polygon stored before versions existed (or set without this action)."""
    if not polygon:
        return None
    try:
        area = check_geometry(parse_geojson(polygon)).area_ha
    except GeometryError:
        return None
    return None if area is None else to_ha(area)


# --- File uploads --------------------------------------------------------------------------------


@dataclass
class GeometryImportReport:
    file_name: str
    status: str = ImportRun.Status.REJECTED
    analysis: GeoAnalysis | None = None
    errors: list[Problem] = field(default_factory=list)  # file-level: unreadable, no feature
    created: int = 0
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == ImportRun.Status.COMMITTED

    @property
    def problems(self) -> list[Problem]:
        return [*self.errors, *(self.analysis.problems if self.analysis else [])]


def preview_geometries(
    *,
    file: Path,
    region: Region,
    file_name: str | None = None,
    match_field: str | None = None,
    source_crs: str | None = None,
    fix_swapped: bool = False,
    may_edit: Callable[[str], bool] | None = None,
) -> GeoAnalysis:
    """Read and check an uploaded file against the locations of `region`; writes nothing.

    Raises `GeoFileError` when the file cannot be read at all."""
    geofile = read_geofile(file, name=file_name)
    return analyse(
        geofile,
        location_refs(region.code, may_edit=may_edit),
        match_field=match_field or None,
        source_crs=source_crs or None,
        fix_swapped=fix_swapped,
        area_label=region.name,
    )


def import_geometries(
    *,
    actor: Actor,
    file: Path,
    region: Region,
    match_field: str | None = None,
    file_name: str | None = None,
    source_crs: str | None = None,
    fix_swapped: bool = False,
    may_edit: Callable[[str], bool] | None = None,
    note: str = "",
) -> GeometryImportReport:
    """Check every feature of the file; if none has an error, save a new version for each
    matched location in one transaction. All or nothing; the run is recorded either way."""
    name = file_name or file.name
    report = GeometryImportReport(file_name=name)
    try:
        report.analysis = preview_geometries(
            file=file,
            region=region,
            file_name=name,
            match_field=match_field,
            source_crs=source_crs,
            fix_swapped=fix_swapped,
            may_edit=may_edit,
        )
    except GeoFileError as exc:
        report.errors.append(Problem(name, "-", None, None, str(exc)))
    analysis = report.analysis
    with transaction.atomic():
        if analysis is not None and analysis.ok and analysis.features:
            locations = Location.objects.in_bulk(
                [f.location.pk for f in analysis.features if f.location is not None]
            )
            items = [
                _Item(locations[f.location.pk], f.geometry, f.area_ha, f.source_crs)
                for f in analysis.features
                if f.location is not None and f.geometry is not None and f.area_ha is not None
            ]
            _save_versions(
                actor=actor,
                items=items,
                source=name,
                note=note,
                context={"import": IMPORT_KIND, "match_field": analysis.match_field},
            )
            report.status, report.created = ImportRun.Status.COMMITTED, len(items)
        report.run_id = _record_run(actor, file, report, region).pk
    return report


def _record_run(
    actor: Actor, file: Path, report: GeometryImportReport, region: Region
) -> ImportRun:
    analysis = report.analysis
    features = analysis.features if analysis else []
    return ImportRun.objects.create(
        kind=IMPORT_KIND,
        file_name=report.file_name[:300],
        file_sha256=_sha256(file),
        region_code=region.code,
        status=report.status,
        finished_at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label[:150],
        rows_total=len(features),
        rows_created=report.created,
        rows_rejected=sum(1 for f in features if not f.ok),
        report={
            **(analysis.as_dict() if analysis else {"file": report.file_name}),
            "file_errors": [p.as_dict() for p in report.errors],
        },
    )


def _sha256(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""
