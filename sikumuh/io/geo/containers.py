"""Uploaded geometry files checked byte by byte before GDAL sees them, and copied under fixed
names into a private temporary folder, so that GDAL opens one known file with one known driver.

Why (issue #7, finding 1): GDAL decides from the content which driver reads a file, so a VRT
document named `peta.geojson` ran as VRT. Here each accepted suffix has one driver and one
signature: GeoJSON starts with ``{``; a GeoPackage is an SQLite database whose application id
says GPKG (OGC 12-128r18 §1.1.1.1.1); KML is XML whose root element is ``kml`` (OGC 07-147r2);
a zipped Shapefile's ``.shp``/``.shx`` start with the file code 9994 (ESRI Shapefile Technical
Description, 1998, p. 4). Zips are read member by member with their sizes bounded, only the
expected members are copied out, and their names never reach the disk or GDAL.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from sikumuh.io.geo.errors import GeoFileError, refuse
from sikumuh.io.guard import unsafe_member

#: Accepted file name endings, what they hold, and the one GDAL driver that reads each.
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".zip": "Shapefile (zip)",
    ".gpkg": "GeoPackage",
    ".kml": "KML",
    ".kmz": "KMZ",
}
_KML = frozenset({"LIBKML", "KML"})  # GDAL prefers LIBKML when both are loaded
DRIVERS: dict[str, frozenset[str]] = {
    ".geojson": frozenset({"GeoJSON"}),
    ".json": frozenset({"GeoJSON"}),
    ".zip": frozenset({"ESRI Shapefile"}),
    ".gpkg": frozenset({"GPKG"}),
    ".kml": _KML,
    ".kmz": _KML,
}
ACCEPT = ",".join(FORMATS)

#: Limits for what a zip may unpack to. A kabupaten's Shapefile is a few MB; these are generous
#: and still keep a zip bomb (a small member inflating to gigabytes) from filling the disk.
MAX_FILE_BYTES = 200 * 2**20
MAX_UNPACKED_BYTES = 500 * 2**20
MAX_MEMBERS = 10_000
MAX_TEXT_BYTES = 64 * 2**10  # a .prj or .cpg

_SHAPE_CODE = b"\x00\x00\x27\x0a"  # 9994, big-endian
_DBF_VERSIONS = frozenset(b"\x02\x03\x04\x05\x30\x31\x32\x43\x63\x83\x8b\xcb\xe5\xf5\xfb")
_SQLITE = b"SQLite format 3\x00"
_GPKG_IDS = frozenset({b"GPKG", b"GP10", b"GP11"})  # header offset 68 (application_id)
_BOM = b"\xef\xbb\xbf"
# A name GDAL would read as an instruction rather than a file: /vsicurl/…, CSV:…, GPKG:…
_GDAL_SYNTAX = re.compile(r"^\s*(/vsi|[A-Za-z][A-Za-z0-9_ ]*:)", re.IGNORECASE)
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@dataclass(frozen=True)
class Staged:
    path: Path  # in a private temporary folder, under a name of our making
    drivers: frozenset[str]  # the one(s) that may open it


def check_name(name: str) -> str:
    """The suffix of an accepted file name; refused when GDAL would read the name as syntax."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in FORMATS:
        raise refuse(
            _("%(file)s: not a GeoJSON, zipped Shapefile, GeoPackage, KML or KMZ file (%(accept)s)")
            % {"file": name, "accept": ACCEPT}
        )
    if _GDAL_SYNTAX.match(name):
        raise refuse(_("%(file)s: this file name is not accepted") % {"file": name})
    return suffix


@contextmanager
def staged(path: Path, name: str) -> Iterator[Staged]:
    """The checked copy of the upload `path` (shown as `name`), removed on exit."""
    suffix = check_name(name)
    folder = Path(tempfile.mkdtemp(prefix="sikumuh-geo-"))  # mode 0700: ours alone
    try:
        if suffix == ".zip":
            target = _shapefile_from_zip(path, name, folder)
        elif suffix == ".kmz":
            target = _kml_from_kmz(path, name, folder)
        else:
            target = folder / f"{_safe_stem(name)}{'.geojson' if suffix == '.json' else suffix}"
            _copy(path, target, name)
            _check_content(target, suffix, name)
        yield Staged(target, DRIVERS[suffix])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _safe_stem(name: str) -> str:
    """The file's stem in letters, digits, '-' and '_' only: GDAL names the layer after it, and
    nothing of the user's name can then be read by GDAL as a path or a driver prefix."""
    stem = PurePosixPath(name.replace("\\", "/")).stem
    return re.sub(r"[^A-Za-z0-9_-]", "_", stem)[:80].strip("_") or "layer"


def _copy(source: Path, target: Path, name: str) -> None:
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refuse(_too_large(name))
        shutil.copyfile(source, target)
    except OSError as exc:
        raise refuse(_("%(file)s: the file cannot be read") % {"file": name}, cause=exc) from exc


def _too_large(name: str) -> str:
    return _("%(file)s: the file is too large once unpacked (more than %(mb)d MB)") % {
        "file": name,
        "mb": MAX_UNPACKED_BYTES // 2**20,
    }


def _check_content(path: Path, suffix: str, name: str) -> None:
    with path.open("rb") as stream:
        head = stream.read(4096)
    if suffix in (".geojson", ".json"):
        if not head.removeprefix(_BOM).lstrip().startswith(b"{"):
            raise refuse(_("%(file)s: not a GeoJSON file") % {"file": name})
        _check_geojson_crs(path, name)
    elif suffix == ".gpkg":
        _check_geopackage(path, head, name)
    elif suffix in (".kml", ".kmz"):
        _check_kml(path, head, name)


def _check_geojson_crs(path: Path, name: str) -> None:
    """Refuse a CRS given by reference ("crs": {"type": "link" or "url", …}, GeoJSON 2008 §3.2):
    GDAL fetches it over HTTP, outside the /vsicurl/ switches (found while fixing issue #7).
    Most files never say "link" or "url" (nor escape a character to hide it), so the file is
    parsed here only when they do; GDAL matches the member names case-insensitively, so do we."""
    data = path.read_bytes()
    lowered = data.lower()
    if b"link" not in lowered and b"url" not in lowered and b"\\u" not in lowered:
        return
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:
        raise refuse(_("%(file)s: not a GeoJSON file") % {"file": name}, cause=exc) from exc
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key.casefold() == "crs" and _is_reference(value):
                    raise refuse(
                        _("%(file)s: a CRS given by a link is not accepted; name it (EPSG:…)")
                        % {"file": name}
                    )
                stack.append(value)


def _is_reference(crs: Any) -> bool:
    return isinstance(crs, dict) and any(
        key.casefold() == "type" and isinstance(value, str) and value.casefold() in {"link", "url"}
        for key, value in crs.items()
    )


def _check_geopackage(path: Path, head: bytes, name: str) -> None:
    if not head.startswith(_SQLITE) or head[68:72] not in _GPKG_IDS:
        raise refuse(_("%(file)s: not a GeoPackage file") % {"file": name})
    # A view or a virtual table other than the spatial index (rtree) could reach beyond the file
    # through SQL functions; triggers are left: the file is opened read-only, so none fires.
    try:
        uri = f"{path.as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute("SELECT type, coalesce(sql, '') FROM sqlite_master").fetchall()
    except sqlite3.Error as exc:
        raise refuse(_("%(file)s: not a GeoPackage file") % {"file": name}, cause=exc) from exc
    for kind, sql in rows:
        virtual = re.match(r"\s*create\s+virtual\s+table\b", sql, re.IGNORECASE)
        if kind == "view" or (virtual and not re.search(r"\busing\s+rtree\b", sql, re.I)):
            raise refuse(
                _("%(file)s: the GeoPackage holds SQL views or virtual tables, not accepted")
                % {"file": name}
            )


_XML_PROLOGUE = re.compile(
    rb"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<([A-Za-z_][\w.-]*:)?kml\b", re.DOTALL
)


def _check_kml(path: Path, head: bytes, name: str) -> None:
    # Entities are how XML reads other files or expands to gigabytes: a KML never needs them.
    data = path.read_bytes().lower()
    if b"<!doctype" in data or b"<!entity" in data:
        raise refuse(
            _("%(file)s: KML with a DOCTYPE or ENTITY declaration is not accepted") % {"file": name}
        )
    if not _XML_PROLOGUE.match(head.removeprefix(_BOM)):
        raise refuse(_("%(file)s: not a KML file") % {"file": name})


# --- Zips ----------------------------------------------------------------------------------------


def _members(path: Path, name: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The open archive and its members, every name and size checked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise refuse(_("%(file)s: not a zip file") % {"file": name}, cause=exc) from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        archive.close()
        raise refuse(_too_large(name))
    for info in infos:
        if unsafe_member(info):  # a path outside the folder, or encrypted
            archive.close()
            raise refuse(
                _("%(file)s: the zip member %(member)s is not accepted")
                % {"file": name, "member": info.filename[:200]}
            )
    return archive, [i for i in infos if not i.filename.startswith("__MACOSX/")]


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Copy one member, counting the bytes (zipfile stops at the declared size and checks the
    CRC, so a member that inflates beyond what the directory says is refused either way)."""
    limit = MAX_TEXT_BYTES if target.suffix in (".prj", ".cpg") else MAX_UNPACKED_BYTES
    try:
        with archive.open(info) as source, target.open("wb") as sink:
            written = _bounded_copy(source, sink, limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise refuse(_("%(file)s: not a zip file") % {"file": name}, cause=exc) from exc
    if written > limit:
        raise refuse(_too_large(name))


def _bounded_copy(source: IO[bytes], sink: IO[bytes], limit: int) -> int:
    written = 0
    while chunk := source.read(2**20):
        written += len(chunk)
        if written > limit:
            return written
        sink.write(chunk)
    return written


def _shapefile_from_zip(path: Path, name: str, folder: Path) -> Path:
    archive, infos = _members(path, name)
    with archive:
        shapefiles = [i for i in infos if i.filename.lower().endswith(".shp")]
        if not shapefiles:
            raise refuse(_("%(file)s: the zip holds no Shapefile (.shp)") % {"file": name})
        if len(shapefiles) > 1:
            listed = ", ".join(i.filename[:100] for i in shapefiles[:5])
            raise refuse(
                _("%(file)s: the zip holds %(n)d Shapefiles (%(names)s); upload one at a time")
                % {"file": name, "n": len(shapefiles), "names": listed}
            )
        stem = shapefiles[0].filename[:-4].lower()
        by_suffix = {
            i.filename[len(stem) :].lower(): i for i in infos if i.filename.lower().startswith(stem)
        }
        layer = _safe_stem(shapefiles[0].filename)
        for part in _SHAPEFILE_PARTS:
            if part in by_suffix:
                _extract(archive, by_suffix[part], folder / f"{layer}{part}", name)
    _check_shapefile(folder / layer, name)
    return folder / f"{layer}.shp"


def _check_shapefile(stem: Path, name: str) -> None:
    for part in (".shp", ".shx", ".dbf"):
        file = stem.with_name(stem.name + part)
        if not file.exists():
            continue
        with file.open("rb") as stream:
            head = stream.read(4)
        ok = head[:1] and head[0] in _DBF_VERSIONS if part == ".dbf" else head == _SHAPE_CODE
        if not ok:
            raise refuse(
                _("%(file)s: the zip's %(part)s is not a Shapefile part")
                % {"file": name, "part": part}
            )


def _kml_from_kmz(path: Path, name: str, folder: Path) -> Path:
    archive, infos = _members(path, name)
    with archive:
        kmls = [i for i in infos if i.filename.lower().endswith(".kml")]
        # The main document of a KMZ is doc.kml, else the first .kml at its root (KML 2.2 §6).
        kmls.sort(key=lambda i: (i.filename.lower() != "doc.kml", "/" in i.filename))
        if not kmls:
            raise refuse(_("%(file)s: the KMZ holds no KML file") % {"file": name})
        target = folder / "doc.kml"
        _extract(archive, kmls[0], target, name)
    with target.open("rb") as stream:
        head = stream.read(4096)
    _check_kml(target, head, name)
    return target


__all__ = ["ACCEPT", "DRIVERS", "FORMATS", "GeoFileError", "Staged", "check_name", "staged"]
