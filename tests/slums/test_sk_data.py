"""Hand-made SK versions shared by the SK registry tests (no test here, only builders).

Version 1 (2016): SK-A 4.95 ha (Sarang Halang), SK-B 3.00 ha (Karang Taruna), SK-C 12.50 ha
(Sungai Bakar). Version 2 (2021) keeps A, shrinks B to 2.50 ha, drops C and adds SK-D 1.25 ha
(Sarang Halang): 20.45 ha → 8.70 ha. The facilitator persona (editor of Sarang Halang) sees
only A and D.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree, new_decree_version
from sikumuh.slums.models import Location, SkDecree
from tests.factories import ACTOR, location

SARANG_HALANG = "63.01.03.1001"
KARANG_TARUNA = "63.01.03.1002"
SUNGAI_BAKAR = "63.01.10.2002"


@dataclass(frozen=True)
class Versions:
    v1: SkDecree
    v2: SkDecree
    a: Location
    b: Location
    c: Location
    d: Location


def first_version() -> tuple[SkDecree, dict[str, Location]]:
    places = {
        "a": location("SK-A", SARANG_HALANG),
        "b": location("SK-B", KARANG_TARUNA),
        "c": location("SK-C", SUNGAI_BAKAR),
        "d": location("SK-D", SARANG_HALANG),
    }
    v1 = create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="188.45/050/2016",
        year=2016,
        title="Penetapan lokasi kumuh 2016",
        entries=[
            (places["a"], Decimal("4.95")),
            (places["b"], Decimal("3.00")),
            (places["c"], Decimal("12.50")),
        ],
    )
    return v1, places


def two_versions() -> Versions:
    v1, places = first_version()
    v2 = new_decree_version(
        actor=ACTOR,
        previous=v1,
        number="188.45/120/2021",
        year=2021,
        entries=[
            (places["a"], Decimal("4.95")),
            (places["b"], Decimal("2.50")),
            (places["d"], Decimal("1.25")),
        ],
    )
    return Versions(v1=v1, v2=v2, **places)
