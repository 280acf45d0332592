"""Synthetic data-collection records for the Tanah Laut demo: sosialisasi and FGD.

The report of 4 November 2021 says the baseline data collection was socialised in 7 kecamatan
and that FGDs were held in 35 of the 48 SK desa; `tanah_laut.generate` says which. Everything
else here (dates, places, participant counts, notes) is synthetic, made from the seed, and says
so in its notes. Pure: no Django; `sikumuh.demo.build` writes it through the fieldwork actions.

Dates: each kecamatan's sosialisasi falls between February and May 2021; its desa' FGDs follow
within three to twenty weeks (so by late October 2021 at the latest), i.e. before the spot check of
4 November 2021 that reports them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sikumuh.demo.tanah_laut import DemoData

SOSIALISASI_FROM = dt.date(2021, 2, 1)
SOSIALISASI_DAYS = 110  # up to late May 2021
FGD_LAST = dt.date(2021, 10, 29)  # the Friday before the uji petik of 4 November 2021
NOTE = "Data demo sintetis (sikumuh demo), bukan notulen resmi."


@dataclass(frozen=True)
class DemoSosialisasi:
    kecamatan_code: str
    date: dt.date
    place: str
    participants: int
    notes: str


@dataclass(frozen=True)
class DemoFgd:
    desa_code: str
    date: dt.date
    place: str
    participants: int
    notes: str
    delineation_agreed: bool


@dataclass(frozen=True)
class DemoFieldwork:
    sosialisasi: tuple[DemoSosialisasi, ...]
    fgd: tuple[DemoFgd, ...]


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Meetings are held on working days (Monday to Friday)."""
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def generate_fieldwork(data: DemoData) -> DemoFieldwork:
    """The sosialisasi of the 7 kecamatan and the FGDs of the 35 desa, from `data.seed`."""
    rng = random.Random(f"fieldwork:{data.seed}")
    kecamatan_names = {loc.kecamatan_code: loc.kecamatan_name for loc in data.locations}
    desa = {loc.desa_code: loc for loc in data.locations}
    sosialisasi: list[DemoSosialisasi] = []
    opened: dict[str, dt.date] = {}
    opening_days = _working_days(
        SOSIALISASI_FROM, SOSIALISASI_FROM + dt.timedelta(days=SOSIALISASI_DAYS)
    )
    for code in sorted(data.sosialisasi_kecamatan):
        date = rng.choice(opening_days)
        opened[code] = date
        name = kecamatan_names.get(code, code)
        sosialisasi.append(
            DemoSosialisasi(
                kecamatan_code=code,
                date=date,
                place=f"Aula Kantor Kecamatan {name}",
                participants=rng.randint(25, 60),
                notes=(
                    f"Sosialisasi pendataan baseline kumuh Kecamatan {name}: camat, kepala desa/"
                    f"lurah, BKM, tim fasilitator. {NOTE}"
                ),
            )
        )
    fgd: list[DemoFgd] = []
    for code in sorted(data.fgd_desa):
        location = desa[code]
        opened_on = opened[location.kecamatan_code]
        last = min(opened_on + dt.timedelta(weeks=20), FGD_LAST)
        date = rng.choice(_working_days(opened_on + dt.timedelta(weeks=3), last))
        agreed = rng.random() < 0.9
        fgd.append(
            DemoFgd(
                desa_code=code,
                date=date,
                place=f"Balai {location.desa_name}",
                participants=rng.randint(12, 35),
                notes=(
                    f"FGD delineasi dan data awal {location.name}: "
                    + ("delineasi disepakati. " if agreed else "delineasi belum disepakati. ")
                    + NOTE
                ),
                delineation_agreed=agreed,
            )
        )
    return DemoFieldwork(sosialisasi=tuple(sosialisasi), fgd=tuple(fgd))
