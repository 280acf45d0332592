"""What GDAL may do in this process: read and write the product's formats, and nothing else.

GDAL picks a driver from a file's content, not its name, and several drivers open *other* data
named inside the file: an OGR VRT document (`<SrcDataSource>CSV:/etc/passwd</SrcDataSource>`)
reads any local file or database, `/vsicurl/` paths make the server send requests, LIBKML may
resolve a KML style URL on the network, SQLite's VirtualOGR tables open further data sets,
GDALG runs stored pipelines. Issue #7 (finding 1) showed the first two from a facilitator's
upload. So every vector driver outside the product's own formats is unloaded for the whole
process (uploads are never opened by anything else) and GDAL's network and external-access
switches are set to off.
Reference: https://gdal.org/user/security.html ("Unwanted network access"), the VRT, SQLite and
GPKG driver pages (``OGR_SQLITE_ALLOW_EXTERNAL_ACCESS``), and the configuration options page.
"""

from __future__ import annotations

import pyogrio

#: The drivers the product needs: reading uploads (io/geo/read.py) and writing exports
#: (io/geo/write.py). LIBKML reads a KML's ExtendedData attributes (the plain KML driver only
#: Name and Description); it reports a NetworkLink as a feature and does not fetch it.
ALLOWED_DRIVERS = frozenset({"GeoJSON", "ESRI Shapefile", "GPKG", "KML", "LIBKML"})

#: Config options that close the doors a driver could still open. Values are strings for GDAL.
CONFIG: dict[str, str] = {
    # No SQL function or virtual table of a GPKG may open another data set (gdal_get_pixel_value,
    # VirtualOGR): the default, stated so that an environment variable cannot turn it on.
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    # LIBKML would fetch a style named by a URL in styleUrl.
    "LIBKML_RESOLVE_STYLE": "NO",
    # /vsicurl/ and everything built on it (/vsis3/, /vsigs/, /vsiaz/…) only opens names with
    # these extensions: one that no file has, so no URL is ever fetched.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".sikumuh-no-network",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    # Without a listing, drivers look for side-car files (.prj, .cpg) only by exact name.
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    # A GeoJSON object larger than this is refused instead of filling the memory (MB).
    "OGR_GEOJSON_MAX_OBJ_SIZE": "200",
}

_applied = False


def apply() -> None:
    """Unload every other vector driver and set `CONFIG`, once per process (idempotent).

    GDAL applies its skip list (``OGR_SKIP``, comma-separated, so names with spaces such as
    "MapInfo File" work) when drivers are registered; pyogrio registered them at import, so they
    are registered again here, which unloads the skipped ones.
    """
    global _applied
    if _applied:
        return
    from pyogrio._ogr import _register_drivers  # private, but the only way to re-register

    skip = sorted(name for name in pyogrio.list_drivers() if name not in ALLOWED_DRIVERS)
    pyogrio.set_gdal_config_options({**CONFIG, "OGR_SKIP": ",".join(skip)})
    _register_drivers()
    left = set(pyogrio.list_drivers()) - ALLOWED_DRIVERS
    if left:  # fail closed: no upload is read while a door is open
        raise RuntimeError(f"GDAL drivers still loaded: {sorted(left)}")
    _applied = True
