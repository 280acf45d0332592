"""Importing a delineation file: one version per matched location, all or nothing.

A file upload is validated whole first (`sikumuh.io.geo.analyse`), then saved once through the
delineation action (`sikumuh.slums.delineation_actions.save_versions`), or not at all, and
recorded as an `ImportRun`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED, READY, REJECTED, ImportReport, Problem
from sikumuh.io.geo.check import GeoAnalysis, LocationRef, analyse
from sikumuh.io.geo.read import GeoFileError, read_geofile
from sikumuh.io.runs import file_sha256, record_run
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


#: What an upload would do ("ready"), did ("committed"), or why not ("rejected": see
#: ``errors``). Its ``preview`` is the file's check, for the page that shows it on a map (None
#: when the file could not be read at all: its one error says why).
GeometryReport = ImportReport[GeoAnalysis]


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


def check_geometries(
    *,
    file: Path,
    region: Region,
    file_name: str | None = None,
    match_field: str | None = None,
    source_crs: str | None = None,
    fix_swapped: bool = False,
    may_edit: Callable[[str], bool] | None = None,
) -> GeometryReport:
    """Read and check an uploaded file against the locations of `region`; writes nothing.
    The status is "ready" when a commit would save every feature, else "rejected"."""
    name = file_name or file.name
    report = GeometryReport(kind=IMPORT_KIND, file_name=name)
    try:
        geofile = read_geofile(file, name=name)
    except GeoFileError as exc:
        report.errors.append(Problem(name, "-", None, None, str(exc)))
        return report
    analysis = analyse(
        geofile,
        location_refs(region.code, may_edit=may_edit),
        match_field=match_field or None,
        source_crs=source_crs or None,
        fix_swapped=fix_swapped,
        area_label=region.name,
    )
    # One row per feature: the rows with an error are the rejected ones.
    report.preview, report.rows_total = analysis, len(analysis.features)
    report.errors, report.warnings = analysis.errors, analysis.warnings
    report.rejected_rows = [str(f.number) for f in analysis.features if not f.ok]
    if analysis.ok and analysis.features:
        report.status = READY
    return report


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
) -> GeometryReport:
    """Check every feature of the file; if none has an error, save a new version for each
    matched location in one transaction. All or nothing; the run is recorded either way."""
    started = timezone.now()
    report = check_geometries(
        file=file,
        region=region,
        file_name=file_name,
        match_field=match_field,
        source_crs=source_crs,
        fix_swapped=fix_swapped,
        may_edit=may_edit,
    )
    analysis = report.preview
    with transaction.atomic():
        if analysis is not None and report.status == READY:
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
                source=report.file_name,
                note=note,
                context={"import": IMPORT_KIND, "match_field": analysis.match_field},
            )
            report.status, report.created = COMMITTED, len(items)
        else:
            report.status = REJECTED
        # The run keeps the file's check in its own words; a file it could not read at all has
        # its one error under the report's own "errors".
        report.extra = analysis.as_dict() if analysis else {"file": report.file_name}
        record_run(
            report,
            file_sha256=file_sha256(file),
            region_code=region.code,
            started=started,
            actor=actor,
        )
    return report
