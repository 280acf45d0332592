"""The SK Kumuh lampiran as a file: one row per location of one SK version, out and back in.

Columns (the header is line 1; names as below, any case)
    ``kode_desa``, ``nama_desa``, ``kecamatan``, ``kode_lokasi``, ``nama_lokasi``, ``tipologi``,
    ``luas_ha``. ``nama_desa`` and ``kecamatan`` are there for the reader and ignored on the way
    in; the others are what an SK version holds in this model (``SkLocation`` and its
    ``Location``). ``kode_desa``, ``kode_lokasi``, ``nama_lokasi`` and ``luas_ha`` are required.

Hectares
    Plain (``4.95``) or Indonesian (``4,95``; ``1.218,5``) writing, decided per file by
    :mod:`sikumuh.io.numbers`; positive, at most 4 decimals (what ``SkLocation.luas_ha`` keeps).

Locations
    A location is known by its code inside the kabupaten. A known code keeps its registered
    name, typology and desa: a file giving another desa is refused (a code names one place), a
    differing name or typology is a warning (they are edited on the location, not by an SK). An
    unknown code is a new location, created with the file's name, desa and typology.

The export neutralises formula triggers (a name ``=X`` is written ``'=X``); the reader takes the
apostrophe off again, so an exported lampiran reads back as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sikumuh.core.handling import Typology
from sikumuh.core.rows import Problem
from sikumuh.io.numbers import NumberError, cell_text, detect_format, parse_number
from sikumuh.io.readers import ReaderError, Sheet, Source, read_sheet
from sikumuh.io.tables import FORMULA_TRIGGERS
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, SkDecree
from sikumuh.surveys.sk_entries import decree_entries

logger = logging.getLogger(__name__)

COLUMNS = (
    "kode_desa",
    "nama_desa",
    "kecamatan",
    "kode_lokasi",
    "nama_lokasi",
    "tipologi",
    "luas_ha",
)
REQUIRED = ("kode_desa", "kode_lokasi", "nama_lokasi", "luas_ha")
#: SkLocation.luas_ha: 12 digits, 4 of them decimals.
HA_DECIMALS = 4
HA_LIMIT = Decimal(10) ** 8
CODE_LENGTH = 40  # Location.code
NAME_LENGTH = 200  # Location.name
NUMBER_LENGTH = 150  # SkDecree.number


# --- Out ---------------------------------------------------------------------------------------


def _plain(value: Decimal) -> Decimal:
    """4.9500 → 4.95 and 50.0000 → 50: the hectares as decreed, never in exponent form."""
    return Decimal(format(value.normalize(), "f"))


def lampiran_rows(decree: SkDecree, visible: Q | None = None) -> Iterator[list[Any]]:
    """The rows of `decree`'s lampiran (entries matching `visible`), by location code."""
    for row in decree_entries(decree, visible, with_status=False):
        yield [
            row.desa_code,
            row.desa_name,
            row.kecamatan_name,
            row.code,
            row.name,
            row.typology,
            _plain(row.luas_ha),
        ]


# --- In ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LampiranRow:
    """One valid row: the location it names (None for a new one) and its hectares."""

    line: int
    kode_desa: str
    kode_lokasi: str
    nama_lokasi: str
    tipologi: str
    luas_ha: Decimal
    desa: Region | None
    location: Location | None


@dataclass
class Lampiran:
    """A lampiran file read and checked against the kabupaten: its valid rows and problems."""

    file_name: str
    rows: list[LampiranRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_total: int = 0  # data rows in the file, valid or not

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def unneutralised(text: str) -> str:
    """A text cell without the apostrophe our exports put before a formula trigger."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _typology(text: str) -> str | None:
    """The stored typology for a cell: its code (``di_tepi_air``) or label (``Di tepi air``)."""
    key = text.strip().lower().replace(" ", "_")
    return key if key in {t.value for t in Typology} else None


class _Checker:
    """Row by row checks of one file, collecting problems (every row is checked)."""

    def __init__(self, sheet: Sheet, kabupaten: Region) -> None:
        self.sheet = sheet
        self.kabupaten = kabupaten
        self.lampiran = Lampiran(sheet.file)
        self.columns = {name.strip().lower(): j for j, name in enumerate(sheet.header)}

    def problem(self, line: int | str, column: str | None, value: str | None, reason: str) -> None:
        self.lampiran.problems.append(Problem(self.sheet.file, str(line), column, value, reason))

    def warn(self, line: int, column: str, value: str, reason: str) -> None:
        self.lampiran.problems.append(
            Problem(self.sheet.file, str(line), column, value, reason, severity="warning")
        )

    def texts(self, name: str) -> list[str]:
        j = self.columns.get(name)
        if j is None:
            return [""] * len(self.sheet)
        return [unneutralised(t) for t in self.sheet.texts(j)]

    def run(self) -> Lampiran:
        self.lampiran.rows_total = len(self.sheet)
        missing = [name for name in REQUIRED if name not in self.columns]
        for name in missing:
            self.problem(1, name, None, _("the column is missing"))
        if missing:
            return self.lampiran
        if not len(self.sheet):
            self.problem(2, None, None, _("the file lists no location"))
            return self.lampiran
        hectares = self._hectares()
        desas = self._desas()
        locations = {
            loc.code: loc
            for loc in Location.objects.filter(kabupaten=self.kabupaten).defer("polygon")
        }
        seen: dict[str, int] = {}
        rows = zip(
            self.sheet.lines,
            self.texts("kode_desa"),
            self.texts("kode_lokasi"),
            self.texts("nama_lokasi"),
            self.texts("tipologi"),
            hectares,
            strict=True,
        )
        for line, desa_code, code, name, typology, ha in rows:
            row = self._row(line, desa_code, code, name, typology, ha, desas, locations, seen)
            if row is not None:
                self.lampiran.rows.append(row)
        return self.lampiran

    def _hectares(self) -> list[Decimal | None]:
        """Every ``luas_ha`` cell read in the file's number format; None where refused."""
        cells = self.sheet.columns[self.columns["luas_ha"]]
        fmt = detect_format([cells])
        values: list[Decimal | None] = []
        for line, cell in zip(self.sheet.lines, cells, strict=True):
            shown = unneutralised(cell_text(cell))
            try:
                value = parse_number(cell, fmt)
            except NumberError:
                self.problem(line, "luas_ha", shown, _("not a number of hectares"))
                values.append(None)
                continue
            values.append(self._checked_ha(line, shown, value))
        return values

    def _checked_ha(self, line: int, shown: str, value: Decimal | None) -> Decimal | None:
        if value is None:
            reason = _("the area is empty")
        elif value <= 0:
            reason = _("the area must be more than 0 ha")
        elif value >= HA_LIMIT:
            reason = _("the area is too large")
        elif value != value.quantize(Decimal(1).scaleb(-HA_DECIMALS)):
            reason = _("the area has more than 4 decimals")
        else:
            return value.quantize(Decimal(1).scaleb(-HA_DECIMALS))
        self.problem(line, "luas_ha", shown, reason)
        return None

    def _desas(self) -> dict[str, Region]:
        codes = {c for c in self.texts("kode_desa") if c}
        return {r.code: r for r in Region.objects.filter(code__in=codes)}

    def _row(
        self,
        line: int,
        desa_code: str,
        code: str,
        name: str,
        typology: str,
        ha: Decimal | None,
        desas: dict[str, Region],
        locations: dict[str, Location],
        seen: dict[str, int],
    ) -> LampiranRow | None:
        before = len(self.lampiran.errors)
        location = locations.get(code)
        desa = self._desa(line, desa_code, desas, location)
        if not code:
            self.problem(line, "kode_lokasi", code, _("the location code is empty"))
        elif len(code) > CODE_LENGTH:
            self.problem(line, "kode_lokasi", code, _("the location code is too long"))
        elif code in seen:
            self.problem(
                line,
                "kode_lokasi",
                code,
                _("the location is already listed on row %(row)d") % {"row": seen[code]},
            )
        else:
            seen[code] = line
        if not name:
            self.problem(line, "nama_lokasi", name, _("the location name is empty"))
        elif len(name) > NAME_LENGTH:
            self.problem(line, "nama_lokasi", name, _("the location name is too long"))
        stored = _typology(typology) if typology else ""
        if stored is None:
            choices = ", ".join(t.label_id for t in Typology)
            self.problem(
                line,
                "tipologi",
                typology,
                _("unknown typology; one of: %(choices)s") % {"choices": choices},
            )
        if location is not None:
            # An empty cell claims no typology: only a stated one is compared.
            self._compare(line, location, name, stored or None, typology)
        if len(self.lampiran.errors) > before or ha is None or stored is None:
            return None
        return LampiranRow(line, desa_code, code, name, stored, ha, desa, location)

    def _desa(
        self, line: int, desa_code: str, desas: dict[str, Region], location: Location | None
    ) -> Region | None:
        """The row's desa; an existing location must lie in the desa the file gives it."""
        desa = desas.get(desa_code)
        if not desa_code:
            if location is None or location.desa_id:
                self.problem(line, "kode_desa", desa_code, _("the desa code is empty"))
            return None
        if desa is None or desa.level != Level.DESA:
            self.problem(line, "kode_desa", desa_code, _("unknown desa/kelurahan code"))
            return None
        if not desa.code.startswith(self.kabupaten.code + "."):
            self.problem(
                line,
                "kode_desa",
                desa_code,
                _("the desa/kelurahan is not in %(region)s") % {"region": self.kabupaten.name},
            )
            return None
        if location is not None and location.desa_id != desa.code:
            # Named as a person knows it, with the code the file's column holds.
            where = desas.get(location.desa_id or "") or location.desa
            self.problem(
                line,
                "kode_desa",
                desa_code,
                _("location %(code)s lies in desa %(desa)s")
                % {"code": location.code, "desa": f"{where.name} ({where.code})" if where else "-"},
            )
        return desa

    def _compare(
        self, line: int, location: Location, name: str, typology: str | None, text: str = ""
    ) -> None:
        if name and name != location.name:
            self.warn(
                line,
                "nama_lokasi",
                name,
                _("differs from the registered name %(name)s, which is kept")
                % {"name": location.name},
            )
        if typology is not None and typology != location.typology:
            registered = (
                Typology(location.typology).label_id if location.typology else _("no typology")
            )
            self.warn(
                line,
                "tipologi",
                text or typology,
                _("differs from the registered typology %(typology)s, which is kept")
                % {"typology": registered},
            )


def read_lampiran(source: Source, *, kabupaten: Region, name: str | None = None) -> Lampiran:
    """The lampiran in `source` (CSV or XLSX) checked row by row against `kabupaten`: every
    problem is listed, each naming file, row, column and value."""
    try:
        sheet = read_sheet(source, name=name)
    except ReaderError as exc:
        file_name = name or getattr(source, "name", None) or str(source)
        lampiran = Lampiran(str(file_name).rsplit("/", 1)[-1])
        reason = _("the file cannot be read as a CSV or XLSX table")
        lampiran.problems.append(Problem(lampiran.file_name, "-", None, None, reason))
        # The reader's own words name the library's trouble: logged, not shown.
        logger.info("SK lampiran unreadable: %s", exc)
        return lampiran
    return _Checker(sheet, kabupaten).run()


def check_particulars(
    file_name: str,
    *,
    kabupaten: Region,
    number: str,
    date: dt.date,
    previous: SkDecree | None,
) -> list[Problem]:
    """The new version's number and date: a number not yet used by the kabupaten, and a date
    not before the version it replaces (a later SK never rewrites an earlier year)."""
    problems = []
    if not number.strip():
        problems.append(Problem(file_name, "-", "--number", number, _("the SK number is empty")))
    elif len(number) > NUMBER_LENGTH:
        problems.append(Problem(file_name, "-", "--number", number, _("the SK number is too long")))
    elif SkDecree.objects.filter(kabupaten=kabupaten, number=number.strip()).exists():
        reason = _("an SK with this number is already registered for %(region)s") % {
            "region": kabupaten.name
        }
        problems.append(Problem(file_name, "-", "--number", number, reason))
    if previous is not None and _too_early(date, previous):
        reason = _("the date is before that of SK %(number)s (%(date)s), the version it replaces")
        shown = previous.date.isoformat() if previous.date else str(previous.year)
        problems.append(
            Problem(
                file_name,
                "-",
                "--date",
                date.isoformat(),
                reason % {"number": previous.number, "date": shown},
            )
        )
    return problems


def _too_early(date: dt.date, previous: SkDecree) -> bool:
    if previous.date is not None:
        return date < previous.date
    return date.year < previous.year


def problem_line(problem: Problem) -> str:
    """One problem in words of the active language (file, row, column, value: reason); the
    readers' and the engine's English reasons translated (`reasons.translated`)."""
    from sikumuh.io.reasons import translated

    problem = translated(problem)
    parts = [problem.file, _("row %(row)s") % {"row": problem.row}]
    if problem.column:
        parts.append(_("column %(column)s") % {"column": problem.column})
    if problem.value is not None:
        parts.append(_("value %(value)s") % {"value": repr(problem.value)})
    return f"{', '.join(parts)}: {problem.reason}"


def known_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Errors first, then warnings, each group in file order."""
    return sorted(problems, key=lambda p: p.severity != "error")
