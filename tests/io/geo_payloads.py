"""Hostile geometry files, crafted small, as the probe of issue #7 sent them: an OGR VRT document
disguised as each accepted format, network links, GeoPackages with SQL of their own, zips that
climb out of their folder or lie about their size."""

from __future__ import annotations

import socket
import sqlite3
import struct
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

from tests.io.geo_files import square, write

A = square(114.750, -3.800)


def secret_csv(path: Path, secret: str) -> Path:
    """A server-side file the attacker wants: GDAL's CSV driver reads its WKT column as the
    geometry, so an unguarded reader returns `secret` as a feature's attribute."""
    path.write_text(
        f'WKT,isi\n"POLYGON ((114.75 -3.8, 114.752 -3.8, 114.752 -3.798, 114.75 -3.8))",{secret}\n'
    )
    return path


def vrt(source: str, *, layer: str = "passwd", sql: str = "") -> str:
    """A VRT document whose one layer is `source` (any GDAL data source) or an SQL on it."""
    inner = f"<SrcSQL>{escape(sql)}</SrcSQL>" if sql else f"<SrcLayer>{escape(layer)}</SrcLayer>"
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='x'>"
        f"<SrcDataSource>{escape(source)}</SrcDataSource>{inner}"
        "</OGRVRTLayer></OGRVRTDataSource>"
    )


def disguised(document: str, name: str, folder: Path) -> Path:
    """`document` saved as `name`: .geojson and .kml as they are, .zip as lokasi.shp inside."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("lokasi.shp", document)
            archive.writestr("lokasi.shx", document)
            archive.writestr("lokasi.dbf", document)
    elif name.endswith(".kmz"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("doc.kml", document)
    else:
        path.write_text(document)
    return path


#: Containers a VRT document is disguised in.
DISGUISES = ["peta.geojson", "peta.json", "peta.kml", "lokasi.zip", "peta.kmz"]


def kml_with_network_link(url: str) -> str:
    """A KML naming `url` three ways (NetworkLink, styleUrl, icon) around one placemark."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<NetworkLink><name>luar</name><Link><href>{escape(url)}</href></Link></NetworkLink>"
        f"<Placemark><name>TL-01</name><styleUrl>{escape(url)}#gaya</styleUrl>"
        f"<Style><IconStyle><Icon><href>{escape(url)}.png</href></Icon></IconStyle></Style>"
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "114.75,-3.8 114.752,-3.8 114.752,-3.798 114.75,-3.798 114.75,-3.8"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        "</Document></kml>"
    )


def geopackage_with(path: Path, *statements: str) -> Path:
    """A real one-feature GeoPackage, then `statements` run on it with SQLite."""
    write(path, [({"kode": "TL-01"}, A)])
    with closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return path


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def lie_about_sizes(path: Path, declared: int) -> Path:
    """Rewrite the uncompressed size of every member in the central directory (a zip bomb's
    declared size, or a member that inflates beyond what it declares)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


@contextmanager
def listening() -> Iterator[tuple[str, socket.socket]]:
    """A TCP socket on loopback: (its http:// URL, the socket), to see whether anyone calls."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.3)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/data.csv", server
    finally:
        server.close()


def called(server: socket.socket) -> bool:
    try:
        connection, _address = server.accept()
    except TimeoutError:
        return False
    connection.close()
    return True
