"""What the three reports share: names of regions and classes, the demo notice, errors."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikumuh.core.asof import EARLIER, Coverage
from sikumuh.core.criteria import SlumClass
from sikumuh.regions.models import Kind, Region

DEMO_NOTICE = _("Synthetic demo data")
#: Printed on every page and sheet of a report that counts data not approved (criteria.md §9).
DRAFT_NOTICE = _("DRAFT — includes data not yet approved by the Pokja")

_KIND_PREFIX = {
    Kind.PROVINSI: "Provinsi",
    Kind.KECAMATAN: "Kecamatan",
    Kind.DESA: "Desa",
    Kind.KELURAHAN: "Kelurahan",
}


class ReportError(ValueError):
    """The report cannot be made for what was asked (unknown region, wrong level, no data):
    one line for the CLI; the web answers 404."""


def region_title(region: Region | None) -> str:
    """ "Kecamatan Pelaihari", "Kabupaten Tanah Laut", "Indonesia" (None: the national level).
    Administrative words are domain terms: Indonesian in every language (the glossary)."""
    if region is None:
        return "Indonesia"
    prefix = _KIND_PREFIX.get(Kind(region.kind)) if region.kind else None
    if prefix and not region.name.startswith(prefix + " "):
        return f"{prefix} {region.name}"
    return region.name


def class_label(klass: SlumClass | str | None) -> str:
    """Kumuh Berat … Tidak Kumuh (Indonesian in every language); "" for no class."""
    return SlumClass(klass).label_id if klass else ""


def class_legend() -> list[tuple[str, str]]:
    """(value, label) of every class, heaviest first."""
    return [(k.value, k.label_id) for k in SlumClass]


def coverage_text(coverage: Coverage) -> str:
    """A year's coverage in words (criteria.md §9), e.g. "Data 2022 sementara: 1 dari 178 RT
    diperbarui; 177 RT memakai data 2021", or that the year is complete."""
    year = coverage.tahun
    if coverage.complete:
        return gettext("Data %(year)s complete: all %(total)s RTs observed in %(year)s.") % {
            "year": year,
            "total": coverage.total,
        }
    carried = "; ".join(
        (
            gettext("%(n)s RTs use earlier data")
            if source == EARLIER
            else gettext("%(n)s RTs use the data of %(from)s")
        )
        % {"n": n, "from": source}
        for source, n in coverage.carried.items()
    )
    return gettext(
        "Data %(year)s provisional: %(observed)s of %(total)s RTs updated; %(carried)s"
    ) % {
        "year": year,
        "observed": coverage.observed,
        "total": coverage.total,
        "carried": carried,
    }
