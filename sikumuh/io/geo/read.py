"""Reading uploaded delineation files: GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ.

Every format goes through GDAL (pyogrio's raw reader: WKB geometries and attribute arrays, no
GeoPandas), so the product reads what a GIS writes. Nothing is checked here beyond "can it be
read": the features come back as given, with the CRS of their layer, and
`sikumuh.io.geo.check` judges them.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry.base import BaseGeometry

#: Accepted file name endings and what they hold. A zip must hold one Shapefile (.shp with its
#: .shx, .dbf and, ideally, .prj); KMZ is zipped KML.
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".zip": "Shapefile (zip)",
    ".gpkg": "GeoPackage",
    ".kml": "KML",
    ".kmz": "KMZ",
}
ACCEPT = ",".join(FORMATS)


class GeoFileError(Exception):
    """The file cannot be read at all: one line naming the file and why."""


@dataclass(frozen=True)
class GeoFeature:
    number: int  # 1-based, in file order across its layers: what the report calls "feature"
    layer: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None  # as read, in `crs`
    crs: str | None  # the layer's CRS; None when the file does not say (a .shp without .prj)


@dataclass
class GeoFile:
    name: str
    format: str
    fields: list[str]
    features: list[GeoFeature] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)


def read_geofile(path: Path, *, name: str | None = None) -> GeoFile:
    """Every feature of every spatial layer of `path` (named `name` for the user)."""
    name = name or path.name
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in FORMATS:
        raise GeoFileError(
            f"{name}: not a GeoJSON, zipped Shapefile, GeoPackage or KML file ({ACCEPT})"
        )
    source = _shapefile_in_zip(path, name) if suffix == ".zip" else str(path)
    try:
        layers = pyogrio.list_layers(source)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise GeoFileError(f"{name}: cannot be read as {FORMATS[suffix]} ({_short(exc)})") from exc
    geofile = GeoFile(name=name, format=FORMATS[suffix], fields=[])
    for layer, geometry_type in layers.tolist():
        if geometry_type is None:
            continue  # a GeoPackage's attribute-only table
        try:
            meta, _fids, wkbs, data = pyogrio.raw.read(source, layer=layer, force_2d=True)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise GeoFileError(f"{name}: layer {layer!r} cannot be read ({_short(exc)})") from exc
        names = [str(n) for n in meta["fields"]]
        geofile.fields.extend(n for n in names if n not in geofile.fields)
        geofile.layers.append(str(layer))
        columns = [_python_values(column) for column in data]
        for index, wkb in enumerate(wkbs):
            geofile.features.append(
                GeoFeature(
                    number=len(geofile.features) + 1,
                    layer=str(layer),
                    properties={n: columns[i][index] for i, n in enumerate(names)},
                    geometry=None if wkb is None else shapely.from_wkb(wkb),
                    crs=meta["crs"],
                )
            )
    if not geofile.features:
        raise GeoFileError(f"{name}: holds no feature with a geometry")
    return geofile


def _shapefile_in_zip(path: Path, name: str) -> str:
    """The GDAL path of the one Shapefile inside a zip (in a sub-folder or not)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [e for e in archive.namelist() if not e.startswith("__MACOSX/")]
    except zipfile.BadZipFile as exc:
        raise GeoFileError(f"{name}: not a zip file") from exc
    shapefiles = [e for e in entries if e.lower().endswith(".shp")]
    if not shapefiles:
        raise GeoFileError(f"{name}: the zip holds no Shapefile (.shp)")
    if len(shapefiles) > 1:
        raise GeoFileError(
            f"{name}: the zip holds {len(shapefiles)} Shapefiles ({', '.join(shapefiles[:5])}); "
            "upload one at a time"
        )
    return f"/vsizip/{path.resolve()}/{shapefiles[0]}"


def _python_values(column: np.ndarray[Any, Any]) -> list[Any]:
    """Plain Python values; GDAL's "no value" (NaN, NaT) as None."""
    values: list[Any] = column.tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def _short(exc: Exception) -> str:
    # GDAL messages start with the (temporary) path; the user knows the file by its own name.
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.rsplit(": ", 1)[-1]
