"""An investment file (CSV/XLSX, docs/investments.md): its columns, its reader and its import.

One row = one activity in one RT (or, with ``rt`` empty, in a location as a whole) in one
budget year. Every row is read and checked first (here: the cells; then
`investments.actions.validate_investments` in strict mode: location, RT, desa, rule set, unit,
volume against the RT's own data, the year lock); the valid rows are stored at once, or none
unless ``skip_invalid``. Each run is recorded as an `ImportRun` of kind ``investments``.

Decisions
    * Money and volume follow :mod:`sikumuh.io.numbers`, one format per file (``1.250.000`` and
      ``0,5`` in an Indonesian file; ``1250000`` and ``0.5`` in a plain one). An empty
      ``biaya_rp`` is "not known"; a zero is kept.
    * ``sumber_dana`` is a code (``apbd``) or its label (``APBD Kabupaten/Kota``), any case;
      ``satuan`` a unit of the criteria catalogue (``m``, ``ha``, ``KK``, ``unit``; ``meter``
      and ``hektar`` accepted). Anything else is an error, never a guess.
    * The identity of a row for re-imports is (location, RT, tahun, kriteria, kegiatan,
      sumber_dana): volume, satuan, biaya_rp, status and keterangan of a stored row may change.
      Two rows of one file with the same identity are an error.
    * An optional ``referensi`` (the Investasi download writes it) is the reference of an
      investment to its source row (the motorkawanku import's, the demo's); read back it takes
      the place of ``sumber_dana`` in the identity, as for the source's own re-imports, so that
      the download of the list imports back unchanged instead of doubling those investments.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, InvestmentRow, Problem
from sikumuh.investments.actions import import_investments
from sikumuh.investments.models import FundingSource, InvestmentStatus
from sikumuh.io.investment_columns import OPTIONAL, REQUIRED
from sikumuh.io.numbers import (
    NumberError,
    NumberFormat,
    cell_text,
    detect_format,
    parse_number,
)
from sikumuh.io.readers import ReaderError, Source, read_sheet
from sikumuh.io.runs import record_run
from sikumuh.io.template_columns import parse_year
from sikumuh.regions.models import Level, code_at_level

IMPORT_KIND = "investments"
#: The optional column of the investment's source reference (written by the list's download).
REFERENCE = "referensi"
#: Investment.source_ref's length.
REFERENCE_MAX = 100
#: The file's column for each field the shared checks blame.
COLUMNS = {
    "criterion": "kriteria",
    "activity": "kegiatan",
    "unit": "satuan",
    "funding_source": "sumber_dana",
    "cost": "biaya_rp",
    "source_ref": REFERENCE,
}
#: Unit words → the unit names of the criteria catalogue (sikumuh.core.criteria).
UNITS = {"meter": "m", "m": "m", "ha": "ha", "hektar": "ha", "kk": "KK", "unit": "unit"}
_FUNDING = {str(v).lower(): str(v) for v in FundingSource.values} | {
    str(label).lower(): str(value) for value, label in FundingSource.choices
}
_STATUS = {str(v) for v in InvestmentStatus.values}


def _described(fmt: NumberFormat) -> str:
    """The file's number convention in words, with the cell that showed it."""
    if fmt.decimal_comma:
        return _("decimal comma, dot groups thousands, as in %(example)s") % {
            "example": fmt.evidence
        }
    return _("decimal point")


def _cell_problem(file: str, line: int, column: str, value: Any, reason: str) -> Problem:
    return Problem(file, str(line), column, cell_text(value), reason)


def read_investment_file_all(
    source: Source, *, region_code: str, name: str | None = None
) -> tuple[list[InvestmentRow], list[InvestmentRow], list[Problem]]:
    """The usable rows, the rows with a problem in a cell (as far as they could be read, so
    that the importer's checks of their other cells still run: every problem of a row is
    listed at once, as the RT import does) and the problems of the cells."""
    sheet = read_sheet(source, name=name)
    file = sheet.file
    missing = [c for c in REQUIRED if c not in sheet.header]
    if missing:
        reason = _("required column(s) missing: %(columns)s") % {"columns": ", ".join(missing)}
        return [], [], [Problem(file, "1", None, None, reason)]
    fmt = detect_format(sheet.columns[sheet.header.index(c)] for c in ("volume", "biaya_rp"))
    rows: list[InvestmentRow] = []
    unusable: list[InvestmentRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in sheet.records():
        row, found = _read_row(file, line, cells, fmt, region_code, seen)
        problems.extend(found)
        (unusable if found else rows).append(row)
    return rows, unusable, problems


def _amounts(
    cells: dict[str, Any], fmt: NumberFormat, bad: Callable[[str, str], None]
) -> tuple[Decimal | None, Decimal | None]:
    """``volume`` (above zero) and ``biaya_rp`` in the file's number format."""
    volume = cost = None
    try:
        volume = parse_number(cells.get("volume"), fmt)
    except NumberError:
        bad("volume", _("not a number (%(format)s)") % {"format": _described(fmt)})
    if volume is not None and volume <= 0:
        bad("volume", _("the volume must be above zero"))
    try:
        cost = parse_number(cells.get("biaya_rp"), fmt)
    except NumberError:
        bad("biaya_rp", _("not an amount of rupiah (%(format)s)") % {"format": _described(fmt)})
    return volume, cost


def _read_row(
    file: str,
    line: int,
    cells: dict[str, Any],
    fmt: NumberFormat,
    region_code: str,
    seen: dict[tuple[str, ...], int],
) -> tuple[InvestmentRow, list[Problem]]:
    """One row and the problems of its cells (with any, the row is only checked further: a
    cell that could not be read stands as empty or zero, its problem said once)."""
    found: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        found.append(_cell_problem(file, line, column, cells.get(column), reason))

    text = {c: cell_text(cells.get(c)) for c in (*REQUIRED, *OPTIONAL, REFERENCE)}
    for column in ("kode_desa", "lokasi", "kriteria", "kegiatan", "satuan", "volume"):
        if not text[column]:
            bad(column, _("empty; required"))
    kode = text["kode_desa"]
    inside = kode == region_code or kode.startswith(region_code + ".")
    if kode and (not inside or code_at_level(kode, Level.DESA) != kode):
        bad("kode_desa", _("not a desa of region %(region)s") % {"region": region_code})
    tahun = 0
    try:
        tahun = parse_year(cells.get("tahun"))
    except ValueError:
        bad("tahun", _("not a year of four digits from 2000 to 2100"))
    volume, cost = _amounts(cells, fmt, bad)
    funding = _FUNDING.get(text["sumber_dana"].lower()) if text["sumber_dana"] else ""
    if funding is None:
        # The labels, which the file may hold as well as the codes: words a person reads.
        known = ", ".join(str(label) for label in FundingSource.labels)
        bad("sumber_dana", _("unknown source of funds; known: %(known)s") % {"known": known})
    status = text["status"].lower() or str(InvestmentStatus.REALISASI)
    if status not in _STATUS:
        bad("status", _("must be rencana or realisasi"))
    if len(text["keterangan"]) > 500:
        bad("keterangan", _("longer than 500 characters"))
    if len(text[REFERENCE]) > REFERENCE_MAX:
        bad(REFERENCE, _("longer than 100 characters"))
    key = (*(text[c] for c in ("kode_desa", "lokasi", "rt", "kriteria", "kegiatan")), str(tahun))
    # As `investments.actions.investment_key`: a reference stands in for the source of funds.
    ref = text[REFERENCE]
    first = seen.setdefault((*key, ref, "" if ref else funding or ""), line)
    if first != line:
        bad("kegiatan", _("the same investment as row %(row)s") % {"row": first})
    return InvestmentRow(
        file=file,
        row=str(line),
        kabupaten_code=code_at_level(kode, Level.KABUPATEN) or "",
        lokasi=text["lokasi"],
        rt=text["rt"] or None,
        criterion=text["kriteria"],
        tahun=tahun,
        activity=text["kegiatan"],
        volume=Decimal(0) if volume is None else volume,
        unit=UNITS.get(text["satuan"].lower(), text["satuan"]),
        funding_source=funding or "",
        cost=cost,
        status=status,
        note=text["keterangan"],
        kode_desa=text["kode_desa"],
        source_ref=text[REFERENCE],
    ), found


def import_investment_file(
    data: bytes,
    *,
    file_name: str,
    region_code: str,
    actor: Actor,
    skip_invalid: bool = False,
    dry_run: bool = False,
    refuse: Callable[[list[InvestmentRow]], tuple[list[InvestmentRow], list[Problem]]]
    | None = None,
) -> ImportReport:
    """Read, check and store an investment file; record the run (not on a ``dry_run``, the web
    wizard's review step). An unreadable file is a rejected run with one problem. ``refuse``
    takes out the rows the user may not write (the web wizard's scope), with a problem each."""
    started = timezone.now()
    report = ImportReport(kind=IMPORT_KIND, file_name=file_name)
    try:
        rows, unusable, problems = read_investment_file_all(
            io.BytesIO(data), region_code=region_code, name=file_name
        )
    except ReaderError:
        reason = _("the file cannot be read as CSV or XLSX")
        report.errors = [Problem(file_name, "-", None, None, reason)]
        rows, unusable, problems = [], [], []
    if refuse is not None:
        rows, refused = refuse(rows)
        # A row whose desa the reader refused says so already: no second line on its scope.
        blamed = {p.row for p in problems if p.column == "kode_desa"}
        unusable, refused_too = refuse([r for r in unusable if r.row not in blamed])
        problems = [*problems, *refused, *refused_too]
    if not report.errors:
        report = import_investments(
            rows,
            actor=actor,
            parse_problems=problems,
            unusable=unusable,
            skip_invalid=skip_invalid,
            columns=COLUMNS,
            strict=True,
            dry_run=dry_run,
            context={"import": IMPORT_KIND, "file": file_name},
        )
        report.kind, report.file_name = IMPORT_KIND, file_name
    if dry_run:
        return report
    record_run(
        report,
        file_sha256=hashlib.sha256(data).hexdigest(),
        region_code=region_code,
        started=started,
        actor=actor,
    )
    return report
