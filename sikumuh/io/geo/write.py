"""Writing the locations of a region, with their figures, as GeoJSON and as a zipped Shapefile.

Exporters only shape rows (`LocationExport`); these two functions render them. GeoJSON is written
directly (RFC 7946: a FeatureCollection in EPSG:4326, (lon, lat) order, no "crs" member); the
Shapefile through GDAL (pyogrio), as MultiPolygons with a .prj and a UTF-8 .cpg, zipped.
Shapefile attribute names are at most 10 characters (dBASE), hence the short Indonesian names,
which the GeoJSON uses as well so that both files read the same.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

from sikumuh.core.geometry import WGS84


@dataclass(frozen=True)
class LocationExport:
    code: str
    name: str
    desa: str
    kecamatan: str
    sk_ha: Decimal | None  # the latest SK's hectares
    computed_ha: Decimal | None  # geodesic area of the current polygon
    tahun: int | None  # the year of the latest scored survey
    klass: str | None  # its class code ("kumuh_ringan"), None when not scored
    klass_label: str
    total: int | None  # its total score
    geometry: dict[str, Any] | None  # GeoJSON, EPSG:4326


# (attribute, kind) in file order; names fit the 10 characters of a dBASE field.
COLUMNS = (
    ("kode", "text"),
    ("nama", "text"),
    ("desa", "text"),
    ("kecamatan", "text"),
    ("luas_sk_ha", "real"),
    ("luas_ha", "real"),
    ("tahun", "int"),
    ("kelas", "text"),
    ("kelas_nama", "text"),
    ("nilai", "int"),
)


def _values(row: LocationExport) -> tuple[Any, ...]:
    return (
        row.code,
        row.name,
        row.desa,
        row.kecamatan,
        row.sk_ha,
        row.computed_ha,
        row.tahun,
        row.klass,
        row.klass_label,
        row.total,
    )


def _json_number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def geojson_bytes(rows: Sequence[LocationExport]) -> bytes:
    """A GeoJSON FeatureCollection; a location without a polygon has a null geometry."""
    names = [name for name, _kind in COLUMNS]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row.code,
                "properties": {
                    n: _json_number(v) for n, v in zip(names, _values(row), strict=True)
                },
                "geometry": row.geometry,
            }
            for row in rows
        ],
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def shapefile_zip_bytes(rows: Sequence[LocationExport], *, name: str = "lokasi") -> bytes:
    """A zip of one Shapefile (.shp, .shx, .dbf, .prj, .cpg) named `name`."""
    geometries = np.array(
        [
            None if r.geometry is None else shapely.to_wkb(shapely.geometry.shape(r.geometry))
            for r in rows
        ],
        dtype=object,
    )
    data, masks = [], []
    for index, (_column, kind) in enumerate(COLUMNS):
        values = [_values(r)[index] for r in rows]
        missing = np.array([v is None for v in values], dtype=bool)
        if kind == "text":
            data.append(np.array(["" if v is None else str(v) for v in values], dtype=object))
        elif kind == "real":
            data.append(np.array([np.nan if v is None else float(v) for v in values]))
        else:
            data.append(np.array([0 if v is None else int(v) for v in values], dtype="int32"))
        masks.append(missing if kind == "int" else None)
    with tempfile.TemporaryDirectory(prefix="sikumuh-shp-") as folder:
        path = Path(folder) / f"{name}.shp"
        pyogrio.raw.write(
            str(path),
            geometries,
            data,
            [column for column, _kind in COLUMNS],
            field_mask=masks,
            driver="ESRI Shapefile",
            geometry_type="MultiPolygon",
            promote_to_multi=True,
            crs=WGS84,
            encoding="UTF-8",
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
    return buffer.getvalue()
