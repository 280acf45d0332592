"""Words and small shapes the dashboard pages show, in the active language.

Class names (Kumuh Berat … Tidak Kumuh), handling patterns, and the administrative words
(Provinsi, Kecamatan, Desa, Kelurahan) are domain terms that stay Indonesian in both languages
(the glossary); everything else is translated through the area's catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import Authority, HandlingPattern
from sikumuh.regions.models import Kind, Level, Region
from sikumuh.surveys.dashboard import CLASS_KEYS, SLUM_KEYS, Unapproved, YearArea
from sikumuh.web.templatetags.sikumuh import num

#: Indonesian prefix of a region's name by kind; kabupaten/kota names already carry theirs.
_KIND_PREFIX = {
    Kind.PROVINSI: "Provinsi",
    Kind.KECAMATAN: "Kecamatan",
    Kind.DESA: "Desa",
    Kind.KELURAHAN: "Kelurahan",
}


def region_title(region: Region | None) -> str:
    """ "Kecamatan Pelaihari", "Kabupaten Tanah Laut", "Indonesia" (None: the national level)."""
    if region is None:
        return "Indonesia"
    prefix = _KIND_PREFIX.get(Kind(region.kind)) if region.kind else None
    if prefix and not region.name.startswith(prefix + " "):
        return f"{prefix} {region.name}"
    return region.name


#: The heading of the child table's first column, by the level of the region shown.
CHILD_HEADINGS: dict[int, Promise | str] = {
    0: Level.PROVINSI.label,
    Level.PROVINSI: Level.KABUPATEN.label,
    Level.KABUPATEN: Level.KECAMATAN.label,
    Level.KECAMATAN: Level.DESA.label,
    Level.DESA: _("Slum location"),
}

AUTHORITY_LABELS: dict[Authority, Promise] = {
    Authority.KABUPATEN_KOTA: _("Kabupaten/kota government"),
    Authority.PROVINSI: _("Provincial government"),
    Authority.PUSAT: _("Central government"),
}

HEADER_LABELS: dict[str, Promise] = {
    "luas_ha": _("area"),
    "jumlah_bangunan": _("buildings"),
    "jumlah_penduduk": _("population"),
    "jumlah_kk": _("households"),
    "panjang_jalan_ideal_m": _("ideal road length"),
    "panjang_drainase_ideal_m": _("ideal drain length"),
}

WARNING_LABELS: dict[str, Promise] = {
    "volume_above_denominator": _("volume above its denominator (scored 5)"),
    "percent_above_100": _("percentage above 100"),
    "cannot_project_percent": _("percentage only: cannot be projected"),
}

SERVICE_LABELS: dict[str, Promise] = {
    "jalan": _("Neighbourhood roads"),
    "air_minum": _("Drinking water"),
    "drainase": _("Drainage"),
    "air_limbah": _("Wastewater"),
    "persampahan": _("Solid waste"),
}


def class_label(klass: SlumClass | str | None) -> str:
    """Kumuh Berat … Tidak Kumuh; "" for no class."""
    if not klass:
        return ""
    return SlumClass(klass).label_id


def pattern_label(pattern: HandlingPattern) -> str:
    return pattern.label_id


def classes() -> list[tuple[str, str]]:
    """(value, label) of every class, heaviest first: the legend and table headings."""
    return [(k, class_label(k)) for k in CLASS_KEYS]


def trend_chart(years: Iterable[YearArea]) -> dict[str, Any]:
    """The trend chart's data (json_script): slum hectares per year stacked by class."""
    rows = list(years)
    return {
        "labels": [str(y.tahun) for y in rows],
        "unit": "Ha",
        "series": [
            {
                "klass": k,
                "label": class_label(k),
                "data": [_float(y.by_class[k].ha) for y in rows],
            }
            for k in CLASS_KEYS
            if k in SLUM_KEYS
        ],
    }


def _float(value: Decimal) -> float:
    """Chart.js draws floats; the page's tables keep the exact figures."""
    return float(round(value, 2))


# --- RT data not yet approved --------------------------------------------------------------------


@dataclass(frozen=True)
class UnapprovedNotice:
    """One year's sentence of the notice, with the link to that year of the review page (None:
    the reader may not review there)."""

    tahun: int
    text: str
    review_url: str | None


def unapproved_text(year: Unapproved) -> str:
    """ "Termasuk 12 data RT tahun 2021 yang belum disetujui Pokja (8 draf, 4 diajukan)." """
    parts = [
        ngettext("%(n)s draft", "%(n)s drafts", year.draft) % {"n": num(year.draft)},
        ngettext("%(n)s submitted", "%(n)s submitted", year.submitted) % {"n": num(year.submitted)},
        ngettext("%(n)s returned", "%(n)s returned", year.returned) % {"n": num(year.returned)},
    ]
    counts = (year.draft, year.submitted, year.returned)
    detail = ", ".join(part for part, n in zip(parts, counts, strict=True) if n)
    return ngettext(
        "Includes %(n)s RT record of %(year)s not yet approved by the Pokja (%(detail)s).",
        "Includes %(n)s RT records of %(year)s not yet approved by the Pokja (%(detail)s).",
        year.total,
    ) % {"n": num(year.total), "year": year.tahun, "detail": detail}


def unapproved_notices(
    years: Iterable[Unapproved], review_code: str | None
) -> list[UnapprovedNotice]:
    """The notice's sentences, newest year first; each links to its year on the review page of
    `review_code` (None when the reader may not review: a viewer reads the notice only)."""
    notices = []
    for year in years:
        url = None
        if review_code is not None:
            url = reverse("web:review", kwargs={"code": review_code}) + f"#tahun-{year.tahun}"
        notices.append(UnapprovedNotice(year.tahun, unapproved_text(year), url))
    return notices
