"""Builders of small delineation files for the tests: GeoJSON, zipped Shapefile, GeoPackage, KML,
written with the same GDAL the product reads them with."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from pyproj import Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

Feature = tuple[dict[str, Any], BaseGeometry | None]

DRIVERS = {".geojson": "GeoJSON", ".gpkg": "GPKG", ".kml": "KML", ".shp": "ESRI Shapefile"}


def square(lon: float, lat: float, side_deg: float = 0.002) -> BaseGeometry:
    """A lon/lat square with its south-west corner at (lon, lat): 0.002° ≈ 4.9 ha at Pelaihari."""
    return box(lon, lat, lon + side_deg, lat + side_deg)


def to_utm50s(geometry: BaseGeometry) -> BaseGeometry:
    move = Transformer.from_crs("EPSG:4326", "EPSG:32750", always_xy=True)

    def apply(xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.column_stack(move.transform(xy[:, 0], xy[:, 1]))

    moved: BaseGeometry = shapely.transform(geometry, apply)
    return moved


def write(path: Path, features: Sequence[Feature], *, crs: str | None = "EPSG:4326") -> Path:
    """`path`'s suffix chooses the format; the attribute names are those of the first feature."""
    names = list(features[0][0])
    geometries = np.array(
        [None if g is None else shapely.to_wkb(g) for _p, g in features], dtype=object
    )
    data = [np.array([str(p.get(n, "")) for p, _g in features], dtype=object) for n in names]
    with warnings.catch_warnings():
        # A file without a CRS is what some tests want: pyogrio warns about it.
        warnings.filterwarnings("ignore", message="'crs' was not provided")
        pyogrio.raw.write(
            str(path),
            geometries,
            data,
            names,
            driver=DRIVERS[path.suffix],
            geometry_type="Unknown" if path.suffix == ".kml" else "Polygon",
            crs=crs,
            encoding="UTF-8",
        )
    return path


def write_shapefile_zip(
    path: Path, features: Sequence[Feature], *, crs: str | None = "EPSG:4326", folder: str = ""
) -> Path:
    """A zip holding one Shapefile (in `folder` inside the zip, if given); no .prj when `crs` is
    None."""
    work = path.parent / (path.stem + "-parts")
    work.mkdir()
    write(work / "lokasi.shp", features, crs=crs)
    with zipfile.ZipFile(path, "w") as archive:
        for part in sorted(work.iterdir()):
            archive.write(part, f"{folder}{part.name}")
    return path
