"""The catalogue of slum criteria and the rule sets that score them.

A *rule set* is the data of one regulation: its criteria (code, aspect, name, denominator), the
percentage → score bands and the total → class bands. Every stored score records the id of the
rule set that produced it, because data scored under Permen PUPR 02/PRT/M/2016 (19 criteria,
max 95) must keep that rule set after Permen PUPR 14/PRT/M/2018 (16 criteria, max 80) replaced it.

The bands are written once, here, as data; scoring code (per unit and batch) only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

#: Header fields of a unit (RT, location, ...): the surveyed denominators (criteria.md §1).
HEADER_FIELDS: tuple[str, ...] = (
    "luas_ha",
    "jumlah_bangunan",
    "jumlah_penduduk",
    "jumlah_kk",
    "panjang_jalan_ideal_m",
    "panjang_drainase_ideal_m",
)


class SlumClass(StrEnum):
    """Tingkat kekumuhan, Permen PUPR 14/2018 Lampiran (penilaian lokasi), from the total score."""

    BERAT = "kumuh_berat"
    SEDANG = "kumuh_sedang"
    RINGAN = "kumuh_ringan"
    TIDAK_KUMUH = "tidak_kumuh"

    @property
    def label_id(self) -> str:
        """Indonesian label as printed in the forms and SK (the UI's default language)."""
        return _CLASS_LABEL_ID[self]

    @property
    def label_en(self) -> str:
        """English label."""
        return _CLASS_LABEL_EN[self]

    @property
    def short_code(self) -> str:
        """Short code used by programme data (``tingkatKekumuhan``: KB/KS/KR/TK)."""
        return _CLASS_SHORT[self]

    @classmethod
    def from_short_code(cls, code: str) -> SlumClass:
        """The class for a programme short code (``"KS"`` → ``SlumClass.SEDANG``)."""
        for klass, short in _CLASS_SHORT.items():
            if short == code.strip().upper():
                return klass
        raise ValueError(f"unknown slum class short code {code!r} (expected KB, KS, KR or TK)")


_CLASS_LABEL_ID = {
    SlumClass.BERAT: "Kumuh Berat",
    SlumClass.SEDANG: "Kumuh Sedang",
    SlumClass.RINGAN: "Kumuh Ringan",
    SlumClass.TIDAK_KUMUH: "Tidak Kumuh",
}
_CLASS_LABEL_EN = {
    SlumClass.BERAT: "Heavy slum",
    SlumClass.SEDANG: "Medium slum",
    SlumClass.RINGAN: "Light slum",
    SlumClass.TIDAK_KUMUH: "Not a slum",
}
_CLASS_SHORT = {
    SlumClass.BERAT: "KB",
    SlumClass.SEDANG: "KS",
    SlumClass.RINGAN: "KR",
    SlumClass.TIDAK_KUMUH: "TK",
}

#: Stable order of the classes, heaviest first; the batch API stores a class as its index here.
CLASS_ORDER: tuple[SlumClass, ...] = tuple(SlumClass)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion: the share ``volume / header[denominator]`` of the unit in bad condition."""

    code: str
    aspect: int
    aspect_name: str
    name: str
    denominator: str
    unit: str

    def __post_init__(self) -> None:
        if self.denominator not in HEADER_FIELDS:
            raise ValueError(f"criterion {self.code}: unknown denominator {self.denominator!r}")


@dataclass(frozen=True)
class RuleSet:
    """A regulation's criteria and bands.

    ``score_bands`` are ``(minimum percentage in hundredths, score)`` from the highest band down;
    a percentage below every band scores 0. ``class_bands`` are ``(minimum total, class)`` from the
    heaviest class down; a total below every band is Tidak Kumuh.
    """

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    score_bands: tuple[tuple[int, int], ...]
    class_bands: tuple[tuple[int, SlumClass], ...]

    def __post_init__(self) -> None:
        codes = [c.code for c in self.criteria]
        if codes != sorted(codes) or len(set(codes)) != len(codes):
            raise ValueError(f"rule set {self.id}: criteria must be unique and ordered by code")
        for bands in (self.score_bands, self.class_bands):
            minima = [band[0] for band in bands]
            if minima != sorted(minima, reverse=True):
                raise ValueError(f"rule set {self.id}: bands must be ordered highest first")

    @cached_property
    def short_title(self) -> str:
        """The regulation as people name it (``Permen PUPR No. 14/PRT/M/2018``): the title
        without its note in brackets, for messages that name the rule set."""
        return self.title.partition(" (")[0]

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Criterion codes in order (``"1a"``, ``"1b"``, ...)."""
        return tuple(c.code for c in self.criteria)

    @cached_property
    def max_total(self) -> int:
        """Highest possible total: every criterion at the top score (80 in 2018, 95 in 2016)."""
        return len(self.criteria) * self.score_bands[0][1]

    @cached_property
    def aspects(self) -> Mapping[int, tuple[Criterion, ...]]:
        """Criteria grouped by aspect number (1 Bangunan gedung … 7 Proteksi kebakaran)."""
        grouped: dict[int, tuple[Criterion, ...]] = {}
        for criterion in self.criteria:
            grouped[criterion.aspect] = (*grouped.get(criterion.aspect, ()), criterion)
        return MappingProxyType(grouped)

    def criterion(self, code: str) -> Criterion:
        """The criterion with this code; ``KeyError`` if the rule set has none."""
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(f"rule set {self.id} has no criterion {code!r}")

    def score_for_hundredths(self, hundredths: int) -> int:
        """Score of a percentage given in hundredths (7756 = 77.56 %): the first band it reaches."""
        for minimum, score in self.score_bands:
            if hundredths >= minimum:
                return score
        return 0

    def class_for_total(self, total: int) -> SlumClass:
        """Class of a total score: the first (heaviest) band it reaches."""
        for minimum, klass in self.class_bands:
            if total >= minimum:
                return klass
        return SlumClass.TIDAK_KUMUH


class UnknownRuleSet(KeyError):
    """Raised for a rule set id that is not in :data:`RULE_SETS`."""

    def __init__(self, rule_set_id: str) -> None:
        super().__init__(rule_set_id)
        self.rule_set_id = rule_set_id

    def __str__(self) -> str:
        known = ", ".join(sorted(RULE_SETS))
        return f"unknown rule set {self.rule_set_id!r}; known rule sets: {known}"


# Aspect names, Permen PUPR 14/2018 Lampiran I (kriteria dan indikator permukiman kumuh).
_ASPECTS = {
    1: "Bangunan gedung",
    2: "Jalan lingkungan",
    3: "Penyediaan air minum",
    4: "Drainase lingkungan",
    5: "Pengelolaan air limbah",
    6: "Pengelolaan persampahan",
    7: "Proteksi kebakaran",
}


def _c(code: str, name: str, denominator: str, unit: str) -> Criterion:
    aspect = int(code[0])
    return Criterion(code, aspect, _ASPECTS[aspect], name, denominator, unit)


# The 16 criteria of Permen PUPR 14/2018 with the denominator programme data divide by
# (criteria.md §2): e.g. 2b (damaged road surface) is divided by the *ideal* road length.
_CRITERIA_2018 = (
    _c("1a", "Ketidakteraturan bangunan", "jumlah_bangunan", "unit"),
    _c("1b", "Kepadatan bangunan tinggi tidak sesuai ketentuan tata ruang", "luas_ha", "ha"),
    _c("1c", "Ketidaksesuaian dengan persyaratan teknis bangunan", "jumlah_bangunan", "unit"),
    _c("2a", "Cakupan pelayanan jalan lingkungan tidak memadai", "panjang_jalan_ideal_m", "m"),
    _c("2b", "Kualitas permukaan jalan lingkungan buruk", "panjang_jalan_ideal_m", "m"),
    _c("3a", "Ketidaktersediaan akses aman air minum", "jumlah_kk", "KK"),
    _c("3b", "Tidak terpenuhinya kebutuhan air minum minimal", "jumlah_kk", "KK"),
    _c("4a", "Ketidakmampuan mengalirkan limpasan air", "luas_ha", "ha"),
    _c("4b", "Ketidaktersediaan drainase", "panjang_drainase_ideal_m", "m"),
    _c("4c", "Kualitas konstruksi drainase buruk", "panjang_drainase_ideal_m", "m"),
    _c("5a", "Sistem pengelolaan air limbah tidak sesuai standar teknis", "jumlah_kk", "KK"),
    _c(
        "5b",
        "Prasarana dan sarana air limbah tidak sesuai persyaratan teknis",
        "jumlah_kk",
        "KK",
    ),
    _c(
        "6a",
        "Prasarana dan sarana persampahan tidak sesuai persyaratan teknis",
        "jumlah_kk",
        "KK",
    ),
    _c("6b", "Sistem pengelolaan persampahan tidak sesuai standar teknis", "jumlah_kk", "KK"),
    _c("7a", "Ketidaktersediaan prasarana proteksi kebakaran", "jumlah_bangunan", "unit"),
    _c("7b", "Ketidaktersediaan sarana proteksi kebakaran", "jumlah_bangunan", "unit"),
)

# Permen PUPR 02/PRT/M/2016 had three more criteria (drainage: not connected to the city
# system, not maintained; solid waste: facilities not maintained).
_CRITERIA_2016_EXTRA = (
    _c("4d", "Tidak terhubung dengan sistem drainase perkotaan", "panjang_drainase_ideal_m", "m"),
    _c("4e", "Tidak terpeliharanya drainase", "panjang_drainase_ideal_m", "m"),
    _c("6c", "Tidak terpeliharanya sarana dan prasarana persampahan", "jumlah_kk", "KK"),
)

# Percentage → score, Permen PUPR 14/2018 Lampiran (formula penilaian), the same in 02/2016:
# 76–100 % → 5, 51–75 % → 3, 25–50 % → 1, below 25 % → 0. Bands are lower bounds on the
# percentage rounded to 2 decimals, so the gaps 50.01–50.99 and 75.01–75.99 fall to the band
# below (50.5 → 1, 75.5 → 3), as the programme's stored scores show.
_SCORE_BANDS: tuple[tuple[int, int], ...] = ((7600, 5), (5100, 3), (2500, 1))

PERMEN_PUPR_14_2018 = RuleSet(
    id="permen-pupr-14-2018",
    title="Permen PUPR No. 14/PRT/M/2018 (16 kriteria, nilai maksimum 80)",
    criteria=_CRITERIA_2018,
    score_bands=_SCORE_BANDS,
    # Total 60–80 berat, 38–59 sedang, 16–37 ringan, below 16 tidak kumuh.
    class_bands=((60, SlumClass.BERAT), (38, SlumClass.SEDANG), (16, SlumClass.RINGAN)),
)

PERMEN_PUPR_02_2016 = RuleSet(
    id="permen-pupr-02-2016",
    title="Permen PUPR No. 02/PRT/M/2016 (19 kriteria, nilai maksimum 95)",
    criteria=tuple(sorted(_CRITERIA_2018 + _CRITERIA_2016_EXTRA, key=lambda c: c.code)),
    score_bands=_SCORE_BANDS,
    # Total 71–95 berat, 45–70 sedang, 19–44 ringan, below 19 tidak kumuh.
    class_bands=((71, SlumClass.BERAT), (45, SlumClass.SEDANG), (19, SlumClass.RINGAN)),
)

DEFAULT_RULE_SET_ID = PERMEN_PUPR_14_2018.id

RULE_SETS: Mapping[str, RuleSet] = MappingProxyType(
    {rule_set.id: rule_set for rule_set in (PERMEN_PUPR_14_2018, PERMEN_PUPR_02_2016)}
)


def get_rule_set(rule_set_id: str = DEFAULT_RULE_SET_ID) -> RuleSet:
    """The rule set with this id; :class:`UnknownRuleSet` (a ``KeyError``) otherwise."""
    try:
        return RULE_SETS[rule_set_id]
    except KeyError:
        raise UnknownRuleSet(rule_set_id) from None
