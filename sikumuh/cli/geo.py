"""`sikumuh geo check FILE [--crs CRS] [--format json]`: a GIS layer checked on its own.

GeoJSON, zipped Shapefile, GeoPackage, KML or KMZ in any CRS, read and judged by the same code
as the delineation upload (`sikumuh.io.geo`): per feature its number, whether the polygon is
usable, its geodesic area, its issues and its attributes as given; then the totals. Exit status:
0 when every feature is usable and without issue, 1 otherwise, 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("geo", help="GIS layers (GeoJSON, zipped Shapefile, GPKG, KML/KMZ)")
    kinds = parser.add_subparsers(dest="geo_kind", required=True, metavar="ACTION")
    check = kinds.add_parser(
        "check", help="check every feature: validity, geodesic area, overlaps, duplicates"
    )
    check.add_argument("file", type=Path, help=".geojson, .zip (Shapefile), .gpkg, .kml or .kmz")
    check.add_argument(
        "--crs", default=None, help="the CRS of layers that do not say theirs (default EPSG:4326)"
    )
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)  # translations only: no database is touched
    from django.utils.translation import gettext as _

    from sikumuh.core.geometry import GeometryError
    from sikumuh.io.geo import GeoFileError, read_geofile, survey

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(_("%(file)s: no such file") % {"file": path.name})
    try:
        result = survey(read_geofile(path), source_crs=args.crs)
    except GeoFileError as exc:
        raise base.CommandError(str(exc)) from exc
    except GeometryError as exc:
        raise base.CommandError(
            _("%(file)s: unknown CRS %(crs)s (option --crs)") % {"file": path.name, "crs": args.crs}
        ) from exc
    if args.format == "json":
        base.dump_json(result.as_dict(), out)
    else:
        _print_text(result, out)
    return 0 if result.with_issues == 0 else 1


def issue_label(code: str) -> str:
    """The issue's name for a reader of the text output (the JSON keeps the code)."""
    from django.utils.translation import gettext as _

    labels = {
        "invalid": _("invalid or self-intersecting ring"),
        "swapped": _("latitude and longitude swapped"),
        "outside": _("outside Indonesia"),
        "duplicate": _("duplicate"),
        "overlap": _("overlaps another feature"),
        "empty": _("empty geometry"),
        "missing": _("no geometry"),
        "not_polygon": _("not a polygon"),
        "unreadable": _("geometry cannot be read"),
        "crs": _("unknown CRS"),
    }
    return labels.get(code, code)


def _print_text(result: Any, out: TextIO) -> None:
    from django.utils.translation import gettext as _

    print(f"{result.file} ({result.format})", file=out)
    if result.assumed_crs:
        print(
            _("CRS not given in the file: %(crs)s assumed") % {"crs": result.assumed_crs}, file=out
        )
    for feature in result.features:
        area = "-" if feature.area_ha is None else f"{feature.area_ha:.4f} ha"
        state = _("valid") if feature.valid else _("not valid")
        attributes = ", ".join(f"{k}={v}" for k, v in feature.properties.items())
        print(f"#{feature.index} {state} {area} [{attributes}]", file=out)
        for code, reason in feature.issues:
            print(f"    {issue_label(code)}: {reason}", file=out)
    print(
        _("%(n)d features, %(valid)d valid, %(issues)d with issues, %(ha).4f ha in total")
        % {
            "n": len(result.features),
            "valid": result.valid,
            "issues": result.with_issues,
            "ha": result.total_ha,
        },
        file=out,
    )
