"""Reading uploaded delineation files: GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ.

Every format goes through GDAL (pyogrio's raw reader: WKB geometries and attribute arrays, no
GeoPandas), so the product reads what a GIS writes. GDAL only ever sees a checked copy under a
fixed name (`sikumuh.io.geo.containers`) and only has the four drivers of `gdal_policy` loaded.
Nothing is checked here beyond "can it be read": the features come back as given, with the CRS
of their layer, and `sikumuh.io.geo.check` judges them. A geometry GEOS cannot build (a ring
that is not closed, NaN coordinates) is a problem of that feature, not of the file.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from sikumuh.io.geo import gdal_policy
from sikumuh.io.geo.containers import ACCEPT, FORMATS, Staged, staged
from sikumuh.io.geo.errors import GeoFileError, refuse

__all__ = ["ACCEPT", "FORMATS", "GeoFeature", "GeoFile", "GeoFileError", "read_geofile"]

logger = logging.getLogger("sikumuh.io.geo")
gdal_policy.apply()
# What GDAL raises on a file it cannot read: pyogrio's DataSourceError and DataLayerError (both
# RuntimeError), decoding errors of attributes, and I/O errors. Any of them is "cannot be read".
_GDAL_ERRORS = (RuntimeError, ValueError, UnicodeError, OSError)


@dataclass(frozen=True)
class GeoFeature:
    number: int  # 1-based, in file order across its layers: what the report calls "feature"
    layer: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None  # as read, in `crs`
    crs: str | None  # the layer's CRS; None when the file does not say (a .shp without .prj)
    error: str | None = None  # why the geometry could not be built (then `geometry` is None)


@dataclass
class GeoFile:
    name: str
    format: str
    fields: list[str]
    features: list[GeoFeature] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)


def read_geofile(path: Path, *, name: str | None = None) -> GeoFile:
    """Every feature of every spatial layer of `path` (named `name` for the user).

    Raises `GeoFileError` (one translated line naming the file) when it cannot be read at all."""
    name = name or path.name
    with staged(path, name) as source, _gdal_quiet():
        layers = _layers(source, name)
        geofile = GeoFile(name=name, format=FORMATS[_suffix(name)], fields=[])
        for layer in layers:
            _read_layer(source, layer, geofile)
    if not geofile.features:
        raise refuse(_("%(file)s: holds no feature with a geometry") % {"file": name})
    return geofile


def _suffix(name: str) -> str:
    return "." + name.lower().rsplit(".", 1)[-1]


@contextmanager
def _gdal_quiet() -> Iterator[None]:
    """GDAL's warnings (a ring closed for us, an unknown field type) go to the log: they may
    hold server paths, and the user gets the product's own words instead."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        logger.debug("GDAL: %s", warning.message)


def _layers(source: Staged, name: str) -> list[str]:
    cannot = _("%(file)s: cannot be read as %(format)s") % {
        "file": name,
        "format": FORMATS[_suffix(name)],
    }
    try:
        layers = pyogrio.list_layers(str(source.path))
        driver = pyogrio.read_info(str(source.path))["driver"] if len(layers) else None
    except _GDAL_ERRORS as exc:
        raise refuse(cannot, cause=exc) from exc
    if driver not in source.drivers:  # belt and braces: the signature check chose the driver
        raise refuse(cannot, cause=RuntimeError(f"opened by {driver}, not {source.drivers}"))
    # A GeoPackage's attribute-only tables have no geometry type.
    return [str(layer) for layer, geometry_type in layers.tolist() if geometry_type is not None]


def _read_layer(source: Staged, layer: str, geofile: GeoFile) -> None:
    try:
        meta, _fids, wkbs, data = pyogrio.raw.read(str(source.path), layer=layer, force_2d=True)
    except _GDAL_ERRORS as exc:
        raise refuse(
            _("%(file)s: layer %(layer)s cannot be read") % {"file": geofile.name, "layer": layer},
            cause=exc,
        ) from exc
    names = [str(n) for n in meta["fields"]]
    geofile.fields.extend(n for n in names if n not in geofile.fields)
    geofile.layers.append(layer)
    columns = [_python_values(column) for column in data]
    for index, wkb in enumerate(wkbs):
        geometry, error = _geometry(wkb)
        geofile.features.append(
            GeoFeature(
                number=len(geofile.features) + 1,
                layer=layer,
                properties={n: columns[i][index] for i, n in enumerate(names)},
                geometry=geometry,
                crs=meta["crs"],
                error=error,
            )
        )


def _geometry(wkb: bytes | None) -> tuple[BaseGeometry | None, str | None]:
    """The shapely geometry, or why there is none (issue #7, finding 6: these were 500s)."""
    if wkb is None:
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy on NaN: judged just below
        try:
            geometry: BaseGeometry = shapely.from_wkb(wkb)
        except shapely.errors.ShapelyError:
            return None, _("the geometry cannot be built: a ring is not closed or too short")
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        return None, _("the geometry has coordinates that are not numbers (NaN or infinite)")
    return geometry, None


def _python_values(column: np.ndarray[Any, Any]) -> list[Any]:
    """Plain Python values; GDAL's "no value" (NaN, NaT) as None."""
    values: list[Any] = column.tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]
