"""`sikumuh uji-petik sample|xlsform|import-submissions`: the spot check from the command line.

``sample`` draws a stratified random sample and stores it with its seed (``--dry-run`` only
shows it: drawing again with the stored seed must give the same list, and anyone can check);
``xlsform`` writes the checklist form of the latest sample for ODK Collect/KoboCollect;
``import-submissions`` reads the CSV export of ODK Central or KoboToolbox into the checklists.
"""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("uji-petik", help="uji petik (spot check): sample, XLSForm, import")
    commands = parser.add_subparsers(dest="uji_petik_command", required=True, metavar="STEP")

    sample = commands.add_parser("sample", help="draw a stratified random sample (seed stored)")
    sample.add_argument("--region", required=True, help="kabupaten/kota code, e.g. 63.01")
    sample.add_argument(
        "--tahun", required=True, action="append", help="fiscal year(s): 2021, or 2020,2021"
    )
    sample.add_argument("--n", type=int, required=True, help="random items wanted")
    sample.add_argument("--seed", type=int, help="random seed (default: a new random one)")
    sample.add_argument("--population", choices=["investments", "rts"], default="investments")
    sample.add_argument(
        "--strata",
        default=None,
        help="strata fields, comma-separated (default kecamatan,aspect; for RTs kecamatan)",
    )
    sample.add_argument("--min", type=int, default=1, help="minimum per stratum (default 1)")
    sample.add_argument("--allocation", choices=["size", "cost"], default="size")
    sample.add_argument(
        "--purposive", type=int, action="append", default=[], help="id added purposively"
    )
    sample.add_argument("--title", default="")
    sample.add_argument("--dry-run", action="store_true", help="show the sample, store nothing")
    sample.add_argument("--format", choices=["text", "json"], default="text")
    sample.set_defaults(run=run_sample)

    xlsform = commands.add_parser("xlsform", help="the checklist XLSForm of the latest sample")
    xlsform.add_argument("--region", required=True, help="kabupaten/kota code")
    xlsform.add_argument("--tahun", type=int, help="a fiscal year the sample covers")
    xlsform.add_argument("--id", type=int, help="this uji petik instead of the latest")
    xlsform.add_argument("-o", "--output", type=Path, required=True, help="FILE.xlsx")
    xlsform.set_defaults(run=run_xlsform)

    submissions = commands.add_parser(
        "import-submissions", help="ODK Central / KoboToolbox CSV export → checklists"
    )
    submissions.add_argument("file", type=Path)
    submissions.add_argument(
        "--skip-invalid", action="store_true", help="store the valid rows, list the others"
    )
    submissions.add_argument("--format", choices=["text", "json"], default="text")
    submissions.set_defaults(run=run_import)


def _years(values: list[str]) -> list[int]:
    years = []
    for value in values:
        for part in value.split(","):
            if not part.strip().isdigit():
                raise base.CommandError(f"--tahun {part!r} is not a year")
            years.append(int(part))
    return sorted(set(years))


def run_sample(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.inspections.actions.sample import (
        MAX_SEED,
        SampleError,
        draw_sample,
        prepare_sample,
    )
    from sikumuh.inspections.population import DEFAULT_STRATA
    from sikumuh.regions.models import Region

    region = Region.objects.filter(code=args.region.strip()).first()
    if region is None:
        raise base.CommandError(f"unknown region code {args.region!r}")
    strata = (
        [s.strip() for s in args.strata.split(",") if s.strip()]
        if args.strata is not None
        else DEFAULT_STRATA[args.population]
    )
    seed = args.seed if args.seed is not None else secrets.randbelow(MAX_SEED)
    params: dict[str, Any] = {
        "kabupaten": region,
        "tahun": _years(args.tahun),
        "n": args.n,
        "seed": seed,
        "population_kind": args.population,
        "strata_fields": strata,
        "minimum": args.min,
        "allocation": args.allocation,
        "purposive": args.purposive,
    }
    try:
        prepared = prepare_sample(**params)
        stored = None
        if not args.dry_run:
            stored = draw_sample(actor=Actor.system(), title=args.title, **params)
    except SampleError as exc:
        raise base.CommandError(str(exc)) from exc
    report = _sample_dict(prepared, stored)
    if args.format == "json":
        base.dump_json(report, out)
        return 0
    what = "dry run, nothing stored" if stored is None else f"stored as uji petik {stored.pk}"
    print(
        f"{region.code} {region.name} TA {', '.join(map(str, report['tahun']))}: "
        f"{report['n_random']} random + {report['n_purposive']} purposive of "
        f"{report['population']} {args.population}, seed {seed} ({what})",
        file=out,
    )
    for stratum in report["strata"]:
        print(
            f"  {stratum['label']}: {stratum['n']} of {stratum['N']}",
            file=out,
        )
    for note in report["notes"]:
        print(f"  note: {note}", file=out)
    for item in report["items"]:
        flag = " [purposive]" if item["purposive"] else ""
        print(
            f"{item['position']:>4} {item['key'] or '-':<10} id {item['id']:<7} "
            f"{item['stratum_label']}{flag}",
            file=out,
        )
    return 0


def _sample_dict(prepared: Any, stored: Any) -> dict[str, Any]:
    plan = prepared.plan
    prefix = f"UP{stored.pk}-" if stored is not None else ""
    return {
        "uji_petik": stored.pk if stored is not None else None,
        "region": prepared.kabupaten,
        "tahun": prepared.years,
        "population_kind": prepared.population_kind,
        "strata_fields": prepared.fields,
        "seed": plan.seed,
        "n_requested": plan.n_requested,
        "minimum": plan.minimum,
        "allocation": str(plan.allocation),
        "population": plan.population,
        "n_random": plan.n_random,
        "n_purposive": plan.n_purposive,
        "strata": [
            {
                "key": s.key,
                "label": prepared.labels[s.key],
                "N": s.population,
                "n": s.sample,
                "weight": float(s.weight),
            }
            for s in plan.strata
        ],
        "notes": list(plan.notes),
        "items": [
            {
                "position": d.position,
                "key": f"{prefix}{d.position}" if prefix else None,
                "id": d.item.id,
                "stratum": d.stratum,
                "stratum_label": prepared.labels.get(d.stratum, d.stratum),
                "purposive": d.purposive,
                "kecamatan": prepared.names.get(d.item.kecamatan, d.item.kecamatan),
                "desa": prepared.names.get(d.item.desa, d.item.desa),
                "location": d.item.location,
                "criterion": d.item.criterion or None,
                "tahun": int(d.item.tahun) if d.item.tahun else None,
            }
            for d in plan.items
        ],
    }


def run_xlsform(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.inspections.models import UjiPetik
    from sikumuh.inspections.population import region_names
    from sikumuh.inspections.selectors import latest_uji_petik, sample_items
    from sikumuh.io.ujipetik.xlsform import form_id, write_xlsform

    code = args.region.strip()
    if args.id is not None:
        uji_petik = UjiPetik.objects.filter(pk=args.id, kabupaten_id=code).first()
    else:
        uji_petik = latest_uji_petik(code, args.tahun)
    if uji_petik is None:
        year = f" covering {args.tahun}" if args.tahun else ""
        raise base.CommandError(f"no uji petik of {code}{year}; draw one with `uji-petik sample`")
    items = sample_items(uji_petik)
    if not items:
        raise base.CommandError(f"uji petik {uji_petik.pk} has no sampled item")
    names = region_names({i.kecamatan_code for i in items} | {i.desa_code for i in items})
    try:
        write_xlsform(args.output, uji_petik, items, names)
    except OSError as exc:
        raise base.CommandError(f"cannot write {args.output}: {exc.strerror}") from exc
    print(
        f"{args.output}: form {form_id(uji_petik)} ({uji_petik.title}), {len(items)} items",
        file=out,
    )
    return 0


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.io.ujipetik.odk_import import import_submissions

    path: Path = args.file
    if not path.is_file():
        raise base.CommandError(f"no such file: {path}")
    try:
        data = path.read_bytes()
        report = import_submissions(
            data, actor=Actor.system(), file_name=path.name, skip_invalid=args.skip_invalid
        )
    except UnicodeDecodeError as exc:
        raise base.CommandError(f"{path}: not a UTF-8 CSV file") from exc
    if args.format == "json":
        base.dump_json(report.as_dict(), out)
    else:
        print(
            f"{path.name} ({report.extra['source']}): {report.status}; {report.rows_total} rows, "
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.rejected_rows)} rejected, {report.counts['findings_created']} findings",
            file=out,
        )
        for problem in [*report.errors, *report.warnings]:
            print(f"{problem.severity}: {problem}", file=out)
    return 0 if report.ok else 1
