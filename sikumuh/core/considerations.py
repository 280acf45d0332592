"""Pertimbangan lain: the non-physical considerations scored beside the slum class.

Permen PUPR 14/2018 Lampiran (penilaian lokasi, pertimbangan lain) scores three things:
nilai strategis lokasi, kependudukan (population density) and kondisi sosial, ekonomi dan
budaya. Their sum (3–15) is banded tinggi / sedang / rendah and, with the class, sets the
handling priority. The bands 11–15 / 6–10 / 3–5 are common practice but not confirmed from the
regulation text (criteria.md §6), so they are data here, like every threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from sikumuh.core.decimals import hundredths_to_decimal, round_half_up, to_micro

#: Score when the location has a strategic function in the kabupaten/kota, else the low score.
STRATEGIC_SCORES = (5, 1)
#: Score when there is social, economic or cultural potential to develop or preserve, else low.
SOCIO_ECONOMIC_SCORES = (5, 1)


class CitySize(StrEnum):
    """City category that sets the density thresholds."""

    METROPOLITAN_BESAR = "metropolitan_besar"
    SEDANG_KECIL = "sedang_kecil"


#: Density (jiwa/ha) → score: the first band whose bound the density *exceeds*, else
#: :data:`DENSITY_FLOOR_SCORE`. Medium/small cities: ≤ 150 → 1, 151–200 → 3, > 200 → 5;
#: metropolitan/large cities: 151–400 → 3, > 400 → 5. A fractional density between 150 and
#: 151 counts as above 150 (the bounds are "more than", the table's 151 is its integer form).
DENSITY_BANDS: Mapping[CitySize, tuple[tuple[Decimal, int], ...]] = MappingProxyType(
    {
        CitySize.SEDANG_KECIL: ((Decimal(200), 5), (Decimal(150), 3)),
        CitySize.METROPOLITAN_BESAR: ((Decimal(400), 5), (Decimal(150), 3)),
    }
)
DENSITY_FLOOR_SCORE = 1


class ConsiderationBand(StrEnum):
    """Band of the pertimbangan lain total."""

    TINGGI = "tinggi"
    SEDANG = "sedang"
    RENDAH = "rendah"

    @property
    def label_id(self) -> str:
        """Indonesian label."""
        return self.value.capitalize()


#: (minimum total, band), highest first: 11–15 tinggi, 6–10 sedang, 3–5 rendah.
CONSIDERATION_BANDS: tuple[tuple[int, ConsiderationBand], ...] = (
    (11, ConsiderationBand.TINGGI),
    (6, ConsiderationBand.SEDANG),
    (3, ConsiderationBand.RENDAH),
)


def population_density(jumlah_penduduk: Decimal, luas_ha: Decimal) -> Decimal | None:
    """Jiwa per ha, rounded half-up to 2 dp (exact); None for a zero area."""
    area = to_micro(luas_ha)
    if area <= 0:
        return None
    hundredths = round_half_up(to_micro(jumlah_penduduk) * 100, area)
    return hundredths_to_decimal(hundredths)


def kependudukan_score(density: Decimal, city_size: CitySize = CitySize.SEDANG_KECIL) -> int:
    """Density score (1/3/5) for a density in jiwa/ha."""
    for bound, score in DENSITY_BANDS[city_size]:
        if density > bound:
            return score
    return DENSITY_FLOOR_SCORE


def consideration_band(total: int) -> ConsiderationBand:
    """Band of a pertimbangan lain total (3–15)."""
    for minimum, band in CONSIDERATION_BANDS:
        if total >= minimum:
            return band
    raise ValueError(f"pertimbangan lain total {total} below the lowest band")


@dataclass(frozen=True)
class PertimbanganLain:
    """The three consideration scores, their total and band."""

    nilai_strategis: int
    kependudukan: int
    sosial_ekonomi_budaya: int

    @property
    def total(self) -> int:
        """Sum of the three scores (3–15)."""
        return self.nilai_strategis + self.kependudukan + self.sosial_ekonomi_budaya

    @property
    def band(self) -> ConsiderationBand:
        """Tinggi / sedang / rendah."""
        return consideration_band(self.total)


def assess_pertimbangan_lain(
    *,
    strategic: bool,
    density: Decimal,
    socio_economic_potential: bool,
    city_size: CitySize = CitySize.SEDANG_KECIL,
) -> PertimbanganLain:
    """Score the three considerations of a location."""
    return PertimbanganLain(
        nilai_strategis=STRATEGIC_SCORES[0] if strategic else STRATEGIC_SCORES[1],
        kependudukan=kependudukan_score(density, city_size),
        sosial_ekonomi_budaya=(
            SOCIO_ECONOMIC_SCORES[0] if socio_economic_potential else SOCIO_ECONOMIC_SCORES[1]
        ),
    )
