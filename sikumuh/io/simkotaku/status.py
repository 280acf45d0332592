"""The "Delineasi Kumuh Akhir" layer: its before figures checked against the product's own.

For each RT of the status layer, `skor_awal` (total score), `kumuh_awal` (class as text, in any
case) and `luas_awal` (slum hectares, 0 when Tidak Kumuh) are compared with what the engine
computes from the profil layer's percentages (rule set `permen-pupr-02-2016`) and the RT's
polygon area. Every difference is listed; nothing of this layer is stored. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import SlumClass
from sikumuh.core.rows import ObservationRow
from sikumuh.io.simkotaku.layers import Layer, Record
from sikumuh.io.simkotaku.profil import parse_kode_rtrw, parse_number
from sikumuh.surveys.scoring import score_values

#: Field spellings (Shapefile cuts names at 10 characters; other exports abbreviate).
SKOR_AWAL = ("skor_awal",)
LUAS_AWAL = ("luas_awal",)
KUMUH_AWAL = ("kumuh_awal", "kum_awal")
#: A stated area differs when it is off by more than this share of the computed one (and more
#: than 0.01 ha, the export's precision): polygon areas are never computed quite alike.
AREA_TOLERANCE = Decimal("0.02")


def slum_class(text: Any) -> SlumClass | None:
    """ "Kumuh Ringan", "KUMUH SEDANG", "tidak_kumuh" → the class; None when not a class."""
    key = "_".join(str(text or "").lower().replace("_", " ").split())
    try:
        return SlumClass(key)
    except ValueError:
        return None


@dataclass(frozen=True)
class Difference:
    file: str
    row: str
    kode_rtrw: str
    column: str
    stated: str | None
    computed: str | None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "kode_rtrw": self.kode_rtrw,
            "column": self.column,
            "stated": self.stated,
            "computed": self.computed,
            "note": self.note,
        }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def compare_status(layer: Layer, profil: dict[str, ObservationRow]) -> list[Difference]:
    """Every difference between the status layer's before figures and the product's.

    `profil` maps `Kode_RTRW` to the profil layer's valid rows. An RT of the status layer with no
    valid profil row is listed once (column `Kode_RTRW`, computed None)."""
    out: list[Difference] = []
    for record in layer.records:
        column, kode = record.get("Kode_RTRW", "Kode")
        key = parse_kode_rtrw(kode)
        row = profil.get(key.kode_rtrw) if key else None
        if row is None or key is None:
            note = _("no valid RT of this key in the profil layer")
            out.append(
                Difference(
                    layer.file, record.row, _text(kode) or "", column, _text(kode), None, note
                )
            )
            continue
        out.extend(
            Difference(layer.file, record.row, key.kode_rtrw, column, _text(stated), computed)
            for column, stated, computed in _differences(record, row)
        )
    return out


def _differences(record: Record, row: ObservationRow) -> list[tuple[str, Any, str | None]]:
    """``(column, stated, computed)`` of each before figure of `record` the product does not
    reproduce from `row`."""
    result = score_values(
        header=row.header, volumes={}, percents=row.percents, rule_set_id=row.rule_set
    )
    out: list[tuple[str, Any, str | None]] = []
    skor_column, skor = record.get(*SKOR_AWAL)
    if _number(skor) is None or _number(skor) != result.total:
        out.append((skor_column, skor, _text(result.total)))
    kumuh_column, kumuh = record.get(*KUMUH_AWAL)
    if result.klass is None or slum_class(kumuh) is not result.klass:
        out.append((kumuh_column, kumuh, None if result.klass is None else str(result.klass)))
    luas = row.header.get("luas_ha")
    if luas is None or result.klass is None:
        return out  # no polygon (a CSV) or no class: the area cannot be checked
    computed = Decimal(0) if result.klass is SlumClass.TIDAK_KUMUH else luas
    luas_column, stated = record.get(*LUAS_AWAL)
    number = _number(stated)
    tolerance = max(Decimal("0.01"), AREA_TOLERANCE * computed)
    if number is None or abs(number - computed) > tolerance:
        out.append((luas_column, stated, _text(computed)))
    return out


def _number(value: Any) -> Decimal | None:
    try:
        return parse_number(value)
    except ValueError:
        return None
