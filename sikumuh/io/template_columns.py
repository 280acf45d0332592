"""The template's columns: names, what they mean (Indonesian and English), units.

One catalogue, :data:`TEMPLATE_COLUMNS`, feeds the reader, the blank template and its "petunjuk"
sheet, and ``docs/template.md`` (a test keeps the docs table equal to :func:`template_markdown`).
"""

from __future__ import annotations

from typing import NamedTuple

from sikumuh.core.criteria import (
    DEFAULT_RULE_SET_ID,
    HEADER_FIELDS,
    RULE_SETS,
    UnknownRuleSet,
    get_rule_set,
)
from sikumuh.core.years import YEAR_MAX, YEAR_MIN
from sikumuh.io.numbers import cell_text

IDENTITY_COLUMNS = ("kode_desa", "lokasi", "rt", "tahun")
COUNT_FIELDS = ("jumlah_bangunan", "jumlah_penduduk", "jumlah_kk")
#: Criterion codes of every rule set, in template order (the 2016 set holds the 2018 set).
ALL_CODES: tuple[str, ...] = tuple(sorted({c for rs in RULE_SETS.values() for c in rs.codes}))
BASE_CODES = get_rule_set(DEFAULT_RULE_SET_ID).codes
YEAR_RANGE = (YEAR_MIN, YEAR_MAX)


class TemplateColumn(NamedTuple):
    """One template column: ``(name, required, meaning_id, meaning_en, unit)`` (+ ``legacy``:
    left out of the blank template, documented in its "petunjuk" sheet)."""

    name: str
    required: bool
    meaning_id: str
    meaning_en: str
    unit: str
    legacy: bool = False


_HEADER_MEANINGS = {  # criteria.md §1
    "luas_ha": ("Luas verifikasi unit", "Verified area of the unit", "ha"),
    "jumlah_bangunan": ("Jumlah bangunan", "Number of buildings", "unit"),
    "jumlah_penduduk": ("Jumlah penduduk", "Population", "jiwa"),
    "jumlah_kk": ("Jumlah kepala keluarga", "Number of households", "KK"),
    "panjang_jalan_ideal_m": (
        "Panjang jalan lingkungan ideal",
        "Length of neighbourhood road the unit should have",
        "m",
    ),
    "panjang_drainase_ideal_m": (
        "Panjang drainase lingkungan ideal",
        "Length of neighbourhood drain the unit should have",
        "m",
    ),
}
_VOLUME_EN = {  # what each volume counts, criteria.md §2 (Permen PUPR 14/2018; 4d, 4e, 6c: 02/2016)
    "1a": "buildings not meeting the building-layout rules (RDTR/RTBL)",
    "1b": "area above the building-density norm",
    "1c": "buildings failing the technical building requirements",
    "2a": "road length needed but missing",
    "2b": "road length with a damaged surface",
    "3a": "households without safe access to drinking water",
    "3b": "households below the minimum drinking-water need (60 l/person/day)",
    "4a": "flooded area (puddles > 30 cm, > 2 hours, > 2 times a year)",
    "4b": "drain length missing",
    "4c": "drain length of bad construction",
    "4d": "drain length not connected to the city drainage (2016 rule set)",
    "4e": "drain length not maintained (2016 rule set)",
    "5a": "households whose wastewater system fails the technical standard",
    "5b": "households whose wastewater facilities fail the technical requirements",
    "6a": "households whose solid-waste facilities fail the technical requirements",
    "6b": "households whose solid-waste management fails the technical standard",
    "6c": "households whose solid-waste facilities are not maintained (2016 rule set)",
    "7a": "buildings without fire-protection infrastructure",
    "7b": "buildings without fire-protection equipment",
}
LEGACY_RULE_SET = get_rule_set("permen-pupr-02-2016")


def _columns() -> list[TemplateColumn]:
    cols = [
        TemplateColumn(
            "kode_desa",
            True,
            "Kode desa/kelurahan Kemendagri, mis. 63.01.01.2001",
            "Village (desa/kelurahan) code, Kemendagri, e.g. 63.01.01.2001",
            "",
        ),
        TemplateColumn(
            "lokasi",
            True,
            "Kode lokasi kumuh di kabupaten/kota",
            "Code of the slum location within the kabupaten/kota",
            "",
        ),
        TemplateColumn(
            "rt",
            True,
            "Nomor RT, ditulis apa adanya (003 tetap 003)",
            "RT number, kept exactly as written (003 stays 003)",
            "",
        ),
        TemplateColumn("tahun", True, "Tahun pendataan (2000–2100)", "Survey year (2000–2100)", ""),
        TemplateColumn(
            "nama_lokasi",
            False,
            "Nama lokasi (untuk lokasi baru; bawaan: kode lokasi)",
            "Location name (for a new location; defaults to its code)",
            "",
        ),
        TemplateColumn(
            "rules",
            False,
            f"Aturan penilaian (bawaan {DEFAULT_RULE_SET_ID})",
            f"Rule set id (default {DEFAULT_RULE_SET_ID}; permen-pupr-02-2016 for 2016 data)",
            "",
        ),
    ]
    cols += [TemplateColumn(f, True, *_HEADER_MEANINGS[f]) for f in HEADER_FIELDS]
    base = set(BASE_CODES)
    for prefix in ("v", "p"):
        for criterion in LEGACY_RULE_SET.criteria:
            code = criterion.code
            if prefix == "v":
                cols.append(
                    TemplateColumn(
                        f"v_{code}",
                        False,
                        f"Volume {code}: {criterion.name}",
                        f"Volume {code}: {_VOLUME_EN[code]}",
                        criterion.unit,
                        code not in base,
                    )
                )
            else:
                cols.append(
                    TemplateColumn(
                        f"p_{code}",
                        False,
                        f"Persentase {code} (data lama tanpa volume)",
                        f"Percentage {code}, for legacy data without a volume",
                        "%",
                        True,
                    )
                )
    return cols


#: Every column the template knows, in template order (docs and blank template both use it).
TEMPLATE_COLUMNS: list[TemplateColumn] = _columns()
KNOWN_COLUMNS = {c.name for c in TEMPLATE_COLUMNS}
REQUIRED_COLUMNS = [c.name for c in TEMPLATE_COLUMNS if c.required]
#: The template columns before the per-criterion ones: identity, location name, rules, header.
TEMPLATE_IDENTITY_AND_HEADER = frozenset(
    c.name for c in TEMPLATE_COLUMNS if not c.name.startswith(("v_", "p_"))
)
#: Columns our own exports add after the template's (``sikumuh export rt-data``, the RT table's
#: download): read-only figures the importer ignores without a warning, so that an export
#: imports back as it is. Criterion columns are ``persen_<code>`` and ``nilai_<code>``.
EXPORT_ONLY_COLUMNS = frozenset(
    {"nama_desa", "total_nilai", "tingkat_kekumuhan", "status_review", "sumber", "diisi_pada"}
    | {f"{prefix}_{code}" for prefix in ("persen", "nilai") for code in ALL_CODES}
)


def resolve_rule_set_id(text: str | None) -> str:
    """A rule set id from a cell or ``--rules``: the id (any case), its year (``2016``), or the
    default when empty; :class:`UnknownRuleSet` otherwise."""
    key = (text or "").strip().lower()
    if not key:
        return DEFAULT_RULE_SET_ID
    if key in RULE_SETS:
        return key
    matches = [rid for rid in RULE_SETS if rid.endswith("-" + key)]
    if len(matches) == 1:
        return matches[0]
    raise UnknownRuleSet(key)


def parse_year(cell: object) -> int:
    """``tahun``: four digits from 2000 to 2100 (text, or a whole number from a spreadsheet)."""
    text = cell_text(cell)
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ValueError("a year must be four digits")
    year = int(text)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValueError(f"year outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
    return year


GUIDE_HEADER = ["kolom", "wajib", "arti", "meaning", "satuan"]
GUIDE_NOTES = [
    (
        "(angka)",
        (
            "Satu file, satu cara menulis angka: 1.218,50 (koma desimal) atau 1218.50 (titik "
            "desimal). Jika ada koma desimal, titik berarti ribuan: 1.218 = 1218."
        ),
        (
            "One file, one number format: 1.218,50 (decimal comma) or 1218.50 (decimal point). "
            "If any cell has a decimal comma, a dot groups thousands: 1.218 = 1218."
        ),
    ),
    (
        "(v_ / p_)",
        "Isi volume (v_) atau persentase (p_) per kriteria, tidak keduanya.",
        "Give a volume (v_) or a percentage (p_) per criterion, never both.",
    ),
]


def template_markdown() -> str:
    """The column table of ``docs/template.md`` (a test keeps the two identical)."""
    out = ["| column | required | meaning | Indonesian | unit |", "|---|---|---|---|---|"]
    for c in TEMPLATE_COLUMNS:
        required = "yes" if c.required else ("legacy" if c.legacy else "no")
        out.append(f"| `{c.name}` | {required} | {c.meaning_en} | {c.meaning_id} | {c.unit} |")
    return "\n".join(out) + "\n"
