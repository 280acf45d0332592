"""The "Profil Kumuh Basis" layer → one observation row per RT (percentages only).

SIM KOTAKU gives, per RT, the percentage of each of the 19 criteria of Permen PUPR 02/PRT/M/2016
(`kX_y_p`, already computed, 0–100): they are stored as legacy percentages under the rule set
`permen-pupr-02-2016` and scored by the engine (`core.scoring`: a given percentage is used when
no volume is). The aspect means (`kX_p`) are not stored: the engine recomputes them.

`Kode_RTRW` (`<8-digit BPS kelurahan code>-RT<nnn>-RW<nnn>`) keys the RT; its 8 digits are not
the Kemendagri code, so the kelurahan is resolved by `Kecamatan` + `Kelurahan` names with the
matcher of the motorkawanku import (`motorkawanku.names.resolve_kawasan`). Each kelurahan's RTs
go into one location of that kelurahan (`location_code`). A negative percentage (real exports
hold `-100.0`) is a data error of its row, never a score; unless asked (``negatives_as_zero``),
then it is scored as 0 with a warning, as SIM KOTAKU itself scores it (its totals and classes
of such RTs reproduce with 0, never with the absolute value). An RT exported as several
features of the same attributes is one RT in several parts (`layers.merge_parts`). Pure:
regions are passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import get_rule_set
from sikumuh.core.rows import ObservationRow, Problem
from sikumuh.io.motorkawanku.names import (
    GUESSES,
    Candidate,
    Resolution,
    match_name,
    resolve_kawasan,
)
from sikumuh.io.simkotaku.layers import Layer, Record, merge_parts

RULE_SET_ID = "permen-pupr-02-2016"
#: `4d` → `k4_d_p`: the export's column of each criterion of the 2016 rule set.
PERCENT_COLUMNS: dict[str, str] = {
    c.code: f"k{c.code[0]}_{c.code[1]}_p" for c in get_rule_set(RULE_SET_ID).criteria
}
#: The RT key's column, and the spelling of exports that have only `Kode`.
KODE_RTRW = ("Kode_RTRW", "Kode")
_KODE_RTRW = re.compile(r"^(\d{8})-RT(\d{1,3})-RW(\d{1,3})$", re.IGNORECASE)
_SUMBER_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](\d{4})\b")
#: "Data SIM KOTAKU, download pada 281120": the download date as DDMMYY (Kebumen's exports).
_SUMBER_DDMMYY = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")


def location_code(kode_desa: str) -> str:
    """The product's location holding a kelurahan's SIM KOTAKU RTs: "SIMKOTAKU-33.75.01.1002"."""
    return f"SIMKOTAKU-{kode_desa}"


@dataclass(frozen=True)
class RtKey:
    bps_code: str  # the 8-digit statistics office code, kept for the report only
    label: str  # "RT002-RW005": the RT's name in the product

    @property
    def kode_rtrw(self) -> str:
        return f"{self.bps_code}-{self.label}"


def parse_kode_rtrw(text: Any) -> RtKey | None:
    """`12345678-RT002-RW005` → RtKey("12345678", "RT002-RW005"); None when not of that form."""
    match = _KODE_RTRW.match(str(text or "").strip())
    if match is None:
        return None
    bps, rt, rw = match.groups()
    return RtKey(bps, f"RT{int(rt):03d}-RW{int(rw):03d}")


def parse_number(value: Any) -> Decimal | None:
    """A number cell as a Decimal; None for an empty cell. Raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma (a CSV saved in Indonesian locale)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


@dataclass
class ProfilData:
    rows: list[ObservationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resolutions: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    outlines: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    kode_rtrw: dict[str, ObservationRow] = field(default_factory=dict)  # "1234…-RT…" → row

    def names_summary(self) -> dict[str, Any]:
        unresolved = [r for r in self.resolutions.values() if not r.resolved]
        return {
            "kelurahan": len(self.resolutions),
            "resolved": len(self.resolutions) - len(unresolved),
            "unresolved": [
                {"kecamatan": r.wilayah, "kelurahan": r.kawasan, "note": r.note} for r in unresolved
            ],
            "not_exact": [
                {
                    "kecamatan": r.wilayah,
                    "kelurahan": r.kawasan,
                    "kode_desa": r.kode_desa,
                    "desa_name": r.desa_name,
                    "method": str(r.method),
                }
                for r in self.resolutions.values()
                if r.resolved and str(r.method) != "exact"
            ],
        }


def missing_columns(layer: Layer) -> list[str]:
    """The columns a profil layer must have and this one lacks."""
    needed = ["Kode_RTRW", "Kecamatan", "Kelurahan", *PERCENT_COLUMNS.values()]
    return [name for name in needed if not layer.has(name)]


def profil_rows(
    layer: Layer,
    *,
    tahun: int | None,
    kecamatan: Sequence[Candidate],
    desa: Sequence[Candidate],
    kabupaten: Candidate | None = None,
    negatives_as_zero: bool = False,
) -> ProfilData:
    """Every record as an observation row, or the problems that keep it out. A record whose
    `Kota_Kab` names another kabupaten/kota than `kabupaten` is refused: its kelurahan names
    would otherwise find namesakes in the wrong city."""
    records, joined = merge_parts(layer.records, KODE_RTRW, layer.file)
    data = ProfilData(problems=[*layer.problems, *joined])
    for record in records:
        row, problems = _row(record, layer.file, tahun, data, kecamatan, desa, negatives_as_zero)
        problems.extend(_other_kabupaten(record, layer.file, kabupaten))
        data.problems.extend(problems)
        if row is None or any(p.severity == "error" for p in problems):
            continue
        data.rows.append(row)
        data.kode_rtrw.setdefault(row.source_ref.rsplit("#", 1)[-1], row)
        if record.geometry is not None:
            data.outlines[(row.lokasi, row.rt)] = record.geometry
    return data


def _row(
    record: Record,
    file: str,
    tahun: int | None,
    data: ProfilData,
    kecamatan: Sequence[Candidate],
    desa: Sequence[Candidate],
    negatives_as_zero: bool,
) -> tuple[ObservationRow | None, list[Problem]]:
    problems: list[Problem] = []

    def error(column: str, value: Any, reason: str, severity: str = "error") -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(file, record.row, column, shown, reason, severity))

    column, kode = record.get(*KODE_RTRW)
    key = parse_kode_rtrw(kode)
    if key is None:
        error(column, kode, _("not an RT key of the form 12345678-RT002-RW005"))
    resolution = _resolve(record, data, kecamatan, desa)
    if not resolution.resolved:
        kel_column, kel = record.get("Kelurahan")
        error(kel_column, kel, _("kelurahan not resolved: %(note)s") % {"note": resolution.note})
    elif resolution.method in GUESSES:
        kel_column, kel = record.get("Kelurahan")
        error(
            kel_column,
            kel,
            _("kelurahan guessed as %(name)s (%(code)s): check it")
            % {"name": resolution.desa_name, "code": resolution.kode_desa},
            "warning",
        )
    year = tahun if tahun is not None else _year(record)
    if year is None:
        sumber_column, sumber = record.get("Sumber")
        error(sumber_column, sumber, _("no year: give --tahun or a date in Sumber"))
    percents = _percents(record, error, negatives_as_zero)
    if key is None or year is None or resolution.kode_desa is None:
        return None, problems
    row = ObservationRow(
        file=file,
        row=record.row,
        kode_desa=resolution.kode_desa,
        lokasi=location_code(resolution.kode_desa),
        lokasi_name=f"{resolution.desa_name} (SIM KOTAKU)",
        rt=key.label,
        tahun=year,
        # The RT's area from its polygon (geodesic): what `luas_*` of the status layer counts.
        header={} if record.area_ha is None else {"luas_ha": _hectares(record.area_ha)},
        percents=percents,
        rule_set=RULE_SET_ID,
        source_ref=f"{file}#{key.kode_rtrw}",
    )
    return row, problems


def _other_kabupaten(record: Record, file: str, kabupaten: Candidate | None) -> list[Problem]:
    column, name = record.get("Kota_Kab", "Kab_Kota")
    text = str(name or "").strip()
    if kabupaten is None or not text:
        return []
    match = match_name(text, [kabupaten])
    if match.candidate is not None and match.method not in GUESSES:
        return []
    reason = _("not %(name)s, the region imported into (--region %(code)s)") % {
        "name": kabupaten.name,
        "code": kabupaten.code,
    }
    return [Problem(file, record.row, column, text, reason)]


def _hectares(area_ha: float) -> Decimal:
    return Decimal(str(round(area_ha, 4)))


def _resolve(
    record: Record, data: ProfilData, kecamatan: Sequence[Candidate], desa: Sequence[Candidate]
) -> Resolution:
    kec = str(record.get("Kecamatan")[1] or "").strip()
    kel = str(record.get("Kelurahan")[1] or "").strip()
    found = data.resolutions.get((kec, kel))
    if found is None:
        found = resolve_kawasan(0, kel, kec, kecamatan=kecamatan, desa=desa)
        data.resolutions[(kec, kel)] = found
    return found


def _year(record: Record) -> int | None:
    return sumber_year(record.get("Sumber")[1])


def sumber_year(text: Any) -> int | None:
    """The year of the date in a Sumber cell: "25-11-2020" or the download date "281120"
    (DDMMYY, a real date only); None when it has neither."""
    text = str(text or "")
    match = _SUMBER_DATE.search(text)
    if match:
        return int(match.group(1))
    for day, month, year in _SUMBER_DDMMYY.findall(text):
        try:
            return dt.date(2000 + int(year), int(month), int(day)).year
        except ValueError:
            continue
    return None


def _percents(
    record: Record, error: Callable[..., None], negatives_as_zero: bool
) -> dict[str, Decimal | None]:
    percents: dict[str, Decimal | None] = {}
    for code, name in PERCENT_COLUMNS.items():
        column, value = record.get(name)
        try:
            number = parse_number(value)
        except ValueError:
            error(column, value, _("not a number"))
            continue
        if number is None:
            error(column, value, _("empty percentage"))
            continue
        if number < 0 and negatives_as_zero:
            reason = _("negative percentage scored as 0, as SIM KOTAKU does")
            error(column, value, reason, "warning")
            number = Decimal(0)
        elif number < 0:
            error(column, value, _("negative percentage: a data error of SIM KOTAKU, not a score"))
            continue
        percents[code] = number
    return percents
