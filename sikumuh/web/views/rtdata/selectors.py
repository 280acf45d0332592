"""Reads of the RT data pages: a fixed, small number of queries each (tests pin the counts).

Every function takes the region (already checked against the user's scope by the view) or a
scope filter, and never loops a query over RTs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy

from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.io.exporters import in_region, plain
from sikumuh.io.models import ImportRun
from sikumuh.regions.codes import valid_year
from sikumuh.regions.models import Level, Region, level_of
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.review_changes import RtChange, rt_changes
from sikumuh.web.tables import Column, RegionChoices, TableQuery, TableSpec, region_choices

PER_PAGE = 50
#: The class filter's value for "no class that year" (no data, or not scored).
NO_CLASS = "none"


def _is_desa_code(code: str) -> bool:
    try:
        return level_of(code) == Level.DESA
    except ValueError:
        return False


@dataclass(frozen=True)
class RtFilters:
    """The RT table's filters, as read (and cleaned) from the query string."""

    tahun: int | None = None
    desa: str | None = None
    klass: str | None = None

    @classmethod
    def from_query(cls, query: Any, region_code: str) -> RtFilters:
        """Unknown or out-of-region values are dropped, not errors: a filter form never 404s."""
        desa = (query.get("desa") or "").strip()
        klass = (query.get("kelas") or "").strip()
        inside = desa == region_code or desa.startswith(region_code + ".") or region_code == "ID"
        return cls(
            tahun=valid_year(query.get("tahun")) if query.get("tahun") else None,
            # Only a well-formed desa code: the filter also names the downloaded file.
            desa=desa if inside and _is_desa_code(desa) else None,
            klass=klass if klass in {*SlumClass, NO_CLASS} else None,
        )

    def export_filters(self) -> dict[str, Any]:
        """The same filters for :func:`sikumuh.io.exporters.observations`."""
        return {"tahun": self.tahun, "desa": self.desa, "klass": self.klass}

    def query(self) -> dict[str, str]:
        out = {"tahun": str(self.tahun or ""), "desa": self.desa or "", "kelas": self.klass or ""}
        return {k: v for k, v in out.items() if v}


@dataclass
class RtRow:
    rt: RtUnit
    tahun: int | None  # the year shown: the filter's, or the RT's latest
    total: int | None
    klass: str | None
    years: list[int] = field(default_factory=list)
    #: With a year filter: the RT's change against its latest earlier year (None: no data).
    change: RtChange | None = None

    @property
    def klass_label(self) -> str:
        """Indonesian in every language: the class names are the regulation's terms."""
        return SlumClass(self.klass).label_id if self.klass else ""


@dataclass
class RtTable:
    page: Page[Any]
    rows: list[RtRow]
    years: list[int]  # every year with data in the region (the year filter's choices)
    choices: RegionChoices  # the kecamatan and desa of the region's RTs
    next_year: int
    query: TableQuery


#: The RT table's columns, search and region filter (sikumuh.web.tables).
RT_TABLE = TableSpec(
    columns=(
        Column("desa", ("desa_id", "location__code", "rt")),  # by code: kecamatan together
        Column("lokasi", ("location__code", "rt")),
        Column("rt", ("rt",)),
        Column("tahun", ("s_tahun",)),
        Column("total", ("s_total",)),
        Column("kelas", ("s_klass",)),
    ),
    default_sort="desa",
    search=("desa__name", "location__name", "location__code", "rt"),
    region_field="desa_id",
    tie_break=("desa_id", "location__code", "rt", "pk"),
    per_page=PER_PAGE,
)


def rt_table(
    code: str, filters: RtFilters, page_number: Any = 1, table: TableQuery | None = None
) -> RtTable:
    """One page of the region's RTs with the year's (or latest) total and class: 5 queries
    (count, page, the page's years, the region's years, the desa choices); with a year, a
    sixth: each RT's change against its latest earlier year (what the Pokja reviews)."""
    if table is None:
        table = TableQuery.from_query({"page": page_number, "desa": filters.desa}, RT_TABLE, code)
    rts = _rts(code, filters).select_related("location", "desa")
    page = table.paginate(table.apply(rts))
    units = list(page.object_list)
    years_of: dict[int, list[int]] = {}
    for rt_id, tahun in (
        Observation.objects.filter(rt_id__in=[u.pk for u in units])
        .order_by("tahun")
        .values_list("rt_id", "tahun")
    ):
        years_of.setdefault(rt_id, []).append(tahun)
    rows = [RtRow(u, u.s_tahun, u.s_total, u.s_klass, years_of.get(u.pk, [])) for u in units]
    if filters.tahun and units:
        changes = rt_changes([u.pk for u in units], filters.tahun)
        for row in rows:
            row.change = changes.get(row.rt.pk)
    years = region_years(code)
    choices = region_choices(RtUnit.objects.filter(in_region(code, "desa__code")).values("desa_id"))
    return RtTable(page, rows, years, choices, next_year_after(years), table)


def _shown_scores(filters: RtFilters, rt: str = "pk") -> QuerySet[Score]:
    """The score a row shows: the year's, or the RT's latest (the outer query's `rt` field)."""
    scores = Score.objects.filter(observation__rt=OuterRef(rt))
    if filters.tahun:
        scores = scores.filter(tahun=filters.tahun)
    return scores.order_by("-tahun")


def _rts(code: str, filters: RtFilters) -> QuerySet[RtUnit]:
    """The region's RTs with the score each row shows (year, total, class), narrowed by the
    class filter; the table's search, region filters and order come on top."""
    scores = _shown_scores(filters)
    rts = RtUnit.objects.filter(in_region(code, "desa__code")).annotate(
        s_tahun=Subquery(scores.values("tahun")[:1]),
        s_total=Subquery(scores.values("total")[:1]),
        s_klass=Subquery(scores.values("klass")[:1]),
    )
    if filters.klass == NO_CLASS:
        return rts.filter(s_klass__isnull=True)
    if filters.klass:
        return rts.filter(s_klass=filters.klass)
    return rts


def shown_observations(code: str, filters: RtFilters, table: TableQuery) -> QuerySet[Observation]:
    """What the download holds: the RT-year each row of the table shows, on every page (the
    same search, region and class filters). With a year, that year's data; without one, each
    RT's latest scored year (the row's "Tahun"). An RT the table shows without data that year
    has no row: there is nothing to export."""
    rts = table.filter(_rts(code, filters)).values("pk")
    observations = Observation.objects.filter(rt__in=rts).order_by(*_observation_order(table))
    if filters.tahun:
        return observations.filter(tahun=filters.tahun)
    latest = _shown_scores(filters, rt="rt")
    return observations.filter(tahun=Subquery(latest.values("tahun")[:1]))


#: The RT table's sort fields as seen from the observation each row shows (the download):
#: the row's year, total and class are that observation's and its score's.
_FROM_OBSERVATION = {"s_tahun": "tahun", "s_total": "score__total", "s_klass": "score__klass"}


def _observation_order(table: TableQuery) -> list[OrderBy]:
    """The table's order (`TableQuery.order`: empty values last) for the observations."""
    order = []
    for name in table.order_by():
        field = name.removeprefix("-")
        path = _FROM_OBSERVATION.get(field, "rt_id" if field == "pk" else f"rt__{field}")
        descending = name.startswith("-")
        order.append(F(path).desc(nulls_last=True) if descending else F(path).asc(nulls_last=True))
    return order


def region_years(code: str) -> list[int]:
    """Every year with RT data in the region (one query)."""
    return sorted(
        Observation.objects.filter(in_region(code, "rt__desa__code"))
        .order_by()
        .values_list("tahun", flat=True)
        .distinct()
    )


def next_year_after(years: list[int]) -> int:
    """The next survey round: the year after the latest data, or this year when none."""
    return max(years) + 1 if years else dt.date.today().year


def requested_year(text: str | None, code: str) -> int | None:
    """The ``?tahun=`` of a download for the field (template, XLSForm): that year (None when
    it is not one), or by default the next survey round of the region."""
    if text:
        return valid_year(text)
    return next_year_after(region_years(code))


# --- The RT form ---------------------------------------------------------------------------------


@dataclass
class RtFormData:
    rt: RtUnit
    observation: Observation | None  # the stored RT-year, if any
    previous: Observation | None  # the latest earlier year (its header pre-fills a new year)
    years: list[int]


def rt_form_data(pk: int, tahun: int, within: Q) -> RtFormData:
    """The RT (inside ``within``, a scope filter on its desa) and its observations: 2 queries.
    ``RtUnit.DoesNotExist`` outside the scope."""
    rt = RtUnit.objects.select_related("location", "desa").filter(within).get(pk=pk)
    observations = list(Observation.objects.filter(rt=rt).select_related("score").order_by("tahun"))
    current = next((o for o in observations if o.tahun == tahun), None)
    earlier = [o for o in observations if o.tahun < tahun]
    return RtFormData(
        rt=rt,
        observation=current,
        previous=earlier[-1] if earlier else None,
        years=[o.tahun for o in observations],
    )


def location_in_scope(pk: int, within: Q) -> Location:
    """A location inside ``within`` (a filter on the location); ``Location.DoesNotExist``."""
    return Location.objects.select_related("kabupaten", "desa").filter(within).get(pk=pk)


def desa_choices(kabupaten_code: str, within: Q) -> list[Region]:
    """The desa/kelurahan of a kabupaten that ``within`` (an edit-scope filter on code) allows."""
    return list(
        Region.objects.filter(in_region(kabupaten_code, "code"), within, level=Level.DESA).order_by(
            "code"
        )
    )


# --- The template download ----------------------------------------------------------------------


def template_rows(code: str, tahun: int) -> list[dict[str, Any]]:
    """The region's known RTs as template rows for ``tahun``, with the header of their latest
    earlier observation and empty volumes: 2 queries."""
    rts = list(
        RtUnit.objects.filter(in_region(code, "desa__code"))
        .select_related("location")
        .order_by("desa_id", "location__code", "rt")
    )
    latest: dict[int, Observation] = {}
    for earlier in (
        Observation.objects.filter(in_region(code, "rt__desa__code"), tahun__lt=tahun)
        .only("rt_id", "tahun", *HEADER_FIELDS)
        .order_by("rt_id", "-tahun")
    ):
        latest.setdefault(earlier.rt_id, earlier)
    rows = []
    for rt in rts:
        obs = latest.get(rt.pk)
        header: dict[str, Decimal | None] = {
            name: plain(getattr(obs, name)) if obs else None for name in HEADER_FIELDS
        }
        rows.append(
            {
                "kode_desa": rt.desa_id,
                "lokasi": rt.location.code,
                "nama_lokasi": rt.location.name,
                "rt": rt.rt,
                "tahun": tahun,
                **header,
            }
        )
    return rows


# --- Import runs --------------------------------------------------------------------------------


def import_runs(within: Q) -> QuerySet[ImportRun]:
    """Import runs inside ``within`` (a scope filter on ``region_code``), newest first."""
    return ImportRun.objects.filter(within).order_by("-started_at", "-id")
