"""Consultants' slum layers as they arrive (issue #11 §1): attribute names of their own
(``Nm_Lokasi``, ``DESA``, ``KEC``, ``TINGKAT_KUMUH``, ``LUAS_HA``; a Shapefile's upper-case DBF
names cut to 10 letters), desa names written "Kel. Sarang Halang" or "DS. BAJUIN", hectares with a
decimal comma, one desa that is not in Tanah Laut, one area stated 10 % off. Built with the GDAL
the product reads them with (`tests.io.geo_files`)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from sikumuh.core.geometry import geodesic_area_ha
from tests.io.geo_files import square, to_utm50s, write, write_shapefile_zip

#: (location name, desa as written, kecamatan as written, class, polygon, stated ha factor)
ROWS: list[tuple[str, str, str, str, BaseGeometry, float]] = [
    (
        "Kawasan Pasar Lama",
        "Kel. Sarang Halang",
        "Pelaihari",
        "Kumuh Sedang",
        square(114.750, -3.800),
        1.005,
    ),
    (
        "Kawasan Tepi Sungai",
        "DS. BAJUIN",
        "KEC. BAJUIN",
        "KUMUH RINGAN",
        square(114.760, -3.800),
        0.999,
    ),
    ("Kampung Nelayan", "Angsau", "Pelaihari", "Berat", square(114.770, -3.800), 1.10),
    (
        "Kawasan Antah",
        "Kelurahan Antah Berantah",
        "Pelaihari",
        "Sedang",
        square(114.780, -3.800),
        1.0,
    ),
]
RESOLVED = {
    "Kel. Sarang Halang": "63.01.03.1001",
    "DS. BAJUIN": "63.01.10.2001",
    "Angsau": "63.01.03.1004",
}
UNRESOLVED = "Kelurahan Antah Berantah"


def stated_ha(geometry: BaseGeometry, factor: float, *, comma: bool = False) -> str:
    text = f"{geodesic_area_ha(geometry) * factor:.2f}"
    return text.replace(".", ",") if comma else text


def rows(*, valid_only: bool = False) -> list[tuple[str, str, str, str, BaseGeometry, float]]:
    return [r for r in ROWS if not valid_only or r[1] != UNRESOLVED]


def geojson_4326(path: Path, *, valid_only: bool = False) -> Path:
    """``Nm_Lokasi``, ``DESA``, ``KEC``, ``TINGKAT_KUMUH``, ``LUAS_HA`` in EPSG:4326."""
    features: list[tuple[dict[str, Any], BaseGeometry]] = [
        (
            {
                "Nm_Lokasi": name,
                "DESA": desa,
                "KEC": kec,
                "TINGKAT_KUMUH": klass,
                "LUAS_HA": stated_ha(shape, factor),
            },
            shape,
        )
        for name, desa, kec, klass, shape, factor in rows(valid_only=valid_only)
    ]
    return write(path, features)


def geojson_utm(path: Path, *, valid_only: bool = False) -> Path:
    """``NAMA_LOKASI``, ``KELURAHAN``, ``KECAMATAN``, ``KLASIFIKASI``, ``LUAS`` in UTM 50S."""
    features: list[tuple[dict[str, Any], BaseGeometry]] = [
        (
            {
                "NAMA_LOKASI": name,
                "KELURAHAN": desa,
                "KECAMATAN": kec,
                "KLASIFIKASI": klass,
                "LUAS": stated_ha(shape, factor),
            },
            to_utm50s(shape),
        )
        for name, desa, kec, klass, shape, factor in rows(valid_only=valid_only)
    ]
    return write(path, features, crs="EPSG:32750")


def shapefile_zip(path: Path, *, valid_only: bool = False) -> Path:
    """A zipped Shapefile in UTM 50S whose DBF cut the names: ``NAMA_LOKAS``, ``KLASIFIKAS``;
    hectares with a decimal comma."""
    features: list[tuple[dict[str, Any], BaseGeometry]] = [
        (
            {
                # What a DBF keeps of NAMA_LOKASI and KLASIFIKASI (10 letters).
                "NAMA_LOKAS": name,
                "DESA_KEL": desa,
                "KECAMATAN": kec,
                "KLASIFIKAS": klass,
                "LUAS_HA": stated_ha(shape, factor, comma=True),
            },
            to_utm50s(shape),
        )
        for name, desa, kec, klass, shape, factor in rows(valid_only=valid_only)
    ]
    return write_shapefile_zip(path, features, crs="EPSG:32750")


def kmz(path: Path, *, valid_only: bool = False) -> Path:
    """Google Earth's KMZ: ``Name``-less ExtendedData ``NAMA``, ``KELURAHAN``, ``KEC``, ``LUAS``."""
    features: list[tuple[dict[str, Any], BaseGeometry]] = [
        (
            {"NAMA": name, "KELURAHAN": desa, "KEC": kec, "LUAS": stated_ha(shape, factor)},
            shape,
        )
        for name, desa, kec, _klass, shape, factor in rows(valid_only=valid_only)
    ]
    kml = write(path.with_suffix(".kml"), features)
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(kml, "doc.kml")
    kml.unlink()
    return path
