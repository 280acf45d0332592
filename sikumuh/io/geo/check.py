"""Judging an uploaded delineation file before anything is saved.

Every feature is matched to a location by one attribute (a code or a name), reprojected to
EPSG:4326 and checked (polygon, valid rings, (lon, lat) order, inside Indonesia); its geodesic
area is compared with the SK hectares and its overlaps with the other locations are measured.
Errors name file, feature number, field, value and reason, like every importer's report; one
error anywhere and nothing is saved (validate all, then commit once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import (
    WGS84,
    AreaComparison,
    Flag,
    GeometryError,
    check_geometry,
    compare_area,
    find_overlaps,
    normalise_crs,
    reproject_to_wgs84,
    utm_area_ha,
)
from sikumuh.core.rows import Problem
from sikumuh.io.geo.read import GeoFeature, GeoFile
from sikumuh.io.reasons import number_text
from sikumuh.slums.geometry_text import issue_text

#: Attribute names that usually hold a location's code or name, most specific first.
MATCH_FIELD_HINTS = (
    "kode_lokasi",
    "kd_lokasi",
    "kode",
    "code",
    "lokasi",
    "nama_lokasi",
    "nama",
    "name",
)
GEOMETRY = "geometry"


@dataclass(frozen=True)
class LocationRef:
    """A location a file may deliver a polygon for (the caller decides which ones)."""

    pk: int
    code: str
    name: str
    declared_ha: Decimal | None = None  # the latest SK's hectares
    geometry: BaseGeometry | None = None  # the current polygon, for overlap checks


@dataclass
class FeatureResult:
    number: int
    value: str
    location: LocationRef | None = None
    geometry: BaseGeometry | None = None  # EPSG:4326 (lon, lat): what would be saved
    source_crs: str = ""
    area_ha: float | None = None
    utm_area_ha: float | None = None
    comparison: AreaComparison | None = None
    swapped: bool = False  # the file had (lat, lon) order (fixed when `fix_swapped`)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class GeoAnalysis:
    file: GeoFile
    match_field: str | None
    fix_swapped: bool
    features: list[FeatureResult]
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for f in self.features for p in f.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def swapped(self) -> int:
        return sum(1 for f in self.features if f.swapped)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file.name,
            "format": self.file.format,
            "match_field": self.match_field,
            "fix_swapped": self.fix_swapped,
            "features": len(self.features),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def text_of(value: Any) -> str:
    """An attribute as text for matching: 12.0 → "12", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


class LocationIndex:
    """Locations by code and by name, both compared case-insensitively."""

    def __init__(self, locations: Sequence[LocationRef]) -> None:
        self.locations = list(locations)
        self.by_code = {loc.code.casefold(): loc for loc in locations}
        names = Counter(" ".join(loc.name.split()).casefold() for loc in locations)
        self.ambiguous = {name for name, n in names.items() if n > 1}
        self.by_name = {" ".join(loc.name.split()).casefold(): loc for loc in locations}

    def find(self, value: str) -> LocationRef | None:
        key = value.casefold()
        if key in self.by_code:
            return self.by_code[key]
        if key in self.ambiguous:
            return None
        return self.by_name.get(key)


def detect_match_field(geofile: GeoFile, locations: Sequence[LocationRef]) -> str | None:
    """The attribute whose values match the most locations (ties: the more specific name);
    without any match, the first attribute with a usual name; None when there is neither."""
    index = LocationIndex(locations)
    hints = {hint: rank for rank, hint in enumerate(MATCH_FIELD_HINTS)}

    def rank(name: str) -> int:
        return hints.get(name.casefold(), len(hints))

    best: tuple[int, int, str] | None = None
    for name in geofile.fields:
        matched = {
            loc.pk
            for f in geofile.features
            if (loc := index.find(text_of(f.properties.get(name)))) is not None
        }
        if matched and (best is None or (-len(matched), rank(name)) < best[:2]):
            best = (-len(matched), rank(name), name)
    if best is not None:
        return best[2]
    usual = sorted((rank(n), n) for n in geofile.fields if rank(n) < len(hints))
    return usual[0][1] if usual else None


def analyse(
    geofile: GeoFile,
    locations: Sequence[LocationRef],
    *,
    match_field: str | None = None,
    source_crs: str | None = None,
    fix_swapped: bool = False,
    area_label: str = "",
) -> GeoAnalysis:
    """Match, reproject and check every feature; nothing is written.

    `source_crs` is used only for layers whose file gives no CRS. `area_label` names the region
    whose locations were offered, for the "no such location" message.
    """
    name = geofile.name
    file_problems: list[Problem] = []
    if match_field is None:
        match_field = detect_match_field(geofile, locations)
    if match_field is None or match_field not in geofile.fields:
        file_problems.append(
            Problem(
                name,
                "-",
                match_field,
                None,
                _(
                    "choose the attribute that holds the location code or name (the file "
                    "has: %(fields)s)"
                )
                % {"fields": ", ".join(geofile.fields) or _("no attribute")},
            )
        )
        return GeoAnalysis(geofile, match_field, fix_swapped, [], file_problems)
    default_crs = source_crs or WGS84
    if any(f.crs is None for f in geofile.features):
        file_problems.append(
            Problem(
                name,
                "-",
                None,
                source_crs,
                _("the file does not say its CRS: %(crs)s is assumed") % {"crs": default_crs},
                severity="warning",
            )
        )
    index = LocationIndex(locations)
    results = [
        _feature(f, match_field, index, default_crs, fix_swapped, name, area_label)
        for f in geofile.features
    ]
    _flag_repeats(results, name, match_field)
    _flag_overlaps(results, locations, name)
    return GeoAnalysis(geofile, match_field, fix_swapped, results, file_problems)


@dataclass
class Judged:
    """One feature's geometry judged on its own (no location involved): what `analyse` and the
    file-only check (`sikumuh.io.geo.survey`) share."""

    source_crs: str = ""
    geometry: BaseGeometry | None = None  # usable: EPSG:4326, valid, inside Indonesia
    area_ha: float | None = None  # geodesic, of `geometry`
    swapped: bool = False  # the file had (lat, lon) order
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, reason): errors
    notes: list[str] = field(default_factory=list)  # warnings: what was fixed


def judge_geometry(feature: GeoFeature, default_crs: str, *, fix_swapped: bool) -> Judged:
    """Reproject `feature` to EPSG:4326 and check it (core.geometry.check_geometry)."""
    judged = Judged()
    if feature.geometry is None:
        if feature.error is not None:
            judged.issues.append(("unreadable", feature.error))
        else:
            judged.issues.append((Flag.MISSING.value, _("the feature has no geometry")))
        return judged
    try:
        judged.source_crs = normalise_crs(feature.crs or default_crs)
        geometry = reproject_to_wgs84(feature.geometry, judged.source_crs)
    except GeometryError:
        judged.issues.append(("crs", _("unknown or unusable CRS")))
        return judged
    check = check_geometry(geometry)
    for issue in check.issues:
        if issue.flag is Flag.SWAPPED:
            judged.swapped = True
            if fix_swapped:
                continue
            judged.issues.append(
                (
                    issue.flag.value,
                    _("%(reason)s: the swapped-back version can be used")
                    % {"reason": issue_text(issue)},
                )
            )
        else:
            judged.issues.append((issue.flag.value, issue_text(issue)))
    if judged.swapped and fix_swapped and check.swapped is not None:
        judged.geometry, judged.area_ha = check.swapped, check.swapped_area_ha
        judged.notes.append(_("coordinates swapped back to (longitude, latitude)"))
    elif check.ok:
        judged.geometry, judged.area_ha = check.geometry, check.area_ha
    if judged.geometry is None or judged.area_ha is None:
        judged.geometry = judged.area_ha = None
    return judged


def _feature(
    feature: GeoFeature,
    match_field: str,
    index: LocationIndex,
    default_crs: str,
    fix_swapped: bool,
    file: str,
    area_label: str,
) -> FeatureResult:
    value = text_of(feature.properties.get(match_field))
    result = FeatureResult(number=feature.number, value=value)
    row = str(feature.number)

    def problem(reason: str, *, column: str = GEOMETRY, shown: str | None = None) -> None:
        result.problems.append(Problem(file, row, column, shown, reason))

    if not value:
        problem(_("no location code or name in this feature"), column=match_field)
    elif value.casefold() in index.ambiguous:
        reason = _("several locations have this name: match by code")
        problem(reason, column=match_field, shown=value)
    else:
        result.location = index.find(value)
        if result.location is None:
            reason = (
                _("no location with this code or name in %(area)s") % {"area": area_label}
                if area_label
                else _("no location with this code or name")
            )
            problem(reason, column=match_field, shown=value)
    judged = judge_geometry(feature, default_crs, fix_swapped=fix_swapped)
    result.source_crs, result.swapped = judged.source_crs, judged.swapped
    for code, reason in judged.issues:
        problem(reason, shown=(feature.crs or default_crs) if code == "crs" else None)
    for note in judged.notes:
        result.problems.append(Problem(file, row, GEOMETRY, None, note, severity="warning"))
    result.geometry, result.area_ha = judged.geometry, judged.area_ha
    if result.geometry is None or result.area_ha is None:
        return result
    result.utm_area_ha = utm_area_ha(result.geometry)
    if result.location is not None:
        result.comparison = compare_area(result.area_ha, result.location.declared_ha)
        if result.comparison.differs:
            result.problems.append(
                Problem(
                    file,
                    row,
                    GEOMETRY,
                    _("%(ha)s ha") % {"ha": number_text(str(result.comparison.computed_ha))},
                    _("differs from the SK's %(sk)s ha by %(pct)s %%")
                    % {
                        "sk": number_text(str(result.comparison.declared_ha)),
                        "pct": number_text(str(result.comparison.difference_pct)),
                    },
                    severity="warning",
                )
            )
    return result


def _flag_repeats(results: list[FeatureResult], file: str, match_field: str) -> None:
    first: dict[int, int] = {}
    for result in results:
        if result.location is None:
            continue
        seen = first.setdefault(result.location.pk, result.number)
        if seen != result.number:
            result.problems.append(
                Problem(
                    file,
                    str(result.number),
                    match_field,
                    result.value,
                    _(
                        "location %(code)s already has feature %(seen)s in this file (merge its "
                        "parts into one multipolygon)"
                    )
                    % {"code": result.location.code, "seen": seen},
                )
            )


def _flag_overlaps(
    results: list[FeatureResult], locations: Sequence[LocationRef], file: str
) -> None:
    """Overlaps between the file's polygons, and with the current polygons of the locations the
    file leaves as they are. A warning, not an error: neighbouring delineations are often drawn
    by different people and the Pokja decides which boundary holds."""
    replaced = {r.location.pk for r in results if r.location is not None}
    items: list[tuple[tuple[str, int], BaseGeometry]] = [
        (("feature", r.number), r.geometry) for r in results if r.geometry is not None
    ]
    items += [
        (("location", loc.pk), loc.geometry)
        for loc in locations
        if loc.geometry is not None and loc.pk not in replaced
    ]
    by_number = {r.number: r for r in results}
    codes = {loc.pk: loc.code for loc in locations}

    def label(key: tuple[str, int]) -> str:
        kind, ident = key
        if kind == "location":
            return _("location %(code)s") % {"code": codes[ident]}
        other = by_number[ident]
        if other.location:
            return _("feature %(n)s (%(code)s)") % {"n": ident, "code": other.location.code}
        return _("feature %(n)s") % {"n": ident}

    for overlap in find_overlaps(items):
        for mine, theirs in ((overlap.a, overlap.b), (overlap.b, overlap.a)):
            if mine[0] != "feature":
                continue
            by_number[mine[1]].problems.append(
                Problem(
                    file,
                    str(mine[1]),
                    GEOMETRY,
                    _("%(ha)s ha") % {"ha": number_text(f"{overlap.area_ha:.4f}")},
                    _("overlaps %(other)s") % {"other": label(theirs)},
                    severity="warning",
                )
            )
