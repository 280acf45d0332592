"""From a score to a decision: status removal, handling pattern, priority, responsibility.

Permen PUPR 14/2018 Lampiran (penilaian lokasi) combines the slum class with *pertimbangan lain*
(see :mod:`sikumuh.core.considerations`) and *legalitas lahan* to choose the handling pattern
(pola penanganan) and the priority. Every threshold here is data (a module constant), so a
regulation change is a one-line edit with a test beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from sikumuh.core.considerations import ConsiderationBand
from sikumuh.core.criteria import RuleSet, SlumClass
from sikumuh.core.decimals import (
    decimal_to_hundredths,
    hundredths_to_decimal,
    mean_hundredths,
    to_decimal6,
)

# --- Status removal (hapus status kumuh) -------------------------------------------------------

#: Basic services (pelayanan dasar) and the aspect whose criteria measure each (criteria.md §5).
#: Defined by aspect, so the 2016 rule set's extra drainage/solid-waste criteria count too.
BASIC_SERVICE_ASPECTS: Mapping[str, int] = MappingProxyType(
    {"jalan": 2, "air_minum": 3, "drainase": 4, "air_limbah": 5, "persampahan": 6}
)
#: Programme guidance: each basic service above 80 % coverage (strictly above).
SERVICE_COVERAGE_MIN = Decimal("80")


@dataclass(frozen=True)
class RemovalEligibility:
    """Whether a location may leave the SK list, by score and by basic-service coverage.

    ``eligible_by_score`` is the regulation's condition (class Tidak Kumuh: total below 16 in
    2018). ``services_above_min`` is the programme's extra condition, shown beside it.
    """

    klass: SlumClass | None
    eligible_by_score: bool
    coverage: dict[str, Decimal | None]
    services_above_min: bool

    @property
    def eligible_with_services(self) -> bool:
        """Both conditions met."""
        return self.eligible_by_score and self.services_above_min


def service_coverage(
    service: str, percents: Mapping[str, Decimal | None], rule_set: RuleSet
) -> Decimal | None:
    """Coverage of a basic service: 100 − mean of its criteria's percentages (each capped 0–100).

    The product's definition: the criteria measure the share *not* served, so their mean is the
    unserved share and its complement the coverage (2 dp, half-up). None if one is unknown.
    """
    criteria = rule_set.aspects[BASIC_SERVICE_ASPECTS[service]]
    values = [percents.get(c.code) for c in criteria]
    if any(v is None for v in values):
        return None
    capped = [min(max(decimal_to_hundredths(v), 0), 10000) for v in values if v is not None]
    return hundredths_to_decimal(10000 - mean_hundredths(capped))


def removal_eligibility(
    total: int | None, rule_set: RuleSet, basic_service_percents: Mapping[str, Decimal | None]
) -> RemovalEligibility:
    """Removal conditions for a unit's total and per-criterion percentages (``UnitResult``)."""
    klass = None if total is None else rule_set.class_for_total(total)
    coverage = {
        s: service_coverage(s, basic_service_percents, rule_set) for s in BASIC_SERVICE_ASPECTS
    }
    above = all(c is not None and c > SERVICE_COVERAGE_MIN for c in coverage.values())
    return RemovalEligibility(klass, klass is SlumClass.TIDAK_KUMUH, coverage, above)


# --- Legalitas lahan and pola penanganan -------------------------------------------------------


@dataclass(frozen=True)
class LandLegality:
    """Legalitas lahan: (a) clear land tenure, (b) conformity with the spatial plan (RTR)."""

    tenure_clear: bool
    rtr_conform: bool

    @property
    def legal(self) -> bool:
        """Legal only when both are + (Permen PUPR 14/2018, penilaian legalitas lahan)."""
        return self.tenure_clear and self.rtr_conform


class HandlingPattern(StrEnum):
    """Pola penanganan (Permen PUPR 14/2018, pola-pola penanganan peningkatan kualitas)."""

    PEREMAJAAN = "peremajaan"
    PEMUGARAN = "pemugaran"
    PEMUKIMAN_KEMBALI = "pemukiman_kembali"
    PENCEGAHAN = "pencegahan"

    @property
    def label_id(self) -> str:
        """Indonesian label."""
        return self.value.replace("_", " ").title()


#: Class × legal → pattern (criteria.md §6). A location that is not legal is resettled whatever
#: its class; Tidak Kumuh needs no upgrading, only prevention (pencegahan).
HANDLING_PATTERNS: Mapping[tuple[SlumClass, bool], HandlingPattern] = MappingProxyType(
    {
        (SlumClass.BERAT, True): HandlingPattern.PEREMAJAAN,
        (SlumClass.BERAT, False): HandlingPattern.PEMUKIMAN_KEMBALI,
        (SlumClass.SEDANG, True): HandlingPattern.PEREMAJAAN,
        (SlumClass.SEDANG, False): HandlingPattern.PEMUKIMAN_KEMBALI,
        (SlumClass.RINGAN, True): HandlingPattern.PEMUGARAN,
        (SlumClass.RINGAN, False): HandlingPattern.PEMUKIMAN_KEMBALI,
        (SlumClass.TIDAK_KUMUH, True): HandlingPattern.PENCEGAHAN,
        (SlumClass.TIDAK_KUMUH, False): HandlingPattern.PENCEGAHAN,
    }
)


def handling_pattern(klass: SlumClass, legality: LandLegality | bool) -> HandlingPattern:
    """The handling pattern for a class and land legality."""
    legal = legality.legal if isinstance(legality, LandLegality) else legality
    return HANDLING_PATTERNS[(klass, legal)]


# --- Priority ----------------------------------------------------------------------------------

#: Priority order: class first (berat before sedang before ringan), then pertimbangan lain.
PRIORITY_CLASS_ORDER = (SlumClass.BERAT, SlumClass.SEDANG, SlumClass.RINGAN)
PRIORITY_BAND_ORDER = (ConsiderationBand.TINGGI, ConsiderationBand.SEDANG, ConsiderationBand.RENDAH)
#: (class, band) → priority 1 (berat + tinggi) … 9 (ringan + rendah).
PRIORITIES: Mapping[tuple[SlumClass, ConsiderationBand], int] = MappingProxyType(
    {
        (klass, band): i * len(PRIORITY_BAND_ORDER) + j + 1
        for i, klass in enumerate(PRIORITY_CLASS_ORDER)
        for j, band in enumerate(PRIORITY_BAND_ORDER)
    }
)


def priority(klass: SlumClass, band: ConsiderationBand) -> int | None:
    """Handling priority 1–9 of a slum location; None for Tidak Kumuh (not on the list)."""
    return PRIORITIES.get((klass, band))


# --- Kewenangan --------------------------------------------------------------------------------


class Authority(StrEnum):
    """Which government handles a location, by area (UU 23/2014 Lampiran, urusan PKP)."""

    KABUPATEN_KOTA = "kabupaten_kota"
    PROVINSI = "provinsi"
    PUSAT = "pusat"

    @property
    def label_id(self) -> str:
        """Indonesian label."""
        return _AUTHORITY_LABELS[self]


_AUTHORITY_LABELS = {
    Authority.KABUPATEN_KOTA: "Pemerintah Kabupaten/Kota",
    Authority.PROVINSI: "Pemerintah Provinsi",
    Authority.PUSAT: "Pemerintah Pusat",
}

#: UU 23/2014 Lampiran D (urusan perumahan dan kawasan permukiman, sub-urusan kawasan
#: permukiman): slum areas "di bawah 10 ha" → kabupaten/kota; "10 ha sampai dengan di bawah
#: 15 ha" → provinsi; "15 ha atau lebih" → pusat. criteria.md §6 writes this as < 10 / 10–15 /
#: > 15; the law's wording settles the boundaries: exactly 10 ha → provinsi, exactly 15 → pusat.
PROVINSI_MIN_HA = Decimal("10")  # inclusive
PUSAT_MIN_HA = Decimal("15")  # inclusive


def authority_for_area(luas_ha: Decimal) -> Authority:
    """Kewenangan of a location of this area (ha, quantized to 6 dp first)."""
    area = to_decimal6(luas_ha)
    if area is None or area < 0:
        raise ValueError(f"not a location area: {luas_ha!r}")
    if area >= PUSAT_MIN_HA:
        return Authority.PUSAT
    if area >= PROVINSI_MIN_HA:
        return Authority.PROVINSI
    return Authority.KABUPATEN_KOTA


# --- Typology ----------------------------------------------------------------------------------


class Typology(StrEnum):
    """Tipologi permukiman kumuh (Permen PUPR 14/2018, by geographic position)."""

    DI_ATAS_AIR = "di_atas_air"
    DI_TEPI_AIR = "di_tepi_air"
    DI_DATARAN_RENDAH = "di_dataran_rendah"
    DI_PERBUKITAN = "di_perbukitan"
    DI_DAERAH_RAWAN_BENCANA = "di_daerah_rawan_bencana"

    @property
    def label_id(self) -> str:
        """Indonesian label: "Di atas air", …"""
        return self.value.replace("_", " ").capitalize()
