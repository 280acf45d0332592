"""Importing a delineation file: one version per matched location, all or nothing.

A file upload is validated whole first (`sikumuh.io.geo.analyse`), then saved once through the
delineation action (`sikumuh.slums.delineation_actions.save_versions`), or not at all, and
recorded as an `ImportRun`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem
from sikumuh.io.geo.check import GeoAnalysis, LocationRef, analyse
from sikumuh.io.geo.read import GeoFileError, read_geofile
from sikumuh.io.models import ImportRun
from sikumuh.io.runs import record_run
from sikumuh.regions.codes import location_inside
from sikumuh.regions.models import Region
from sikumuh.slums.delineation_actions import GeometryItem, save_versions
from sikumuh.slums.delineation_selectors import (
    in_force_ids,
    polygon_shape,
    region_code_of,
    with_figures,
)
from sikumuh.slums.models import Location

IMPORT_KIND = "delineation"


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


def location_refs(
    code: str, *, may_edit: Callable[[str], bool] | None = None, tahun: int | None = None
) -> list[LocationRef]:
    """The locations a file uploaded on the page of `code` may deliver polygons for, with the
    hectares of the SK in force in `tahun` (two queries).

    `may_edit(region_code) -> bool` narrows them to what the user may change."""
    refs = []
    inside = Location.objects.filter(location_inside(code))
    for location in with_figures(inside, in_force_ids(code, tahun)):
        if may_edit is not None and not may_edit(region_code_of(location)):
            continue
        refs.append(
            LocationRef(
                pk=location.pk,
                code=location.code,
                name=location.name,
                declared_ha=location.declared_ha,  # type: ignore[attr-defined]
                geometry=polygon_shape(location.polygon),
            )
        )
    return refs


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
    started = timezone.now()
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
                GeometryItem(locations[f.location.pk], f.geometry, f.area_ha, f.source_crs)
                for f in analysis.features
                if f.location is not None and f.geometry is not None and f.area_ha is not None
            ]
            save_versions(
                actor=actor,
                items=items,
                source=name,
                note=note,
                context={"import": IMPORT_KIND, "match_field": analysis.match_field},
            )
            report.status, report.created = ImportRun.Status.COMMITTED, len(items)
        report.run_id = _record_run(actor, file, report, region, started).pk
    return report


def _record_run(
    actor: Actor, file: Path, report: GeometryImportReport, region: Region, started: dt.datetime
) -> ImportRun:
    """The run, recorded as every importer's (`sikumuh.io.runs.record_run`): one row per
    feature, the analysis and the file's own errors in its report."""
    analysis = report.analysis
    features = analysis.features if analysis else []
    run = ImportReport(
        kind=IMPORT_KIND,
        file_name=report.file_name,
        status=report.status,
        rows_total=len(features),
        created=report.created,
        rejected_rows=[str(f.number) for f in features if not f.ok],
        extra={
            **(analysis.as_dict() if analysis else {"file": report.file_name}),
            "file_errors": [p.as_dict() for p in report.errors],
        },
    )
    return record_run(
        run, file_sha256=_sha256(file), region_code=region.code, started=started, actor=actor
    )


def _sha256(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""
