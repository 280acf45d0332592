"""Reading a SIM KOTAKU layer (GeoJSON, zipped Shapefile or CSV) into plain records.

Geometry files go through the hardened reader (`sikumuh.io.geo.read`: one GDAL driver per
suffix) and each feature's outline is reprojected to EPSG:4326 and checked by the same code as
the delineation upload (`sikumuh.io.geo.check.judge_geometry`); CSV goes through the product's
table reader (`sikumuh.io.readers`). Field names are looked up without regard to case, and a
field may have several spellings: Shapefile cuts names at 10 characters (`kumuh_akhi`), other
exports write `kum_awal` / `kum_akhir` (the data README).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry
from django.utils.translation import gettext as _

from sikumuh.core.geometry import geodesic_area_ha
from sikumuh.core.rows import Problem
from sikumuh.io.geo.check import judge_geometry
from sikumuh.io.geo.errors import GeoFileError
from sikumuh.io.geo.read import read_geofile
from sikumuh.io.readers import ReaderError, read_table

#: The suffixes read (the issue: GeoJSON, zipped Shapefile or CSV).
GEO_SUFFIXES = frozenset({".geojson", ".json", ".zip"})
CSV_SUFFIXES = frozenset({".csv"})
#: Fields that number the features, not the RT: parts of one RT differ only in these.
FEATURE_NUMBERS = frozenset({"fid", "objectid", "id"})
#: A SIM KOTAKU export is WGS84 (the data README); a Shapefile without .prj is taken as such.
DEFAULT_CRS = "EPSG:4326"


class SimkotakuError(Exception):
    """The file cannot be used at all: one translated line naming the file."""


@dataclass(frozen=True)
class Record:
    """One feature (or CSV line) of a layer."""

    row: str  # the feature number (1-based) or the CSV line (the header is line 1)
    properties: dict[str, Any]
    columns: dict[str, str]  # lower-case name → the name as the file spells it
    geometry: dict[str, Any] | None = None  # GeoJSON, lon/lat (RFC 7946)
    area_ha: float | None = None  # geodesic, of `geometry`

    def get(self, *names: str) -> tuple[str, Any]:
        """``(column as written, value)`` of the first of `names` the record has; the first
        name and None when it has none of them."""
        for name in names:
            column = self.columns.get(name.lower())
            if column is not None:
                return column, self.properties.get(column)
        return names[0], None


@dataclass
class Layer:
    file: str
    fields: list[str]
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        lower = {f.lower() for f in self.fields}
        return any(n.lower() in lower for n in names)


def read_layer(path: Path) -> Layer:
    """The records of one SIM KOTAKU file; `SimkotakuError` when it cannot be read."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SimkotakuError(_("%(file)s: no such file") % {"file": path.name})
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in GEO_SUFFIXES:
        return _read_geo(path)
    raise SimkotakuError(
        _("%(file)s: not a GeoJSON, zipped Shapefile or CSV file") % {"file": path.name}
    )


def _columns(names: Sequence[str]) -> dict[str, str]:
    return {name.strip().lower(): name for name in names}


def _read_csv(path: Path) -> Layer:
    try:
        header, rows = read_table(path)
    except ReaderError as exc:
        raise SimkotakuError(exc.translated()) from exc  # "file: why" already
    columns = _columns(header)
    layer = Layer(file=path.name, fields=list(header))
    for line, cells in rows:
        layer.records.append(Record(row=str(line), properties=dict(cells), columns=columns))
    return layer


def _read_geo(path: Path) -> Layer:
    try:
        geofile = read_geofile(path)
    except GeoFileError as exc:
        raise SimkotakuError(str(exc)) from exc
    layer = Layer(file=path.name, fields=list(geofile.fields))
    columns = _columns(geofile.fields)
    for feature in geofile.features:
        judged = judge_geometry(feature, DEFAULT_CRS, fix_swapped=False)
        geometry = None
        if judged.geometry is not None:
            # Through JSON so that the stored outline compares equal on re-import (lists).
            geometry = json.loads(shapely.to_geojson(judged.geometry))
        for _code, reason in judged.issues:
            layer.problems.append(
                Problem(
                    layer.file,
                    str(feature.number),
                    "geometry",
                    None,
                    _("%(reason)s; the RT outline is not kept") % {"reason": reason},
                    "warning",
                )
            )
        layer.records.append(
            Record(
                row=str(feature.number),
                properties=dict(feature.properties),
                columns=columns,
                geometry=geometry,
                area_ha=judged.area_ha,
            )
        )
    return layer


def merge_parts(
    records: Iterable[Record], key: Sequence[str], file: str = ""
) -> tuple[list[Record], list[Problem]]:
    """One record per RT: the features of the same `key` (the first of its spellings the record
    has) and the same attributes but for the feature numbers (`FEATURE_NUMBERS`) are one RT in
    several parts (a real export gives an RT cut by a river as two features). They become the
    first one, with the union of their outlines and its area, and a warning naming the rows.
    Features of the same key and other attributes are left as they are: the importer refuses
    the second as a duplicate naming the first."""
    records = list(records)
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Record]] = {}
    signatures: list[tuple[str, tuple[tuple[str, str], ...]] | None] = []
    for record in records:
        value = str(record.get(*key)[1] or "").strip().upper()
        attributes = tuple(
            sorted(
                (name.lower(), str(v).strip())
                for name, v in record.properties.items()
                if name.lower() not in FEATURE_NUMBERS
            )
        )
        signature = (value, attributes) if value else None
        signatures.append(signature)
        if signature is not None:
            groups.setdefault(signature, []).append(record)
    merged: list[Record] = []
    problems: list[Problem] = []
    for record, signature in zip(records, signatures, strict=True):
        group = groups.get(signature) if signature is not None else None
        if group is None or len(group) == 1:
            merged.append(record)
        elif group[0] is record:
            merged.append(_joined(group))
            column, value = record.get(*key)
            reason = _("one RT in %(n)d parts (rows %(rows)s): their outlines are joined") % {
                "n": len(group),
                "rows": ", ".join(r.row for r in group),
            }
            problems.append(Problem(file, record.row, column, str(value), reason, "warning"))
    return merged, problems


def _joined(records: list[Record]) -> Record:
    shapes = [shapely.geometry.shape(r.geometry) for r in records if r.geometry is not None]
    if len(shapes) != len(records):  # a CSV, or a part whose outline was not kept
        return replace(records[0], geometry=None, area_ha=None) if shapes else records[0]
    union = shapely.union_all(shapes)
    return replace(
        records[0],
        geometry=json.loads(shapely.to_geojson(union)),
        area_ha=geodesic_area_ha(union),
    )
