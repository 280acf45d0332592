"""The figures of the *Laporan Uji Petik* of a kabupaten/kota and fiscal year, gathered through
the selectors of the areas that own them (nothing is recomputed here).

* Slum area per kecamatan, before → now: :func:`sikumuh.surveys.dashboard.region_dashboard` for
  the last year with RT data up to the fiscal year ("now") against each kecamatan's first year
  with data ("before"), each reduction with its base (criteria.md §5): the kecamatan's own
  baseline, and the kabupaten's SK total.
* Locations whose status was removed: :func:`sikumuh.reports.removal.removal_summary`.
* Delineation and data-collection progress: :func:`sikumuh.fieldwork.selectors.fieldwork_progress`
  (sosialisasi per kecamatan, FGD per SK desa) and the delineated polygons.
* The spot check itself (sample, estimates, reliability, findings, follow-ups):
  :mod:`sikumuh.inspections.selectors`, for the latest uji petik covering the fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.reduction import Reduction, reduction_vs_sk_baseline
from sikumuh.fieldwork.selectors import FieldworkProgress, fieldwork_progress
from sikumuh.inspections.models import Finding, FollowUp, UjiPetik
from sikumuh.inspections.selectors import (
    ReliabilityView,
    SampleView,
    findings_of,
    follow_ups_of,
    latest_uji_petik,
    redraw_matches,
    reliability_of,
    sample_view,
)
from sikumuh.regions.models import Level, Region
from sikumuh.reports.common import ReportError, region_title
from sikumuh.reports.removal import RemovalSummary, removal_summary
from sikumuh.surveys import dashboard
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter, region_filter
from sikumuh.surveys.models import Score, Status


@dataclass(frozen=True)
class AreaRow:
    """A kecamatan (or the whole kabupaten): slum hectares before → now and the reduction as a
    share of its own baseline and of the kabupaten's SK total."""

    code: str
    name: str
    sk_ha: Decimal | None
    before_year: int | None
    before_ha: Decimal | None
    now_ha: Decimal | None
    reduction: Reduction | None
    reduction_sk: Reduction | None

    @property
    def reduced(self) -> bool:
        return self.reduction is not None and self.reduction.ha > 0


@dataclass
class Inspection:
    """The uji petik of the report: its sample, estimates, reliability and follow-ups."""

    uji_petik: UjiPetik
    view: SampleView
    redraw_same: bool
    reliability: ReliabilityView
    findings: list[Finding]
    follow_ups: list[FollowUp]

    @property
    def is_demo(self) -> bool:
        return any(r.checklist is not None and r.checklist.source == "demo" for r in self.view.rows)


@dataclass
class UjiPetikData:
    region: Region
    tahun: int
    #: The last year with RT data up to `tahun` (None: no RT data yet).
    data_year: int | None
    baseline_year: int | None
    total: AreaRow | None
    kecamatan: list[AreaRow]
    sk_base_ha: Decimal | None
    sk_decrees: tuple[tuple[str, str, int], ...]
    #: The kabupaten's slum hectares per class, every year with RT data up to `tahun`.
    years: list[dashboard.YearArea]
    locations: list[dashboard.LocationRow]
    map_locations: list[dashboard.MapLocation]
    removal: RemovalSummary
    progress: FieldworkProgress
    inspection: Inspection | None
    is_demo: bool

    @property
    def title(self) -> str:
        return region_title(self.region)

    @property
    def delineated(self) -> int:
        return sum(1 for loc in self.locations if loc.has_polygon)


def available_years(code: str, status: StatusFilter = ALL) -> list[int]:
    """Fiscal years a Laporan Uji Petik can be made for: years with RT data (passing
    ``status``) or covered by an uji petik of the kabupaten (two queries)."""
    return sorted(set(data_years(code, status)) | set(sampled_years(code)))


def data_years(code: str, status: StatusFilter = ALL) -> list[int]:
    """Years with scored RT data in region `code` (passing ``status``): the periods a Laporan
    Pengurangan can end with (one query)."""
    scores = Score.objects.filter(region_filter(code))
    if status == APPROVED:
        scores = scores.filter(observation__status=Status.APPROVED)
    return sorted(set(scores.values_list("tahun", flat=True).distinct()))


def sampled_years(code: str) -> list[int]:
    """Fiscal years covered by an uji petik of kabupaten `code`: the years the page offers a
    Laporan Uji Petik for (a year without a sample has no findings to report; one query)."""
    return sorted(
        {
            int(y)
            for years in UjiPetik.objects.filter(kabupaten_id=code).values_list("tahun", flat=True)
            for y in years
        }
    )


def kabupaten_or_error(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ReportError(f"unknown region code {code!r}")
    if region.level != Level.KABUPATEN:
        raise ReportError(f"the Laporan Uji Petik is made for a kabupaten/kota, not {code}")
    return region


def _area_row(
    code: str, name: str, child: dashboard.ChildRow | None, sk_base: Decimal | None
) -> AreaRow:
    if child is None:
        return AreaRow(code, name, None, None, None, None, None, None)
    reduction = child.reduction
    return AreaRow(
        code=code,
        name=name,
        sk_ha=child.sk_ha,
        before_year=child.baseline.tahun if child.baseline else None,
        before_ha=child.baseline.slum_ha if child.baseline else None,
        now_ha=child.current.slum_ha if child.current else None,
        reduction=reduction,
        reduction_sk=(
            reduction_vs_sk_baseline(reduction.ha, sk_base) if reduction and sk_base else None
        ),
    )


def uji_petik_data(code: str, tahun: int, status: StatusFilter = APPROVED) -> UjiPetikData:
    """Everything the report shows for kabupaten/kota `code` and fiscal year `tahun`, from
    approved data only (official, criteria.md §9) or all (``status``)."""
    region = kabupaten_or_error(code)
    years = available_years(code, status)
    uji_petik = latest_uji_petik(code, tahun)
    if tahun not in years and uji_petik is None:
        raise ReportError(f"{code} has no RT data and no uji petik for {tahun}")
    surveyed = dashboard.region_dashboard(code, status=status)
    data_years = [y for y in surveyed.year_list if y <= tahun]
    data_year = data_years[-1] if data_years else None
    dash = (
        dashboard.region_dashboard(code, data_year, status)
        if data_year is not None and data_year != surveyed.tahun
        else surveyed
    )
    sk_base = dash.sk.base_ha
    total: AreaRow | None = None
    if data_year is not None and dash.baseline is not None and dash.current is not None:
        total = AreaRow(
            code=code,
            name=region_title(region),
            sk_ha=dash.sk.region_ha,
            before_year=dash.baseline.tahun,
            before_ha=dash.baseline.slum_ha,
            now_ha=dash.current.slum_ha,
            reduction=dash.reduction_own,
            reduction_sk=dash.reduction_sk,
        )
    kecamatan = (
        [_area_row(c.code, c.name, c if data_year else None, sk_base) for c in dash.children]
        if data_year is not None
        else []
    )
    inspection = None
    if uji_petik is not None:
        inspection = Inspection(
            uji_petik=uji_petik,
            view=sample_view(uji_petik),
            redraw_same=redraw_matches(uji_petik),
            reliability=reliability_of(uji_petik),
            findings=findings_of(uji_petik),
            follow_ups=follow_ups_of(uji_petik),
        )
    return UjiPetikData(
        region=region,
        tahun=tahun,
        data_year=data_year,
        baseline_year=dash.baseline.tahun if dash.baseline and data_year else None,
        total=total,
        kecamatan=kecamatan,
        sk_base_ha=sk_base,
        sk_decrees=dash.sk.decrees,
        years=[y for y in surveyed.years if y.tahun <= tahun],
        locations=dash.locations if data_year is not None else [],
        map_locations=dashboard.map_locations(code, data_year, status) if data_year else [],
        removal=removal_summary(code, tahun, status),
        progress=fieldwork_progress(code),
        inspection=inspection,
        is_demo=dash.is_demo or bool(inspection and inspection.is_demo),
    )
