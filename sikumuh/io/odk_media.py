"""What an RT survey submission brings beside its values: the GPS point taken in the RT and the
photos per criterion (:mod:`sikumuh.io.rt_survey_form`: the geopoint ``titik``, the images
``foto_<code>``).

:func:`read_extras` reads both from the export's CSV (ODK Central splits the point into
``…-titik-Latitude``/``-Longitude``/``-Accuracy``; KoboToolbox gives "lat lon alt acc" plus
``_titik_latitude``…); :func:`point_warnings` checks each point against the RT's location polygon
and the kabupaten, as warnings of the import report (a point never rejects a submission: phones
are often off by some metres, and the Pokja decides); :func:`keep` stores them with the
observations once the import has committed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import get_rule_set
from sikumuh.core.geometry import INDONESIA_LAT, INDONESIA_LON, GeometryError, parse_geojson
from sikumuh.core.rows import ObservationRow, Problem
from sikumuh.io import guard, odk_csv
from sikumuh.io.import_lock import ImportCollision, locked_kabupaten
from sikumuh.io.odk_export import Export, read_photo
from sikumuh.io.rt_survey_form import GPS, RULE_SET_ID, photo_name
from sikumuh.regions.models import Level, code_at_level

#: Column name (after :func:`odk_csv.column_name`) → criterion code, for the photo questions.
PHOTO_COLUMNS = {photo_name(code): code for code in get_rule_set(RULE_SET_ID).codes}
_QUESTIONS = frozenset({GPS, *PHOTO_COLUMNS})
#: Degrees around the kabupaten's delineated locations still taken as inside it (about 11 km):
#: the locations are the only outline of a kabupaten the product holds.
KABUPATEN_MARGIN = 0.1
_DEGREES = Decimal("0.000001")
_METRES = Decimal("0.1")


@dataclass
class Media:
    """What :func:`check` found beside the values: per-submission extras, the report's
    warnings and counts; :meth:`keep` stores them once the import has committed."""

    rows: list[ObservationRow]
    export: Export
    extras: dict[str, Extras]
    problems: list[Problem]
    counts: dict[str, Any]

    def keep(self, rejected: Iterable[str], *, actor: Actor) -> dict[str, Any]:
        return keep(self.rows, self.extras, rejected, export=self.export, actor=actor)


def check(rows: list[ObservationRow], export: Export) -> Media:
    """Read the points and photo names of the submissions the import read as `rows`; warn
    about points and missing photos."""
    extras, shown = read_extras(export.csv, export.file_name)
    problems = point_warnings(rows, extras, export.file_name, shown)
    photo_problems, counts = photo_warnings(rows, extras, export, shown)
    return Media(rows, export, extras, problems + photo_problems, counts)


@dataclass
class Extras:
    """One submission's point and photos, as the CSV gives them."""

    row: str  # the CSV line
    instance_id: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: Decimal | None = None
    unreadable: str = ""  # the point's text when it is not a point
    photos: dict[str, str] = field(default_factory=dict)  # criterion code → attachment name

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def read_extras(data: bytes, file_name: str) -> tuple[dict[str, Extras], dict[str, str]]:
    """Every submission's extras by CSV line, and the export's own name of each column (the
    point as ``titik``, for the report). Empty when the file cannot be read: the import reports
    why."""
    try:
        header, rows = odk_csv.read_csv(data, file_name)
    except guard.FileRefused:
        return {}, {}
    columns = [odk_csv.column_name(h, _QUESTIONS) for h in header]
    index = odk_csv.first_index(columns)
    shown = {name: header[at].strip().lstrip("\ufeff") for name, at in index.items()}
    point = next((c for c in (f"{GPS}__latitude", GPS) if c in shown), None)
    if point is not None:
        shown[GPS] = shown[point]
    extras: dict[str, Extras] = {}
    for number, cells in enumerate(rows, start=2):
        item = Extras(str(number), odk_csv.instance_id(cells, index))
        _read_point(item, cells, index)
        for column, code in PHOTO_COLUMNS.items():
            name = odk_csv.cell(cells, index, column)
            if name:
                item.photos[code] = name
        extras[item.row] = item
    return extras, shown


def _read_point(item: Extras, cells: list[str], index: Mapping[str, int]) -> None:
    parts = [
        odk_csv.cell(cells, index, f"{GPS}__{p}") for p in ("latitude", "longitude", "accuracy")
    ]
    if not parts[2]:
        parts[2] = odk_csv.cell(cells, index, f"{GPS}__precision")
    if not (parts[0] or parts[1]):
        # Kobo's own column (also ODK's when the point is not split): "lat lon alt acc".
        whole = odk_csv.cell(cells, index, GPS).split()
        parts = [*whole[:2], whole[3] if len(whole) > 3 else ""] if whole else ["", "", ""]
    if not (parts[0] or parts[1]):
        return
    try:
        lat, lon = Decimal(parts[0]), Decimal(parts[1])
        accuracy = Decimal(parts[2]) if parts[2] else None
        valid = lat.is_finite() and lon.is_finite() and abs(lat) <= 90 and abs(lon) <= 180
        if accuracy is not None and not (accuracy.is_finite() and 0 <= accuracy < 10**7):
            accuracy = None
    except InvalidOperation:
        valid = False
    if not valid:
        item.unreadable = " ".join(parts).strip()[:100]
        return
    item.latitude, item.longitude = lat.quantize(_DEGREES), lon.quantize(_DEGREES)
    item.accuracy_m = accuracy.quantize(_METRES) if accuracy is not None else None


def point_text(latitude: Decimal, longitude: Decimal) -> str:
    return f"{latitude:f}, {longitude:f}"


def point_warnings(
    rows: Iterable[ObservationRow],
    extras: Mapping[str, Extras],
    file_name: str,
    shown: Mapping[str, str],
) -> list[Problem]:
    """A warning for each submission whose point is missing, unreadable, outside its RT's
    location polygon, or outside its kabupaten (the box around its delineated locations, or
    Indonesia when none is delineated). Two queries."""
    from sikumuh.slums.models import Location

    rows = [r for r in rows if r.row in extras]
    kabupaten = {code_at_level(r.kode_desa, Level.KABUPATEN) or "" for r in rows}
    polygons: dict[tuple[str, str], BaseGeometry] = {}
    for kab, code, polygon in Location.objects.filter(
        kabupaten_id__in=kabupaten, polygon__isnull=False
    ).values_list("kabupaten_id", "code", "polygon"):
        try:
            polygons[(kab, code)] = parse_geojson(polygon or {})
        except GeometryError:
            continue
    outline: dict[str, BaseGeometry] = {}
    for (kab, _code), shape in polygons.items():
        outline[kab] = shape if kab not in outline else outline[kab].union(shape)
    boxes = {kab: box(*shape.bounds).buffer(KABUPATEN_MARGIN) for kab, shape in outline.items()}
    indonesia = box(INDONESIA_LON[0], INDONESIA_LAT[0], INDONESIA_LON[1], INDONESIA_LAT[1])
    column = shown.get(GPS, GPS)
    problems: list[Problem] = []
    for row in rows:
        item = extras[row.row]

        def warn(reason: str, value: str | None, row: ObservationRow = row) -> None:
            problems.append(Problem(file_name, row.row, column, value, reason, "warning"))

        if item.unreadable:
            warn(_("not a GPS point (latitude, longitude in degrees): not kept"), item.unreadable)
            continue
        if item.latitude is None or item.longitude is None:
            warn(_("the submission has no GPS point"), None)
            continue
        point = Point(float(item.longitude), float(item.latitude))
        text = point_text(item.latitude, item.longitude)
        kab = code_at_level(row.kode_desa, Level.KABUPATEN) or ""
        location = polygons.get((kab, row.lokasi))
        if kab in boxes and not boxes[kab].covers(point):
            warn(
                _(
                    "the GPS point lies outside kabupaten/kota %(kabupaten)s (far from all its"
                    " delineated locations)"
                )
                % {"kabupaten": kab},
                text,
            )
        elif kab not in boxes and not indonesia.covers(point):
            warn(_("the GPS point lies outside Indonesia"), text)
        elif location is not None and not location.covers(point):
            warn(
                _("the GPS point lies outside the polygon of location %(location)s")
                % {"location": row.lokasi},
                text,
            )
    return problems


def photo_warnings(
    rows: Iterable[ObservationRow],
    extras: Mapping[str, Extras],
    export: Export,
    shown: Mapping[str, str],
) -> tuple[list[Problem], dict[str, Any]]:
    """For a ZIP, a warning for each photo an answer names that the ZIP does not hold (its name
    is kept all the same); and the counts for the report."""
    named = found = 0
    problems = []
    for row in rows:
        item = extras.get(row.row)
        for code, name in (item.photos if item else {}).items():
            named += 1
            if not export.is_zip:
                continue
            if export.find(name, row.source_ref) is not None:
                found += 1
                continue
            column = photo_name(code)
            problems.append(
                Problem(
                    export.file_name,
                    row.row,
                    shown.get(column, column),
                    name,
                    _("the photo is not in the zip: only its name is kept"),
                    "warning",
                )
            )
    counts = {"photos_named": named}
    if export.is_zip:
        counts["photos_in_zip"] = found
    return problems, counts


def keep(
    rows: Iterable[ObservationRow],
    extras: Mapping[str, Extras],
    rejected: Iterable[str],
    *,
    export: Export,
    actor: Actor,
) -> dict[str, Any]:
    """Store the extras of the submissions the import kept (every row not rejected) with
    their observations, photos read from the ZIP one at a time; what was kept, for the report.
    Two queries and the writes."""
    refused = set(rejected)
    kept = [r for r in rows if r.row not in refused and r.row in extras and r.source_ref]
    if not kept:
        return {"submissions_kept": 0}
    if export.is_zip:
        with export.reader() as archive:
            return _keep(kept, extras, export, actor, archive)
    return _keep(kept, extras, export, actor, None)


def _keep(
    kept: list[ObservationRow],
    extras: Mapping[str, Extras],
    export: Export,
    actor: Actor,
    archive: zipfile.ZipFile | None,
) -> dict[str, Any]:
    from sikumuh.surveys.actions import PhotoData, SubmissionData, record_submissions
    from sikumuh.surveys.models import Observation

    observations = {
        (o.rt.location.kabupaten_id, o.rt.location.code, o.rt.rt, o.tahun): o
        for o in Observation.objects.filter(
            rt__location__kabupaten_id__in={
                code_at_level(r.kode_desa, Level.KABUPATEN) for r in kept
            },
            tahun__in={r.tahun for r in kept},
        ).select_related("rt__location")
    }
    items = []
    for row in kept:
        kab = code_at_level(row.kode_desa, Level.KABUPATEN) or ""
        obs = observations.get((kab, row.lokasi, row.rt, row.tahun))
        if obs is None:
            continue
        item = extras[row.row]
        photos = []
        for code, name in sorted(item.photos.items()):
            found = export.find(name, row.source_ref) if archive is not None else None
            if found is None or archive is None:
                photos.append(PhotoData(code, name))
                continue
            photos.append(
                PhotoData(
                    code,
                    name,
                    found.sha256,
                    found.suffix,
                    partial(read_photo, archive, found, export.file_name),
                )
            )
        items.append(
            SubmissionData(
                observation=obs,
                instance_id=row.source_ref,
                latitude=item.latitude,
                longitude=item.longitude,
                accuracy_m=item.accuracy_m,
                photos=tuple(photos),
            )
        )
    # Under the import's own lock: two imports of one export at once keep each point once.
    try:
        with locked_kabupaten({code_at_level(r.kode_desa, Level.KABUPATEN) or "" for r in kept}):
            changed = record_submissions(
                actor=actor, items=items, context={"import": "odk", "file": export.file_name}
            )
    except ImportCollision as exc:
        return {"submissions_kept": 0, "media_not_kept": exc.problem(export.file_name).reason}
    return {"submissions_kept": len(items), "changes_kept": changed}
