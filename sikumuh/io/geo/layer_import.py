"""A foreign GIS layer taken in as a new SK version with its locations and their delineation:
checked whole (`layer_check`), then committed once, or not at all.

One transaction: the new locations (`slums.actions.create_location`), one delineation version
per feature (`slums.delineation_actions.save_versions`), and, when an SK number and date are
given, the kabupaten's new SK version listing the layer's locations with their hectares
(`create_decree` / `new_decree_version`, the SK actions `sikumuh sk import` uses), each entry with
the class the layer states for it (`SkLocation.stated_class`). Every write is
audited by its action. One error anywhere and nothing is written, unless `skip_invalid`: then
the valid features are committed and the others listed. The run is recorded either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem
from sikumuh.io.geo.layer_check import LayerFeature, LayerImport, check_layer
from sikumuh.io.geo.read import GeoFile
from sikumuh.io.runs import record_run
from sikumuh.io.sk_import import register_decree
from sikumuh.regions.models import Region
from sikumuh.slums.actions import DecreeError, create_location
from sikumuh.slums.delineation_actions import GeometryItem, save_versions
from sikumuh.slums.models import Location

#: ImportRun.kind of these imports.
IMPORT_KIND = "gis-layer"


def import_layer(
    path: Path,
    *,
    actor: Actor,
    kabupaten: Region,
    mapping: Mapping[str, str],
    file_name: str | None = None,
    source_crs: str | None = None,
    number: str = "",
    date: dt.date | None = None,
    skip_invalid: bool = False,
    note: str = "",
    geofile: GeoFile | None = None,
) -> LayerImport:
    """Check the layer and, when it may be committed, commit it in one transaction (see the
    module docstring). The outcome's ``status``: committed, partial (invalid features skipped)
    or rejected."""
    started = timezone.now()
    result = check_layer(
        path,
        kabupaten=kabupaten,
        mapping=mapping,
        file_name=file_name,
        source_crs=source_crs,
        number=number,
        date=date,
        geofile=geofile,
    )
    usable = result.usable
    if not result.file_ok or not usable or (result.errors and not skip_invalid):
        result.status = "rejected"
        _record(result, actor, kabupaten, path, started)
        return result
    try:
        with transaction.atomic():
            _commit(result, usable, actor=actor, kabupaten=kabupaten, note=note)
            result.status = "partial" if len(usable) < len(result.features) else "committed"
            _record(result, actor, kabupaten, path, started)
    except DecreeError:
        # Another registration took the number or the version in between: nothing was saved.
        reason = _("the SK changed while the file was checked; check the file again")
        result.file_problems.append(Problem(result.file_name, "-", None, None, reason))
        result.status, result.decree, result.created, result.delineated = "rejected", None, 0, 0
        _record(result, actor, kabupaten, path, started)
    return result


def _commit(
    result: LayerImport,
    usable: list[LayerFeature],
    *,
    actor: Actor,
    kabupaten: Region,
    note: str,
) -> None:
    desas = {r.code: r for r in Region.objects.filter(code__in={f.desa_code for f in usable})}
    entries: list[tuple[Location, Decimal]] = []
    stated: dict[str, str] = {}  # location code → the class the layer states
    items: list[GeometryItem] = []
    for feature in usable:
        location = feature.location
        if location is None:
            location = create_location(
                actor=actor,
                kabupaten=kabupaten,
                code=feature.code,
                name=feature.name,
                desa=desas[feature.desa_code or ""],
            )
            result.created += 1
        if feature.sk_ha is not None:
            entries.append((location, feature.sk_ha))
            if feature.slum_class is not None:
                stated[location.code] = feature.slum_class.value
        if feature.geometry is not None and feature.computed_ha is not None:
            items.append(
                GeometryItem(
                    location, feature.geometry, float(feature.computed_ha), feature.source_crs
                )
            )
    save_versions(
        actor=actor,
        items=items,
        source=result.file_name,
        note=note,
        context={"import": IMPORT_KIND},
    )
    result.delineated = len(items)
    if result.number and result.date is not None:
        result.decree = register_decree(
            actor=actor,
            kabupaten=kabupaten,
            previous=result.previous,
            number=result.number,
            date=result.date,
            entries=entries,
            title="",
            note=note,
            stated_classes=stated,
        )


def _record(
    result: LayerImport, actor: Actor, kabupaten: Region, path: Path, started: dt.datetime
) -> None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    run = record_run(
        ImportReport(
            kind=IMPORT_KIND,
            file_name=result.file_name,
            status=result.status,
            rows_total=result.rows_total,
            created=result.created,
            rejected_rows=result.rejected_rows,
            errors=result.errors,
            warnings=result.warnings,
            extra={
                key: value
                for key, value in result.as_dict().items()
                if key not in ("errors", "warnings")
            },
        ),
        file_sha256=digest,
        region_code=kabupaten.code,
        started=started,
        actor=actor,
    )
    result.run_id = run.pk
