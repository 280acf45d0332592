"""`sikumuh import layer FILE --region CODE --map name=ATTR,desa=ATTR,…`: a consultant's GIS
layer of slum locations taken in as SK locations and their delineation.

Without ``--map`` the mapping is guessed from the usual attribute names (and printed, so the
next run can correct it). With ``--sk-number`` and ``--sk-date`` the layer becomes the
kabupaten's new SK version. All or nothing unless ``--skip-invalid``. Exit status 0 when
committed (or partly, with ``--skip-invalid``), 1 when rejected.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base
from sikumuh.cli.sk import _date, _kabupaten


def add_layer_parser(kinds: Any) -> argparse.ArgumentParser:
    layer: argparse.ArgumentParser = kinds.add_parser(
        "layer",
        help="a GIS layer of slum locations (GeoJSON, zipped Shapefile, GPKG, KML/KMZ) as SK "
        "locations and delineation",
    )
    layer.add_argument("file", type=Path, help=".geojson, .zip (Shapefile), .gpkg, .kml or .kmz")
    layer.add_argument("--region", required=True, help="Kemendagri code of the kabupaten/kota")
    layer.add_argument(
        "--map",
        default="",
        help="ROLE=ATTRIBUTE,… with roles name, desa, kecamatan, class, ha, code "
        "(default: guessed from the attribute names)",
    )
    layer.add_argument("--sk-number", default="", help="register the layer as this new SK")
    layer.add_argument("--sk-date", type=_date, default=None, help="the SK's date, YYYY-MM-DD")
    layer.add_argument(
        "--crs", default=None, help="the CRS of layers that do not say theirs (default EPSG:4326)"
    )
    layer.add_argument("--note", default="", help="a note kept with the polygons and the SK")
    layer.set_defaults(run=run_layer)
    return layer


def run_layer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.audit.actions import Actor
    from sikumuh.io.geo import read_geofile
    from sikumuh.io.geo.errors import GeoFileError
    from sikumuh.io.geo.layer_check import layer_json
    from sikumuh.io.geo.layer_import import import_layer
    from sikumuh.io.geo.layer_mapping import MappingError, guess_mapping, parse_mapping

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(_("%(file)s: no such file") % {"file": path.name})
    if bool(args.sk_number.strip()) != (args.sk_date is not None):
        raise base.CommandError(_("give --sk-number and --sk-date together"))
    kabupaten = _kabupaten(args.region)
    try:
        mapping = parse_mapping(args.map)
        geofile = read_geofile(path)
    except (MappingError, GeoFileError) as exc:
        raise base.CommandError(str(exc)) from exc
    mapping = mapping or guess_mapping(geofile.fields)
    result = import_layer(
        path,
        actor=Actor.system(),
        kabupaten=kabupaten,
        mapping=mapping,
        source_crs=args.crs,
        number=args.sk_number,
        date=args.sk_date,
        skip_invalid=args.skip_invalid,
        note=args.note,
        geofile=geofile,
    )
    code = 0 if result.status in ("committed", "partial") else 1
    if args.format == "json":
        base.dump_json(layer_json(result), out)
    else:
        out.write("\n".join(layer_lines(result)) + "\n")
    return code


def feature_problem_line(problem: Any) -> str:
    """One problem of a layer: file, feature index, attribute, value: reason."""
    from django.utils.translation import gettext as _

    where = [problem.file]
    if problem.row != "-":
        where.append(_("feature %(n)s") % {"n": problem.row})
    if problem.column:
        where.append(_("attribute %(name)s") % {"name": problem.column})
    if problem.value is not None:
        where.append(_("value %(value)s") % {"value": repr(problem.value)})
    return f"{', '.join(where)}: {problem.reason}"


def class_text(feature: Any) -> str:
    """ "; class Kumuh Sedang, computed Kumuh Berat ⚠" (the class compared as the hectares are)."""
    from django.utils.translation import gettext as _

    stated, computed = feature.slum_class, feature.computed_class
    if stated is None:
        return ""
    if computed is None:
        return "; " + _("class %(stated)s") % {"stated": stated.label_id}
    return (
        "; "
        + _("class %(stated)s, computed %(computed)s")
        % {"stated": stated.label_id, "computed": computed.label_id}
        + (" ⚠" if feature.class_differs else "")
    )


def layer_lines(result: Any) -> list[str]:
    from django.utils.translation import gettext as _

    from sikumuh.io.geo.layer_check import layer_json

    statuses = {
        "committed": _("stored"),
        "partial": _("partly stored (invalid features skipped)"),
        "rejected": _("rejected, nothing stored"),
        "ready": _("ready"),
    }
    check = result.preview
    total = layer_json(result)["total"]
    lines = [
        f"{result.file_name}: {statuses.get(result.status, result.status)}",
        _("mapping: %(mapping)s")
        % {"mapping": ", ".join(f"{k}={v}" for k, v in check.mapping.items()) or "-"},
        _(
            "%(features)d features, %(usable)d usable, %(created)d new locations, "
            "%(polygons)d polygons saved; stated %(stated)s ha, computed %(computed)s ha"
        )
        % {
            "features": total["features"],
            "usable": total["usable"],
            "created": total["locations_created"],
            "polygons": total["polygons_saved"],
            "stated": total["stated_ha"],
            "computed": total["computed_ha"],
        },
    ]
    if check.decree is not None:
        lines.append(_("SK %(number)s registered") % {"number": check.decree.number})
    for feature in check.features:
        where = (
            f"{feature.desa_code} {feature.resolution.desa_name}"
            if feature.desa_code and feature.resolution
            else _("not resolved")
        )
        lines.append(
            f"#{feature.index} {feature.name!r} {feature.desa_text!r} → {where}; "
            f"{feature.code or '-'}; "
            + _("stated %(stated)s ha, computed %(computed)s ha")
            % {"stated": feature.stated_ha or "-", "computed": feature.computed_ha or "-"}
            + (" ⚠" if feature.area_differs else "")
            + class_text(feature)
        )
    if check.unresolved:
        unresolved = len(check.unresolved)
        lines.append(_("desa/kelurahan names not resolved (%(n)d):") % {"n": unresolved})
        lines.extend(
            f"    #{f.index} {f.desa_text!r} ({f.kecamatan_text or '-'})" for f in check.unresolved
        )
    for title, problems in ((_("errors"), result.errors), (_("warnings"), result.warnings)):
        if problems:
            lines.append(f"{title} ({len(problems)}):")
            lines.extend(feature_problem_line(p) for p in problems)
    return lines
