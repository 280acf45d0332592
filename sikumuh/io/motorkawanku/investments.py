"""Reading `investasi.json` (with the unit catalogue of `kriteria.json`) into investment rows.

Facts of the Pekalongan export this handles (README and our own reading of the file):

* `idRTRW` is usually an rtrw id, but 48 records give an RT *label* ("RT002-RW006"), most of
  them of RTs outside the kawasan's delineated RTs. A label found among the kawasan's RTs is
  that RT; any other label is kept as an investment in the location as a whole (rt empty), with
  a warning: the money was spent there, only the RT is not one the product tracks.
* An rtrw id whose RT belongs to another kawasan than `idKawasan` contradicts itself: error.
* `volume` is in the criterion's unit; the unit comes from `kriteria.json`
  (`kegiatanInvestasi[].satuan`: Meter, Ha, KK, Unit), stored as the engine's unit names
  (m, ha, KK, unit); a catalogue unit that disagrees with the criterion's is a warning.
* `sumberAnggaran` is free text ("APBD II (KOTA/KAB)", "DANA KELURAHAN / ADK / APBD KEL",
  "SWADAYA", ...); it is mapped to the product's funding sources, unknown text to "lainnya"
  with a warning. `anggaran` is Rupiah; "" or absent is unknown (None), 0 is kept as 0 (the
  export does not tell "free" from "not filled in").
* A criterion the 2018 rule set does not have (three records give "4d", a Permen 02/2016
  criterion) is rejected by `import_investments`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sikumuh.core.criteria import get_rule_set
from sikumuh.core.decimals import to_decimal6
from sikumuh.core.rows import InvestmentRow, Problem
from sikumuh.investments.models import FundingSource
from sikumuh.io.investment_file import UNITS as _UNITS

if TYPE_CHECKING:
    from sikumuh.io.motorkawanku.reader import MotorkawankuData

FILE = "investasi.json"


def funding_source(text: str) -> str | None:
    """The funding source of a `sumberAnggaran` text, "" when blank, None when unknown.

    Dana Kelurahan is budgeted through the kota's APBD, but programme reports show it apart,
    beside Dana Desa (the same neighbourhood-level money in a desa): it maps to ``dana_desa``.
    """
    words = text.upper()
    if not words.strip():
        return ""
    rules = (
        (("APBN",), FundingSource.APBN),
        (("KELURAHAN", "DESA", "ADK"), FundingSource.DANA_DESA),
        (("PROVINSI", "APBD I "), FundingSource.APBD_PROVINSI),
        (("APBD",), FundingSource.APBD),
        (("SWADAYA",), FundingSource.SWADAYA),
        (("CSR",), FundingSource.CSR),
    )
    for keys, source in rules:
        if any(k in words for k in keys):
            return str(source)
    return None


def read_catalogue(catalogue: Any) -> dict[str, tuple[str, frozenset[str]]]:
    """criterion → (satuan, activities) from `kriteria.json`; {} when absent or malformed."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    entries = catalogue.get("kegiatanInvestasi") if isinstance(catalogue, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        activities = frozenset(str(a).strip() for a in entry.get("kegiatan") or [])
        for code in entry.get("kriteria") or []:
            out[str(code)] = (str(entry.get("satuan") or ""), activities)
    return out


def read_investments(
    records: list[dict[str, Any]], catalogue: Any, data: MotorkawankuData
) -> tuple[list[InvestmentRow], list[Problem]]:
    """Investment rows of the records that can be placed, and a problem for every doubt."""
    units = {c.code: c.unit for c in get_rule_set("permen-pupr-14-2018").criteria}
    catalogue_of = read_catalogue(catalogue)
    labels: dict[int, dict[str, str]] = defaultdict(dict)
    for known in data.rts.values():
        labels[known.kawasan_id][known.label.upper()] = known.label
    problems: list[Problem] = []
    rows: list[InvestmentRow] = []
    if catalogue is None:
        problems.append(
            Problem(
                "kriteria.json",
                "-",
                None,
                None,
                "no kriteria.json: investment units left empty",
                "warning",
            )
        )
    for index, record in enumerate(records, start=1):
        rid = record.get("id")
        row = str(rid) if isinstance(rid, int) else f"[{index}]"

        def problem(
            column: str, value: Any, reason: str, severity: str = "error", row: str = row
        ) -> None:
            problems.append(
                Problem(FILE, row, column, None if value is None else str(value), reason, severity)
            )

        kid, tahun, criterion = (
            record.get("idKawasan"),
            record.get("tahun"),
            record.get("idKriteria"),
        )
        kawasan = data.kawasan.get(kid) if isinstance(kid, int) else None
        if kawasan is None:
            problem("idKawasan", kid, "kawasan id not in kawasan.json")
            continue
        if not isinstance(tahun, int):
            problem("tahun", tahun, "not a year")
            continue
        try:
            volume = to_decimal6(record.get("volume"))
        except (TypeError, ValueError):
            volume = None
        if volume is None:
            problem("volume", record.get("volume"), "missing or not a number")
            continue
        rt_ref = record.get("idRTRW")
        rt_label: str | None = None
        if isinstance(rt_ref, int) or (isinstance(rt_ref, str) and rt_ref.strip().isdigit()):
            rt = data.rts.get(int(rt_ref))
            if rt is None:
                problem("idRTRW", rt_ref, "RT id not in rtrw.json")
                continue
            if rt.kawasan_id != kawasan.id:
                problem(
                    "idRTRW",
                    rt_ref,
                    f"RT id {rt.id} ({rt.label}) belongs to kawasan "
                    f"{rt.kawasan_id}, not to idKawasan {kawasan.id}",
                )
                continue
            rt_label = rt.label
        elif isinstance(rt_ref, str) and rt_ref.strip():
            rt_label = labels[kawasan.id].get(rt_ref.strip().upper())
            if rt_label is None:
                problem(
                    "idRTRW",
                    rt_ref,
                    f"RT label is not one of kawasan {kawasan.id} "
                    f"{kawasan.name}'s RTs; stored against the location as a whole",
                    "warning",
                )
        code = str(criterion or "").strip()
        activity = str(record.get("kegiatan") or "").strip()
        satuan, activities = catalogue_of.get(code, ("", frozenset()))
        unit = _UNITS.get(satuan.strip().lower(), satuan.strip())
        if code in units and satuan and unit != units[code]:
            problem(
                "idKriteria",
                code,
                f"the catalogue's unit {satuan!r} is not the criterion's unit {units[code]!r}",
                "warning",
            )
        if code in catalogue_of and activity not in activities:
            problem("kegiatan", activity, f"activity not in the catalogue for {code}", "warning")
        text = str(record.get("sumberAnggaran") or "")
        source = funding_source(text)
        if source is None:
            problem(
                "sumberAnggaran", text, "unknown funding source; stored as 'lainnya'", "warning"
            )
            source = str(FundingSource.LAINNYA)
        cost_raw = record.get("anggaran")
        try:
            cost = None if cost_raw in (None, "") else to_decimal6(cost_raw)
        except (TypeError, ValueError):
            problem("anggaran", cost_raw, "not a number; cost left unknown", "warning")
            cost = None
        rows.append(
            InvestmentRow(
                file=FILE,
                row=row,
                kabupaten_code=data.region_code,
                lokasi=kawasan.code,
                rt=rt_label,
                criterion=code,
                tahun=tahun,
                activity=activity,
                volume=volume,
                unit=unit,
                funding_source=source,
                cost=None if cost is None else Decimal(cost),
                source_ref=f"{FILE}#{rid}" if isinstance(rid, int) else "",
            )
        )
    return rows, problems
