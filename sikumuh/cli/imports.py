"""`sikumuh import template FILE`, `sikumuh import motorkawanku DIR --region CODE`,
`sikumuh import investments FILE --region CODE`,
`sikumuh import simkotaku PROFIL [STATUS] --region CODE [--tahun Y]` and
`sikumuh import odk FILE.csv|FILE.zip --region CODE` (the RT survey's phone submissions, as
drafts, with their GPS points and photos) and
`sikumuh import layer FILE --region CODE --map …` (a GIS layer as SK locations, `import_layer`).

All validate everything first and then commit once, or not at all (`--skip-invalid` stores the
valid rows and lists the rest). The summary is one line per count, then every problem on one
line, errors first; `--format json` prints the report instead. Exit status: 0 when the data were
committed, partly committed (skipped rows) or unchanged; 1 when the import was rejected.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base
from sikumuh.cli.import_layer import add_layer_parser


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("import", help="import RT data (template file or motorkawanku export)")
    kinds = parser.add_subparsers(dest="import_kind", required=True, metavar="KIND")

    template = kinds.add_parser("template", help="the product's CSV/XLSX RT template")
    template.add_argument("file", type=Path, help="the filled-in template (.csv or .xlsx)")
    _common(template)
    template.set_defaults(run=run_template)

    motorkawanku = kinds.add_parser(
        "motorkawanku", help="a motorkawanku JSON export (kawasan.json, rtrw.json, kumuhRT.json…)"
    )
    motorkawanku.add_argument("directory", type=Path, help="the folder holding the JSON files")
    motorkawanku.add_argument(
        "--region", required=True, help="Kemendagri code of the kabupaten/kota, e.g. 33.75"
    )
    _common(motorkawanku)
    motorkawanku.set_defaults(run=run_motorkawanku)

    investments = kinds.add_parser(
        "investments", help="an investment file (.csv or .xlsx, docs/investments.md)"
    )
    investments.add_argument("file", type=Path, help="the investment file (.csv or .xlsx)")
    investments.add_argument(
        "--region", required=True, help="Kemendagri code of the kabupaten/kota, e.g. 33.75"
    )
    _common(investments)
    investments.set_defaults(run=run_investments)
    simkotaku = kinds.add_parser(
        "simkotaku",
        help="a SIM KOTAKU export: Profil Kumuh Basis [and Delineasi Kumuh Akhir] layers",
    )
    simkotaku.add_argument(
        "profil", type=Path, help="the Profil Kumuh Basis layer (.geojson, .zip Shapefile, .csv)"
    )
    simkotaku.add_argument(
        "status",
        type=Path,
        nargs="?",
        help="the Delineasi Kumuh Akhir layer, compared with the product's figures",
    )
    simkotaku.add_argument(
        "--region", required=True, help="Kemendagri code of the kabupaten/kota, e.g. 33.75"
    )
    simkotaku.add_argument(
        "--tahun", type=int, help="year of the data (default: the date in the Sumber column)"
    )
    simkotaku.add_argument(
        "--negatives-as-zero",
        action="store_true",
        help="score a negative percentage as 0 with a warning, as SIM KOTAKU does"
        " (default: an error of its row)",
    )
    _common(simkotaku)
    simkotaku.set_defaults(run=run_simkotaku)

    odk = kinds.add_parser(
        "odk",
        help="the RT survey's ODK Central / KoboToolbox export, CSV or ZIP with the photos"
        " (lands as drafts)",
    )
    odk.add_argument(
        "file",
        type=Path,
        help="the CSV export of `sikumuh survey xlsform`'s form, or its ZIP 'CSV with media'"
        " (the photos are kept; with the CSV alone they are only named)",
    )
    odk.add_argument("--region", required=True, help="the region the submissions must lie in")
    _common(odk)
    odk.set_defaults(run=run_odk)

    _common(add_layer_parser(kinds))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the valid rows and list the invalid ones (default: all or nothing)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.io.importer import import_rows
    from sikumuh.io.template import read_template_all
    from sikumuh.surveys.models import Source

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(f"no such file: {path}")
    rows, unusable, problems = read_template_all(path)
    progress = base.Progress("import")
    report = import_rows(
        rows,
        actor=Actor.system(),
        kind="template",
        source=Source.TEMPLATE,
        file_name=path.name,
        parse_problems=problems,
        unusable=unusable,
        skip_invalid=args.skip_invalid,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        progress=progress,
    )
    progress.finish()
    return _print(report, args.format, out)


def run_motorkawanku(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.io.motorkawanku import MotorkawankuError, import_motorkawanku

    progress = base.Progress("import")
    try:
        report = import_motorkawanku(
            args.directory,
            region_code=args.region.strip(),
            actor=Actor.system(),
            skip_invalid=args.skip_invalid,
            progress=progress,
        )
    except MotorkawankuError as exc:
        raise base.CommandError(str(exc)) from exc
    finally:
        progress.finish()
    code = _print(report, args.format, out)
    investments = report.extra.get("investments")
    # The investments are a second commit: their rejection fails the command too.
    if investments and investments.get("status") == "rejected":
        return 1
    return code


def run_investments(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.audit.actions import Actor
    from sikumuh.io.investment_file import import_investment_file

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(_("%(file)s: no such file") % {"file": path.name})
    report = import_investment_file(
        path.read_bytes(),
        file_name=path.name,
        region_code=args.region.strip(),
        actor=Actor.system(),
        skip_invalid=args.skip_invalid,
    )
    code = 0 if report.ok else 1
    if args.format == "json":
        base.dump_json(report.as_dict(), out)
        return code
    statuses = {
        "committed": _("stored"),
        "partial": _("partly stored (invalid rows skipped)"),
        "unchanged": _("unchanged"),
        "rejected": _("rejected, nothing stored"),
    }
    counts = {
        "status": statuses[report.status],
        "rows": report.rows_total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejected_rows),
    }
    lines = [
        _(
            "%(status)s: %(rows)d rows, %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(rejected)d rejected"
        )
        % counts
    ]
    lines.extend(base.problem_line(p) for p in [*report.errors, *report.warnings])
    out.write("\n".join(lines) + "\n")
    return code


def run_simkotaku(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.io.simkotaku import SimkotakuError, import_simkotaku

    progress = base.Progress("import")
    try:
        report = import_simkotaku(
            args.profil,
            args.status,
            region_code=args.region.strip(),
            actor=Actor.system(),
            tahun=args.tahun,
            skip_invalid=args.skip_invalid,
            negatives_as_zero=args.negatives_as_zero,
            progress=progress,
        )
    except SimkotakuError as exc:
        raise base.CommandError(str(exc)) from exc
    finally:
        progress.finish()
    return _print(report, args.format, out)


def run_odk(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.audit.actions import Actor
    from sikumuh.io.odk_rt_import import import_rt_submissions

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(_("%(file)s: no such file") % {"file": path})
    report = import_rt_submissions(
        path,  # a ZIP with photos is read member by member, never whole
        actor=Actor.system(),
        file_name=path.name,
        region_code=args.region.strip(),
        skip_invalid=args.skip_invalid,
    )
    return _print(report, args.format, out)


def summary_lines(report: Any) -> list[str]:
    """The counts of an import, one per line, in the active language ("status: diterapkan")."""
    from django.utils.translation import gettext as _

    from sikumuh.io.labels import label

    return [
        _("status: %(status)s") % {"status": label(report.status, "run_status")},
        _("rows: %(n)s") % {"n": report.rows_total},
        _("created: %(n)s") % {"n": report.created},
        _("updated: %(n)s") % {"n": report.updated},
        _("unchanged: %(n)s") % {"n": report.unchanged},
        _("rejected: %(n)s") % {"n": len(report.rejected_rows)},
        _("new locations: %(n)s") % {"n": report.counts["new_locations"]},
        _("new RTs: %(n)s") % {"n": report.counts["new_rts"]},
    ]


def _print(report: Any, fmt: str, out: TextIO) -> int:
    from django.utils.translation import gettext as _

    from sikumuh.core.rows import Problem
    from sikumuh.io.labels import label
    from sikumuh.io.reasons import translated_reason
    from sikumuh.io.sk_lampiran import problem_line

    code = 0 if report.ok else 1
    if fmt == "json":
        base.dump_json(report.as_dict(), out)
        return code
    lines = summary_lines(report)
    extra = report.extra
    for reason, count in extra.get("rejected_by_reason", {}).items():
        lines.append(
            _("%(n)s rows rejected: %(reason)s") % {"n": count, "reason": translated_reason(reason)}
        )
        # Records consistent with the export but refused by the engine (negative volumes) are
        # few and easy to miss among the corrupt ones' errors: list them here.
        for refused in extra.get("integrity", {}).get("engine_rejections", {}).get(reason, []):
            values = ", ".join(f"{c} = {v}" for c, v in refused["volumes"].items())
            lines.append(
                "    " + _("row %(row)s") % {"row": refused["row"]} + f": {refused['rt']}: {values}"
            )
    if "names" in extra:
        names = extra["names"]
        methods = ", ".join(f"{n} {m}" for m, n in sorted(names["by_method"].items()))
        lines.append(
            _("kawasan names: %(resolved)s resolved, %(unresolved)s unresolved (%(methods)s)")
            % {"resolved": names["resolved"], "unresolved": names["unresolved"], "methods": methods}
        )
        lines.extend(
            f"    kawasan {r['kawasan_id']} {r['kawasan']!r} ({r['wilayah']}) → "
            f"{r['kode_desa'] or 'not resolved'} {r['desa_name'] or ''} [{r['method']}]"
            + (f" {r['note']}" if r["note"] else "")
            for r in names["resolutions"]
            if r["method"] != "exact" or r["note"]
        )
    if "integrity" in extra:
        check = extra["integrity"]
        lines.append(
            _(
                "cells reproduced: %(cells)s of %(of)s in %(records)s consistent records; "
                "%(invalid)s records invalid (%(rts)s RTs)"
            )
            % {
                "cells": check["cells_reproduced_consistent"],
                "of": check["cells_in_consistent_records"],
                "records": check["consistent_records"],
                "invalid": check["invalid_records"],
                "rts": len(check["invalid_rt_ids"]),
            }
        )
    if "kawasan_comparison" in extra:
        comparison = extra["kawasan_comparison"]
        per_year = ", ".join(f"{y}: {n}" for y, n in comparison["cells_differing_per_year"].items())
        lines.append(
            f"kawasan rows ≠ sum of their RTs: {comparison['cells_differing']} of "
            f"{comparison['cells_compared']} cells ({per_year or 'none'}); "
            f"{len(comparison['not_compared'])} kawasan-years not compared"
        )
    lines.extend(_simkotaku_lines(extra))
    investments = extra.get("investments")
    if investments:
        lines.append(
            _(
                "investments: %(status)s, %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s rejected"
            )
            % {**investments, "status": label(investments["status"], "run_status")}
        )
    polygons = extra.get("polygons")
    if polygons:
        lines.append(
            _(
                "outlines: %(locations_set)s locations and %(rts_set)s RTs set, %(unchanged)s "
                "unchanged, %(without_stored_target)s without a stored location/RT"
            )
            % polygons
        )
    follow_up = [p for part in (investments, polygons) if part for p in part["errors"]]
    follow_up_warnings = [p for part in (investments, polygons) if part for p in part["warnings"]]
    errors = [*report.errors, *(Problem(**p) for p in follow_up)]
    warnings = [*report.warnings, *(Problem(**p) for p in follow_up_warnings)]
    titles = {"errors": _("errors"), "warnings": _("warnings")}
    for title, problems in (("errors", errors), ("warnings", warnings)):
        if problems:
            lines.append(f"{titles[title]} ({len(problems)}):")
            lines.extend(problem_line(p) for p in problems)
    out.write("\n".join(lines) + "\n")
    return code


def _simkotaku_lines(extra: dict[str, Any]) -> list[str]:
    """The kelurahan names that did not resolve (or only by spelling) and the status layer's
    differences, one line each (`sikumuh import simkotaku`)."""
    from django.utils.translation import gettext as _

    lines: list[str] = []
    names = extra.get("kelurahan_names")
    if names:
        lines.append(
            _("kelurahan names: %(resolved)d of %(total)d resolved")
            % {"resolved": names["resolved"], "total": names["kelurahan"]}
        )
        lines.extend(
            "    " + _("%(kelurahan)s (%(kecamatan)s): not resolved (%(note)s)") % name
            for name in names["unresolved"]
        )
        lines.extend(
            "    "
            + _("%(kelurahan)s (%(kecamatan)s) → %(kode_desa)s %(desa_name)s [%(method)s]") % name
            for name in names["not_exact"]
        )
    if "status_differences" in extra:
        differences = extra["status_differences"]
        warnings = [d for d in differences if d.get("severity") == "warning"]
        lines.append(
            _(
                "%(file)s: %(n)d differences from the product's figures in %(rows)d rows, "
                "%(w)d warnings"
            )
            % {
                "file": extra["status_file"],
                "n": len(differences) - len(warnings),
                "w": len(warnings),
                "rows": extra["status_rows"],
            }
        )
        lines.extend(
            "    " + _difference_line(d)
            for d in sorted(differences, key=lambda d: d.get("severity") == "warning")
        )
    return lines


def _difference_line(d: dict[str, Any]) -> str:
    """One difference of the status layer: where, what is stated and computed, why."""
    from django.utils.translation import gettext as _

    values = {**d, "stated": d["stated"] or "-", "computed": d["computed"] or "-"}
    if d["note"] and d["column"].lower() in ("kode_rtrw", "kode"):
        line = _("%(file)s, row %(row)s, %(kode_rtrw)s: %(note)s") % values
    elif d["note"]:
        line = (
            _(
                "%(file)s, row %(row)s, %(kode_rtrw)s, column %(column)s: "
                "stated %(stated)s: %(note)s"
            )
            % values
        )
        if d["computed"]:
            line += " " + _("(outline %(computed)s ha)") % values
    else:
        line = (
            _(
                "%(file)s, row %(row)s, %(kode_rtrw)s, column %(column)s: "
                "stated %(stated)s, computed %(computed)s"
            )
            % values
        )
    return line if d.get("severity") != "warning" else _("warning: %(line)s") % {"line": line}
