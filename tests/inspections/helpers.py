"""Builders for uji petik tests: a small population of works in three desa of Tanah Laut."""

from __future__ import annotations

from decimal import Decimal

from sikumuh.inspections.actions.sample import draw_sample
from sikumuh.inspections.models import UjiPetik
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.actions import save_observation
from tests.factories import ACTOR, header, location, rt, volumes_at

SARANG_HALANG = "63.01.03.1001"  # Pelaihari; the facilitator persona's desa
PELAIHARI_OTHER = "63.01.03.1002"  # Pelaihari
SUNGAI_BAKAR = "63.01.10.2002"  # Bajuin

#: (desa, criterion, fiscal year, how many works): 6 + 4 + 5 = 15 works in 2021, 2 in 2020.
DEFAULT_WORKS = (
    (SARANG_HALANG, "2a", 2021, 4),
    (SARANG_HALANG, "4b", 2021, 2),
    (PELAIHARI_OTHER, "2a", 2021, 4),
    (SUNGAI_BAKAR, "4b", 2021, 5),
    (SUNGAI_BAKAR, "4b", 2020, 2),
)


def build_works(
    spec: tuple[tuple[str, str, int, int], ...] = DEFAULT_WORKS, *, observations: bool = True
) -> list[Investment]:
    """One location and RT per desa (with RT data for 2021), and the works of `spec`."""
    units: dict[str, RtUnit] = {}
    works = []
    for number, (desa, criterion, tahun, count) in enumerate(spec):
        if desa not in units:
            loc = Location.objects.filter(desa_id=desa).first() or location(
                f"L-{len(units) + 1:02d}", desa
            )
            units[desa] = rt(loc, "001")
            if observations:
                h = header("1.50")
                save_observation(
                    actor=ACTOR, rt=units[desa], tahun=2021, header=h, volumes=volumes_at("0.5", h)
                )
        unit = units[desa]
        for k in range(count):
            works.append(
                Investment.objects.create(
                    location=unit.location,
                    rt=unit,
                    criterion=criterion,
                    tahun=tahun,
                    activity=f"Kegiatan {criterion} {number}-{k}",
                    volume=Decimal(100 + k),
                    unit="m",
                    funding_source="apbn",
                    cost=Decimal(1_000_000 * (k + 1)),
                    source_ref=f"test:{desa}/{criterion}/{tahun}/{k}",
                )
            )
    return works


def draw(n: int = 6, seed: int = 42, **kwargs: object) -> UjiPetik:
    params: dict[str, object] = {
        "actor": ACTOR,
        "kabupaten": Region.objects.get(code="63.01"),
        "tahun": [2021],
        "n": n,
        "seed": seed,
        "strata_fields": ["kecamatan", "aspect"],
    }
    params.update(kwargs)
    return draw_sample(**params)  # type: ignore[arg-type]
