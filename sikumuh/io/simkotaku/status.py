"""The "Delineasi Kumuh Akhir" layer: its before figures checked against the product's own, and
its slum areas.

For each RT of the status layer, `skor_awal` (total score) and `kumuh_awal` (class as text, in
any case) are compared with what the engine computes from the profil layer's percentages (rule
set `permen-pupr-02-2016`); every difference is an error of the comparison.

`luas_awal` is not the RT's polygon area: in real exports it is the delineated slum area inside
the RT (44–82 % of the polygon in Kota Ambon, sometimes more than the polygon in Kebumen), a
Tidak Kumuh RT may have one, and 0.001 stands for "not measured". It is the area SIM KOTAKU's
slum hectares add up (Σ luas_awal of the kumuh RTs), so it becomes the RT-year's area
(`with_stated_areas`: the observation's `luas_ha`, which the slum figures count) instead of the
polygon's. It is only checked loosely: larger than the RT's polygon by more than 2 %, or a
placeholder below the export's precision, is a warning. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import SlumClass
from sikumuh.core.rows import ObservationRow
from sikumuh.io.simkotaku.layers import Layer, Record, merge_parts
from sikumuh.io.simkotaku.profil import KODE_RTRW, parse_kode_rtrw, parse_number
from sikumuh.surveys.scoring import score_values

#: Field spellings (Shapefile cuts names at 10 characters; other exports abbreviate).
SKOR_AWAL = ("skor_awal",)
LUAS_AWAL = ("luas_awal",)
KUMUH_AWAL = ("kumuh_awal", "kum_awal")
#: `luas_awal` may exceed the RT's polygon by this share before it is worth a warning: polygon
#: areas are never computed quite alike (planar UTM in the exports, geodesic here).
AREA_TOLERANCE = Decimal("0.02")
#: Below the export's precision (0.01 ha) an area is a placeholder ("0.001"), not a measure.
PLACEHOLDER_BELOW = Decimal("0.01")
ERROR, WARNING = "error", "warning"


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
    severity: str = ERROR  # a warning only draws attention (an area, an RT in parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "kode_rtrw": self.kode_rtrw,
            "column": self.column,
            "stated": self.stated,
            "computed": self.computed,
            "note": self.note,
            "severity": self.severity,
        }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def compare_status(layer: Layer, profil: dict[str, ObservationRow]) -> list[Difference]:
    """Every difference between the status layer's before figures and the product's.

    `profil` maps `Kode_RTRW` to the profil layer's valid rows. An RT of the status layer with no
    valid profil row is listed once (column `Kode_RTRW`, computed None); an RT given again with
    other figures is listed (the first one counts), one in several parts is a warning."""
    records, joined = merge_parts(layer.records, KODE_RTRW, layer.file)
    out = [
        Difference(p.file, p.row, p.value or "", p.column or "", p.value, None, p.reason, WARNING)
        for p in joined
    ]
    seen: dict[str, str] = {}
    for record in records:
        column, kode = record.get(*KODE_RTRW)
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
        if key.kode_rtrw in seen:
            note = _("the same RT as row %(row)s, with other figures") % {
                "row": seen[key.kode_rtrw]
            }
            out.append(
                Difference(layer.file, record.row, key.kode_rtrw, column, _text(kode), None, note)
            )
            continue
        seen[key.kode_rtrw] = record.row
        out.extend(
            Difference(layer.file, record.row, key.kode_rtrw, *found)
            for found in _differences(record, row)
        )
    return out


def stated_areas(layer: Layer) -> dict[str, Decimal]:
    """`luas_awal` of each RT of the status layer (its first record), by `Kode_RTRW`; an RT
    without a usable one (empty, not a number, negative) is left out."""
    areas: dict[str, Decimal] = {}
    for record in layer.records:
        key = parse_kode_rtrw(record.get(*KODE_RTRW)[1])
        area = _number(record.get(*LUAS_AWAL)[1])
        if key is not None and area is not None and area >= 0:
            areas.setdefault(key.kode_rtrw, area)
    return areas


def with_stated_areas(
    rows: list[ObservationRow], areas: dict[str, Decimal]
) -> list[ObservationRow]:
    """`rows` with the status layer's `luas_awal` as each RT's area (`luas_ha`), where it gives
    one; the others keep their polygon's area (or none)."""
    out = []
    for row in rows:
        area = areas.get(row.source_ref.rsplit("#", 1)[-1])
        out.append(row if area is None else replace(row, header={**row.header, "luas_ha": area}))
    return out


def _differences(
    record: Record, row: ObservationRow
) -> list[tuple[str, str | None, str | None, str, str]]:
    """``(column, stated, computed, note, severity)`` of each before figure of `record` the
    product does not reproduce from `row`, and of each doubtful area."""
    result = score_values(
        header=row.header, volumes={}, percents=row.percents, rule_set_id=row.rule_set
    )
    out: list[tuple[str, str | None, str | None, str, str]] = []
    skor_column, skor = record.get(*SKOR_AWAL)
    if _number(skor) is None or _number(skor) != result.total:
        out.append((skor_column, _text(skor), _text(result.total), "", ERROR))
    kumuh_column, kumuh = record.get(*KUMUH_AWAL)
    if result.klass is None or slum_class(kumuh) is not result.klass:
        computed = None if result.klass is None else str(result.klass)
        out.append((kumuh_column, _text(kumuh), computed, "", ERROR))
    luas_column, stated = record.get(*LUAS_AWAL)
    number = _number(stated)
    if number is None or number < 0:
        note = _("not an area: the RT keeps its outline's area")
        out.append((luas_column, _text(stated), None, note, ERROR))
        return out
    if 0 < number < PLACEHOLDER_BELOW:
        note = _("a placeholder, not a measured area; counted as given")
        out.append((luas_column, _text(stated), None, note, WARNING))
    polygon = row.header.get("luas_ha")
    if polygon is not None and number > polygon * (1 + AREA_TOLERANCE):
        note = _("larger than the RT's outline")
        out.append((luas_column, _text(stated), _text(polygon), note, WARNING))
    return out


def _number(value: Any) -> Decimal | None:
    try:
        return parse_number(value)
    except ValueError:
        return None
