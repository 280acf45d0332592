"""Progress of the data collection in a region: sosialisasi per kecamatan, FGD per desa.

The base of the FGD figure is the desa list of the SK Kumuh in force (the latest SK of each
kabupaten: highest year, then last registered), as the Pokja reports it: "FGD 35 dari 48 desa
dalam SK (72,9 %)". FGDs held in desa outside that list are counted apart, never in the
percentage. Sosialisasi is counted per kecamatan, against both the kecamatan that hold SK desa
and all kecamatan of the region. Four queries, whatever the size of the region (tests pin it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, Subquery

from sikumuh.fieldwork.models import Fgd, Sosialisasi
from sikumuh.regions.codes import NATIONAL, inside
from sikumuh.regions.models import Level, Region, code_at_level, level_of
from sikumuh.slums.models import SkDecree, SkLocation


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in %, one decimal, half up (35/48 → 72.9), None without a base."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class DesaProgress:
    code: str
    name: str
    in_sk: bool
    fgds: list[Fgd] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.fgds)

    @property
    def delineation_agreed(self) -> bool:
        return any(f.delineation_agreed for f in self.fgds)


@dataclass
class KecamatanProgress:
    code: str
    name: str
    sosialisasi: list[Sosialisasi] = field(default_factory=list)
    desa: list[DesaProgress] = field(default_factory=list)

    @property
    def sk_desa(self) -> int:
        return sum(1 for d in self.desa if d.in_sk)

    @property
    def fgd_sk_desa(self) -> int:
        return sum(1 for d in self.desa if d.in_sk and d.held)


@dataclass
class FieldworkProgress:
    code: str
    sk_decrees: list[str]
    sk_desa: int
    fgd_sk_desa: int
    fgd_other_desa: int
    delineation_agreed_sk_desa: int
    sosialisasi_kecamatan: int
    sk_kecamatan: int
    sosialisasi_sk_kecamatan: int
    all_kecamatan: int
    kecamatan: list[KecamatanProgress]

    @property
    def fgd_percent(self) -> Decimal | None:
        return percent(self.fgd_sk_desa, self.sk_desa)

    @property
    def sosialisasi_percent(self) -> Decimal | None:
        return percent(self.sosialisasi_sk_kecamatan, self.sk_kecamatan)


def _decree_filter(code: str) -> Q:
    """Decrees of the kabupaten holding `code`, or of every kabupaten inside a province."""
    if code == NATIONAL:
        return Q()
    if level_of(code) == Level.PROVINSI:
        return Q(decree__kabupaten__code__startswith=code + ".")
    return Q(decree__kabupaten_id=code[:5])


def fieldwork_progress(code: str) -> FieldworkProgress:
    """The progress inside region `code` (the caller has checked the reader may see it)."""
    latest = (
        SkDecree.objects.filter(kabupaten_id=OuterRef("decree__kabupaten_id"))
        .order_by("-year", "-id")
        .values("pk")[:1]
    )
    sk_rows = list(
        SkLocation.objects.filter(
            _decree_filter(code),
            inside(code, "location__desa__code"),
            decree_id=Subquery(latest),
        )
        .values_list("location__desa_id", "decree__number", "decree__year")
        .distinct()
    )
    sk_desa = {desa for desa, _, _ in sk_rows}
    decrees = sorted({f"SK {number} ({year})" for _, number, year in sk_rows})
    fgds = list(Fgd.objects.filter(inside(code, "desa__code")).order_by("desa_id", "date", "id"))
    sosialisasi = list(
        Sosialisasi.objects.filter(inside(code, "kecamatan__code")).order_by(
            "kecamatan_id", "date", "id"
        )
    )
    desa_codes = sk_desa | {f.desa_id for f in fgds}
    parents = {code_at_level(d, Level.KECAMATAN) for d in desa_codes} - {None}
    regions = {
        r.code: r
        for r in Region.objects.filter(
            (Q(level=Level.KECAMATAN) & inside(code, "code")) | Q(code__in=desa_codes | parents)
        ).only("code", "name", "level")
    }

    kecamatan: dict[str, KecamatanProgress] = {
        c: KecamatanProgress(c, r.name) for c, r in regions.items() if r.level == Level.KECAMATAN
    }
    for s in sosialisasi:
        kecamatan.setdefault(s.kecamatan_id, KecamatanProgress(s.kecamatan_id, s.kecamatan_id))
        kecamatan[s.kecamatan_id].sosialisasi.append(s)
    fgd_by_desa: dict[str, list[Fgd]] = defaultdict(list)
    for f in fgds:
        fgd_by_desa[f.desa_id].append(f)
    for desa in sorted(desa_codes):
        parent = code_at_level(desa, Level.KECAMATAN) or ""
        region = regions.get(desa)
        row = DesaProgress(
            desa, region.name if region else desa, desa in sk_desa, fgd_by_desa.get(desa, [])
        )
        kecamatan.setdefault(parent, KecamatanProgress(parent, parent)).desa.append(row)
    rows = [kecamatan[c] for c in sorted(kecamatan)]
    # Only the kecamatan inside the region count (a desa page lists its kecamatan as a heading).
    counted = [k for k in rows if code in (NATIONAL, k.code) or k.code.startswith(code + ".")]
    all_desa = [d for k in rows for d in k.desa]
    return FieldworkProgress(
        code=code,
        sk_decrees=decrees,
        sk_desa=sum(1 for d in all_desa if d.in_sk),
        fgd_sk_desa=sum(1 for d in all_desa if d.in_sk and d.held),
        fgd_other_desa=sum(1 for d in all_desa if not d.in_sk and d.held),
        delineation_agreed_sk_desa=sum(1 for d in all_desa if d.in_sk and d.delineation_agreed),
        sosialisasi_kecamatan=sum(1 for k in counted if k.sosialisasi),
        sk_kecamatan=sum(1 for k in counted if k.sk_desa),
        sosialisasi_sk_kecamatan=sum(1 for k in counted if k.sk_desa and k.sosialisasi),
        all_kecamatan=len(counted),
        kecamatan=rows,
    )
