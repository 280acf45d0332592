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
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED, PARTIAL, REJECTED, Problem
from sikumuh.io.geo.layer_check import (
    IMPORT_KIND,
    LayerCheck,
    LayerReport,
    check_layer,
    layer_json,
    settle,
)
from sikumuh.io.geo.layer_feature import LayerFeature
from sikumuh.io.geo.read import GeoFile
from sikumuh.io.runs import file_sha256, record_run
from sikumuh.io.sk_import import register_decree
from sikumuh.regions.models import Region
from sikumuh.slums.actions import DecreeError, create_location
from sikumuh.slums.delineation_actions import GeometryItem, save_versions
from sikumuh.slums.models import Location


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
) -> LayerReport:
    """Check the layer and, when it may be committed, commit it in one transaction (see the
    module docstring). The outcome's ``status``: committed, partial (invalid features skipped)
    or rejected."""
    started = timezone.now()
    report = check_layer(
        path,
        kabupaten=kabupaten,
        mapping=mapping,
        file_name=file_name,
        source_crs=source_crs,
        number=number,
        date=date,
        geofile=geofile,
    )
    check = report.preview
    assert check is not None  # check_layer always sets it
    usable = check.usable
    if not check.file_ok or not usable or (report.errors and not skip_invalid):
        report.status = REJECTED
        _record(report, actor, kabupaten, path, started)
        return report
    try:
        with transaction.atomic():
            _commit(report, check, usable, actor=actor, kabupaten=kabupaten, note=note)
            report.status = PARTIAL if len(usable) < len(check.features) else COMMITTED
            _record(report, actor, kabupaten, path, started)
    except DecreeError:
        # Another registration took the number or the version in between: nothing was saved.
        reason = _("the SK changed while the file was checked; check the file again")
        check.file_problems.append(Problem(report.file_name, "-", None, None, reason))
        settle(report, check)
        report.status, report.created, check.decree, check.delineated = REJECTED, 0, None, 0
        _record(report, actor, kabupaten, path, started)
    return report


def _commit(
    report: LayerReport,
    check: LayerCheck,
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
            report.created += 1
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
        source=report.file_name,
        note=note,
        context={"import": IMPORT_KIND},
    )
    check.delineated = len(items)
    if check.number and check.date is not None:
        check.decree = register_decree(
            actor=actor,
            kabupaten=kabupaten,
            previous=check.previous,
            number=check.number,
            date=check.date,
            entries=entries,
            title="",
            note=note,
            stated_classes=stated,
        )


def _record(
    report: LayerReport, actor: Actor, kabupaten: Region, path: Path, started: dt.datetime
) -> None:
    """The run, with the layer's report (less its problems, which the run keeps already)."""
    report.extra = {
        key: value for key, value in layer_json(report).items() if key not in ("errors", "warnings")
    }
    record_run(
        report,
        file_sha256=file_sha256(path),
        region_code=kabupaten.code,
        started=started,
        actor=actor,
    )
