"""Small builders for test data: readable, explicit, no magic."""

from __future__ import annotations

from decimal import Decimal

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, get_rule_set
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_location
from sikumuh.slums.models import Location, RtUnit

ACTOR = Actor.system("test")

HEADER: dict[str, Decimal | None] = {
    "luas_ha": Decimal("1.5"),
    "jumlah_bangunan": Decimal(50),
    "jumlah_penduduk": Decimal(200),
    "jumlah_kk": Decimal(60),
    "panjang_jalan_ideal_m": Decimal(780),
    "panjang_drainase_ideal_m": Decimal(385),
}


def volumes_at(
    share: str, header: dict[str, Decimal | None] | None = None, rule_set: str = DEFAULT_RULE_SET_ID
) -> dict[str, Decimal | None]:
    """Every criterion's volume at `share` of its denominator ("0.5" → 50.00 % → score 1)."""
    header = header or HEADER
    result: dict[str, Decimal | None] = {}
    for criterion in get_rule_set(rule_set).criteria:
        denominator = header[criterion.denominator]
        assert denominator is not None
        result[criterion.code] = denominator * Decimal(share)
    return result


def location(code: str = "L-01", desa: str = "63.01.03.1001") -> Location:
    desa_region = Region.objects.get(code=desa)
    return create_location(
        actor=ACTOR,
        kabupaten=Region.objects.get(code=desa[:5]),
        code=code,
        name=f"Lokasi {code}",
        desa=desa_region,
    )


def rt(loc: Location, number: str = "001", desa: str | None = None) -> RtUnit:
    return RtUnit.objects.create(location=loc, desa_id=desa or loc.desa_id, rt=number)


def header(luas: str) -> dict[str, Decimal | None]:
    return {**HEADER, "luas_ha": Decimal(luas)}
