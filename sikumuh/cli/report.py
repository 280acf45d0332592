"""`sikumuh report uji-petik|profil|pengurangan`: the reports as PDF (default) or XLSX files.

    sikumuh report uji-petik --region 63.01 --tahun 2021 -o laporan.pdf
    sikumuh report uji-petik --region 63.01 --tahun 2021 --format xlsx -o laporan.xlsx
    sikumuh report profil --lokasi 16 -o profil.pdf        (a location id, or its code)
    sikumuh report pengurangan --region 63.01 -o pengurangan.pdf

The format is ``--format``, else the output file's extension, else PDF. Reports are in Bahasa
Indonesia unless ``--lang en``. They count the data approved by the Pokja (the official figures,
criteria.md §9) unless ``--status all``: then every page and sheet says DRAF.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base

FORMATS = ("pdf", "xlsx")
LANGUAGES = ("id", "en")
STATUSES = ("approved", "all")  # sikumuh.surveys.asof.STATUS_FILTERS (no Django here)


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "report", help="reports as PDF or XLSX (uji petik, profil, pengurangan)"
    )
    kinds = parser.add_subparsers(dest="report_kind", required=True, metavar="REPORT")

    uji_petik = kinds.add_parser("uji-petik", help="Laporan Uji Petik of a kabupaten/kota and year")
    uji_petik.add_argument("--region", required=True, help="kabupaten/kota code, e.g. 63.01")
    uji_petik.add_argument("--tahun", type=int, required=True, help="fiscal year, e.g. 2021")
    uji_petik.set_defaults(run=run_uji_petik)

    profil = kinds.add_parser("profil", help="Profil Kawasan Kumuh of one slum location")
    profil.add_argument("--lokasi", required=True, help="location id (or code, with --region)")
    profil.add_argument("--region", help="kabupaten/kota code, to find a location by its code")
    profil.set_defaults(run=run_profil)

    pengurangan = kinds.add_parser(
        "pengurangan", help="Laporan Pengurangan Luasan Kumuh of a region over the years"
    )
    pengurangan.add_argument(
        "--region", required=True, help="Kemendagri code, e.g. 63.01 (ID: all)"
    )
    pengurangan.set_defaults(run=run_pengurangan)

    for kind in (uji_petik, profil, pengurangan):
        kind.add_argument("-o", "--output", type=Path, required=True, help="FILE.pdf or FILE.xlsx")
        kind.add_argument("--format", choices=FORMATS, help="default: from the file's extension")
        kind.add_argument("--lang", choices=LANGUAGES, default="id", help="default: id")
        kind.add_argument(
            "--status",
            choices=STATUSES,
            default="approved",
            help="approved data only (default, official) or all data (marked DRAF)",
        )


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = args.output.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "pdf"


def _write(args: argparse.Namespace, out: TextIO, started: float, make: Any) -> int:
    from sikumuh.reports.common import ReportError

    try:
        report = make()
    except ReportError as exc:
        raise base.CommandError(str(exc)) from exc
    try:
        args.output.write_bytes(report.content)
    except OSError as exc:
        raise base.CommandError(f"cannot write {args.output}: {exc.strerror}") from exc
    pages = f", {report.pages} pages" if report.pages else ""
    print(
        f"wrote {args.output} ({len(report.content):,} bytes{pages}, "
        f"{time.perf_counter() - started:.1f} s)",
        file=out,
    )
    return 0


def run_uji_petik(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    base.setup_django()
    from sikumuh.reports.build import uji_petik_report

    return _write(
        args,
        out,
        started,
        lambda: uji_petik_report(
            args.region.strip(),
            args.tahun,
            fmt=output_format(args),
            language=args.lang,
            status=args.status,
        ),
    )


def _location_id(args: argparse.Namespace) -> int:
    """The location's id: given as such, or found by its code (unique within a kabupaten)."""
    value = args.lokasi.strip()
    if value.isdigit():
        return int(value)
    from sikumuh.slums.models import Location

    found = Location.objects.filter(code=value)
    if args.region:
        found = found.filter(kabupaten_id=args.region.strip())
    ids = list(found.values_list("pk", flat=True)[:2])
    if not ids:
        raise base.CommandError(f"no slum location with code {value!r}")
    if len(ids) > 1:
        raise base.CommandError(f"several locations have code {value!r}: give --region")
    return ids[0]


def run_profil(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    base.setup_django()
    from sikumuh.reports.build import profil_report

    location_id = _location_id(args)
    return _write(
        args,
        out,
        started,
        lambda: profil_report(
            location_id, fmt=output_format(args), language=args.lang, status=args.status
        ),
    )


def run_pengurangan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    base.setup_django()
    from sikumuh.reports.build import pengurangan_report

    return _write(
        args,
        out,
        started,
        lambda: pengurangan_report(
            args.region.strip(), fmt=output_format(args), language=args.lang, status=args.status
        ),
    )
