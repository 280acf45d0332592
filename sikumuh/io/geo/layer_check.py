"""A foreign GIS layer checked as SK locations and their delineation; nothing is written.

Each feature of a consultant's layer (GeoJSON, zipped Shapefile, GeoPackage, KML, KMZ, any CRS)
is read through the mapping of its attributes (`layer_mapping`) and checked:

* its desa/kelurahan name resolves to a Kemendagri code inside the kabupaten with the name
  matcher of the motorkawanku import (`motorkawanku.names.resolve_kawasan`, the one place where
  "Kel. Sarang Halang" and "DS. BAJUIN" are read); what does not resolve is an error, a guess a
  warning;
* its geometry is judged by the file check (`geo.survey`: the code behind `sikumuh geo check`):
  an unusable polygon or a duplicate is an error, an overlap a warning;
* its stated hectares are compared with the geodesic ones: more than 2 % apart is a warning;
* its stated class is compared, for a location the product already holds, with the class
  computed from that location's RTs (their latest data, the SK page's "latest class"): a
  difference is a warning;
* it names a location of the kabupaten (by code, or by name inside the same desa) or a new one.

The SK particulars (number, date) are checked as `sikumuh sk import` checks them. Every problem
names the file, the feature's index, the attribute and the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sikumuh.core.geometry import GeometryError, compare_area, to_ha
from sikumuh.core.rows import READY, REJECTED, ImportReport, Problem
from sikumuh.io.geo.check import text_of
from sikumuh.io.geo.layer_feature import LayerFeature, decimal_text, total_of
from sikumuh.io.geo.layer_mapping import mapping_problems, parse_class
from sikumuh.io.geo.read import GeoFeature, GeoFile, GeoFileError, read_geofile
from sikumuh.io.geo.survey import DUPLICATE, SurveyedFeature, survey
from sikumuh.io.motorkawanku.importer import candidate_regions
from sikumuh.io.motorkawanku.names import GUESSES, resolve_kawasan, squash
from sikumuh.io.numbers import NumberError, detect_format, parse_number
from sikumuh.io.sk_import import LampiranDiff, lampiran_diff, listing, previous_version
from sikumuh.io.sk_lampiran import CODE_LENGTH, HA_LIMIT, NAME_LENGTH, check_particulars
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, SkDecree
from sikumuh.surveys.location_status import location_statuses

#: Geometry issues of the file check that only warn (the Pokja decides between neighbours).
_WARNING_ISSUES = frozenset({"overlap"})


#: ImportRun.kind of these imports.
IMPORT_KIND = "gis-layer"


@dataclass
class LayerCheck:
    """A layer as checked (its report's ``preview``): the mapping it was read by, the SK
    particulars, every feature with its problems, the version it replaces and the change
    against it; after a commit, the new SK and the polygons saved."""

    mapping: dict[str, str]
    number: str = ""
    date: dt.date | None = None
    format: str = ""
    features: list[LayerFeature] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    previous: SkDecree | None = None
    diff: LampiranDiff | None = None
    decree: SkDecree | None = None
    delineated: int = 0  # polygons saved

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for f in self.features for p in f.problems)]

    @property
    def usable(self) -> list[LayerFeature]:
        return [f for f in self.features if f.ok]

    @property
    def unresolved(self) -> list[LayerFeature]:
        return [f for f in self.features if f.desa_code is None]

    @property
    def file_ok(self) -> bool:
        return not any(p.severity == "error" for p in self.file_problems)


#: What a layer would do (``status`` "ready"), did ("committed", "partial"), or why not
#: ("rejected": see ``errors``). ``created`` counts the new locations; a row is a feature.
LayerReport = ImportReport[LayerCheck]


def settle(report: LayerReport, check: LayerCheck) -> None:
    """The report's problems and rows from the check's: after a check, and again when a
    commit adds a problem."""
    problems = check.problems
    report.errors = [p for p in problems if p.severity == "error"]
    report.warnings = [p for p in problems if p.severity != "error"]
    report.rows_total = len(check.features)
    report.rejected_rows = [str(f.index) for f in check.features if not f.ok]


def layer_json(report: LayerReport) -> dict[str, Any]:
    """The report as data: what `sikumuh import layer --format json` prints and the run keeps."""
    check = report.preview
    assert check is not None  # check_layer always sets it
    diff = check.diff
    return {
        "file": report.file_name,
        "format": check.format,
        "status": report.status,
        "mapping": check.mapping,
        "sk_number": check.number or None,
        "sk_date": check.date.isoformat() if check.date else None,
        "previous": check.previous.pk if check.previous else None,
        "decree": check.decree.pk if check.decree else None,
        "features": [f.as_dict() for f in check.features],
        "unresolved": [
            {"index": f.index, "desa": f.desa_text, "kecamatan": f.kecamatan_text}
            for f in check.unresolved
        ],
        "total": {
            "features": len(check.features),
            "usable": len(check.usable),
            "locations_created": report.created,
            "polygons_saved": check.delineated,
            "stated_ha": decimal_text(total_of(f.stated_ha for f in check.usable)),
            "computed_ha": decimal_text(total_of(f.computed_ha for f in check.usable)),
            "dropped_from_previous": [c.code for c in diff.dropped] if diff else [],
            "class_differs": [f.index for f in check.usable if f.class_differs],
        },
        "errors": [p.as_dict() for p in report.errors],
        "warnings": [p.as_dict() for p in report.warnings],
    }


def check_layer(
    path: Path,
    *,
    kabupaten: Region,
    mapping: Mapping[str, str],
    file_name: str | None = None,
    source_crs: str | None = None,
    number: str = "",
    date: dt.date | None = None,
    geofile: GeoFile | None = None,
) -> LayerReport:
    """Read `path` (unless the caller has read it already: `geofile`) and check every feature
    through `mapping` against `kabupaten`."""
    name = file_name or path.name
    check = LayerCheck(dict(mapping), number=number.strip(), date=date)
    report = LayerReport(kind=IMPORT_KIND, file_name=name, status=READY, preview=check)
    _check(check, name, path, kabupaten=kabupaten, source_crs=source_crs, geofile=geofile)
    settle(report, check)
    if report.errors:
        report.status = REJECTED
    return report


def _check(
    check: LayerCheck,
    name: str,
    path: Path,
    *,
    kabupaten: Region,
    source_crs: str | None,
    geofile: GeoFile | None,
) -> None:
    """Every check, in order; one that leaves nothing to check further ends it."""
    try:
        geofile = geofile or read_geofile(path, name=name)
    except GeoFileError as exc:
        check.file_problems.append(Problem(name, "-", None, None, str(exc)))
        return
    check.format = geofile.format
    _check_particulars(check, name, kabupaten)
    unusable = mapping_problems(check.mapping, geofile.fields)
    check.file_problems.extend(Problem(name, "-", None, None, reason) for reason in unusable)
    if unusable:
        return  # nothing to read the features by
    try:
        surveyed = survey(geofile, source_crs=source_crs)
    except GeometryError:
        check.file_problems.append(
            Problem(name, "-", "CRS", source_crs, _("unknown coordinate reference system"))
        )
        return
    _Features(check, name, geofile, kabupaten, surveyed.features).run()
    if check.number:
        after = {f.code: (f.name, f.sk_ha or Decimal(0)) for f in check.usable}
        check.diff = lampiran_diff(listing(check.previous), after)


def _check_particulars(check: LayerCheck, name: str, kabupaten: Region) -> None:
    """The SK number and date (both or neither): as `sikumuh sk import` checks them."""
    if not check.number and check.date is None:
        return
    if check.date is None:
        reason = _("give the SK's date with its number")
        check.file_problems.append(Problem(name, "-", "--sk-date", None, reason))
        return
    check.previous = previous_version(kabupaten.code)
    check.file_problems.extend(
        check_particulars(
            name,
            kabupaten=kabupaten,
            number=check.number,
            date=check.date,
            previous=check.previous,
        )
    )


class _Features:
    """Feature by feature checks of one layer, collecting problems (every feature is checked)."""

    def __init__(
        self,
        check: LayerCheck,
        file_name: str,
        geofile: GeoFile,
        kabupaten: Region,
        surveyed: list[SurveyedFeature],
    ) -> None:
        self.check, self.file_name = check, file_name
        self.geofile, self.kabupaten = geofile, kabupaten
        self.surveyed = {s.index: s for s in surveyed}
        self.mapping = check.mapping
        self.kecamatan, self.desa = candidate_regions(kabupaten.code)
        locations = list(Location.objects.filter(kabupaten=kabupaten).defer("polygon"))
        self.by_code = {loc.code: loc for loc in locations}
        self.by_name = {(loc.desa_id, squash(loc.name)): loc for loc in locations}
        self.codes = set(self.by_code)
        self.seen: dict[tuple[str, str], int] = {}
        ha_attr = self.mapping.get("ha")
        self.fmt = detect_format(
            [[f.properties.get(ha_attr) for f in geofile.features]] if ha_attr else []
        )

    def value(self, feature: GeoFeature, role: str) -> str:
        attribute = self.mapping.get(role)
        return text_of(feature.properties.get(attribute)) if attribute else ""

    def problem(
        self,
        item: LayerFeature,
        role: str | None,
        value: str | None,
        reason: str,
        *,
        warn: bool = False,
    ) -> None:
        """A problem of `item`, naming the attribute the role is mapped to."""
        column = self.mapping.get(role, role) if role else None
        severity = "warning" if warn else "error"
        item.problems.append(
            Problem(self.file_name, str(item.index), column, value, reason, severity)
        )

    def run(self) -> None:
        for feature in self.geofile.features:
            self.check.features.append(self._feature(feature))
        self._compare_classes()

    def _feature(self, feature: GeoFeature) -> LayerFeature:
        item = LayerFeature(
            index=feature.number,
            name=self.value(feature, "name"),
            desa_text=self.value(feature, "desa"),
            kecamatan_text=self.value(feature, "kecamatan"),
            class_text=self.value(feature, "class"),
        )
        if not item.name:
            self.problem(item, "name", item.name, _("the location name is empty"))
        elif len(item.name) > NAME_LENGTH:
            self.problem(item, "name", item.name, _("the location name is too long"))
        self._resolve(item)
        if item.class_text:
            item.slum_class = parse_class(item.class_text)
            if item.slum_class is None:
                reason = _("not a slum class (berat, sedang, ringan)")
                self.problem(item, "class", item.class_text, reason, warn=True)
        self._geometry(item)
        self._hectares(item, feature)
        self._location(item, feature)
        return item

    def _compare_classes(self) -> None:
        """The stated class against the one computed from the RTs of the location a feature
        names (as the stated hectares against the computed ones): a warning where both exist
        and differ. A new location has no RTs yet: nothing to compare. One query."""
        stated = [f for f in self.check.features if f.slum_class and f.location is not None]
        statuses = location_statuses([f.location.pk for f in stated if f.location is not None])
        for item in stated:
            status = statuses.get(item.location.pk) if item.location is not None else None
            if status is None or status.klass is None or item.slum_class is None:
                continue
            item.computed_class, item.computed_tahun = status.klass, status.tahun
            if item.class_differs:
                self.problem(
                    item,
                    "class",
                    item.class_text,
                    _("stated %(stated)s, computed %(computed)s from the RT data up to %(tahun)s")
                    % {
                        "stated": item.slum_class.label_id,
                        "computed": status.klass.label_id,
                        "tahun": status.tahun,
                    },
                    warn=True,
                )

    def _resolve(self, item: LayerFeature) -> None:
        if not item.desa_text:
            self.problem(item, "desa", item.desa_text, _("the desa/kelurahan name is empty"))
            return
        item.resolution = resolve_kawasan(
            item.index,
            item.desa_text,
            item.kecamatan_text,
            kecamatan=self.kecamatan,
            desa=self.desa,
        )
        if not item.resolution.resolved:
            self.problem(
                item,
                "desa",
                item.desa_text,
                _("no desa/kelurahan of this name in %(region)s") % {"region": self.kabupaten.name},
            )
        elif item.resolution.method in GUESSES:
            self.problem(
                item,
                "desa",
                item.desa_text,
                _("read as %(desa)s (%(code)s), a guess: check it")
                % {"desa": item.resolution.desa_name, "code": item.resolution.kode_desa},
                warn=True,
            )

    def _geometry(self, item: LayerFeature) -> None:
        judged = self.surveyed[item.index]
        for code, reason in judged.issues:
            self.problem(item, "geometry", None, reason, warn=code in _WARNING_ISSUES)
        item.source_crs = judged.source_crs
        duplicate = any(code == DUPLICATE for code, _reason in judged.issues)
        if judged.geometry is not None and judged.area_ha is not None and not duplicate:
            item.geometry, item.computed_ha = judged.geometry, to_ha(judged.area_ha)

    def _hectares(self, item: LayerFeature, feature: GeoFeature) -> None:
        attribute = self.mapping.get("ha")
        if attribute is None:
            return
        raw = feature.properties.get(attribute)
        shown = text_of(raw)
        try:
            value = parse_number(raw, self.fmt)
        except NumberError:
            self.problem(item, "ha", shown, _("not a number of hectares"))
            return
        if value is None:
            reason = _("no stated area: the computed one goes into the SK")
            self.problem(item, "ha", shown, reason, warn=True)
            return
        if value <= 0 or value >= HA_LIMIT:
            self.problem(item, "ha", shown, _("the area must be more than 0 ha"))
            return
        item.stated_ha = value.quantize(Decimal("0.0001"))
        if item.computed_ha is not None:
            comparison = compare_area(item.computed_ha, item.stated_ha)
            item.difference_pct = pct = comparison.difference_pct
            if pct is not None and item.area_differs:
                self.problem(
                    item,
                    "ha",
                    shown,
                    _("stated %(stated)s ha, computed %(computed)s ha: %(pct)s %% apart")
                    % {
                        "stated": number_format(item.stated_ha, 2),
                        "computed": number_format(item.computed_ha, 2),
                        "pct": number_format(pct, 2),
                    },
                    warn=True,
                )

    def _location(self, item: LayerFeature, feature: GeoFeature) -> None:
        """The existing location the feature names (by code, or by name in its desa), or the
        code of the new one; a location twice in the layer is an error of the second."""
        code = self.value(feature, "code")
        desa = item.desa_code
        if code and len(code) > CODE_LENGTH:
            self.problem(item, "code", code, _("the location code is too long"))
            return
        if desa is None or not item.name:
            return
        key = ("code", code) if code else (desa, squash(item.name))
        if key in self.seen:
            self.problem(
                item,
                "code" if code else "name",
                code or item.name,
                _("the same location as feature %(n)d (merge its parts into one multipolygon)")
                % {"n": self.seen[key]},
            )
            return
        self.seen[key] = item.index
        item.location = self.by_code.get(code) if code else self.by_name.get(key)
        if item.location is None:
            item.code = code or self._new_code(desa)
            return
        item.code = item.location.code
        if item.location.desa_id != desa:
            self.problem(
                item,
                "code",
                code,
                _("location %(code)s lies in desa %(desa)s")
                % {"code": code, "desa": item.location.desa_id or "-"},
            )

    def _new_code(self, desa: str) -> str:
        """``<kode desa>-01``, ``-02`` …: the first number not taken in the kabupaten."""
        n = 1
        while f"{desa}-{n:02d}" in self.codes:
            n += 1
        self.codes.add(f"{desa}-{n:02d}")
        return f"{desa}-{n:02d}"
