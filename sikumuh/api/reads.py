"""Reads of one region: every path starts with a region the token's user may see (404 else).

The figures come from the functions the CLI and the web use (`surveys.selectors.slum_area`,
`io.exporters.rt_data`, `slums.selectors.decree_list`, `inspections.selectors.uji_petik_list`),
so that the API never computes a figure of its own.
"""

# No `from __future__ import annotations`: ninja reads the parameter types at run time.

from decimal import Decimal
from itertools import islice
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import functions as param

from sikumuh.api.pagination import Page
from sikumuh.api.schemas import (
    ErrorOut,
    InvestmentOut,
    LocationOut,
    ObservationOut,
    RtDataOut,
    RtOut,
    SkVersionOut,
    UjiPetikOut,
    Year,
)
from sikumuh.inspections.selectors import uji_petik_list
from sikumuh.investments.models import Investment
from sikumuh.io.exporters import in_region, location_in_region, rt_data
from sikumuh.regions.codes import location_inside
from sikumuh.slums.models import Location, RtUnit
from sikumuh.slums.selectors import DecreeSummary, decree_list
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.selectors import slum_area
from sikumuh.web.scoping import region_or_404

router = Router(tags=["regions"])
ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ROWS = 1000
Code = param.Path(
    ...,
    max_length=20,
    description="Kemendagri code (ID: the nation)",
    example="63.01",
)


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers, as `sikumuh slum-area --format json` writes them."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


@router.get("/{code}/slum-area", response={200: dict[str, Any], **ERRORS})
def slum_area_of(
    request: HttpRequest,
    code: str = Code,
    status: Literal["approved", "all"] = "approved",
) -> Any:
    """Slum hectares per year, classes and reductions: `sikumuh slum-area --format json`.

    `status`: the API counts approved data unless asked otherwise (criteria.md §9, official
    figures); `all` gives the working figures, drafts included (the CLI's default).
    """
    region_or_404(request, code)
    return _plain(slum_area(code, status).as_dict())


@router.get("/{code}/rt-data", response={200: RtDataOut, **ERRORS})
def rt_data_of(
    request: HttpRequest,
    code: str = Code,
    tahun: Year | None = None,
    limit: int = param.Query(100, ge=1, le=MAX_ROWS),
    offset: int = param.Query(0, ge=0, le=10**9),
) -> Any:
    """The rows of `sikumuh export rt-data` (the import template's columns, then the computed
    ones), a page at a time; `more` says whether rows follow."""
    region_or_404(request, code)
    header, rows = rt_data(code, tahun=tahun)
    page = list(islice(rows, offset, offset + limit + 1))
    return {
        "columns": header,
        "rows": [dict(zip(header, _plain(row), strict=True)) for row in page[:limit]],
        "limit": limit,
        "offset": offset,
        "more": len(page) > limit,
    }


@router.get("/{code}/locations", response={200: list[LocationOut], **ERRORS})
@paginate(Page)
def locations_of(request: HttpRequest, code: str = Code, desa: str | None = None) -> Any:
    """SK locations inside the region (a location without a desa lies in its kabupaten)."""
    region_or_404(request, code)
    query = Location.objects.filter(location_inside(code))
    if desa:
        query = query.filter(desa_id=desa)
    return query.order_by("kabupaten_id", "code", "id")


@router.get("/{code}/rts", response={200: list[RtOut], **ERRORS})
@paginate(Page)
def rts_of(
    request: HttpRequest, code: str = Code, location: int | None = param.Query(None, ge=1, le=2**53)
) -> Any:
    """The RTs inside the region, by desa, location and RT label."""
    region_or_404(request, code)
    query = RtUnit.objects.filter(in_region(code, "desa__code")).select_related("location")
    if location is not None:
        query = query.filter(location_id=location)
    return query.order_by("desa_id", "location__code", "rt", "id")


@router.get("/{code}/observations", response={200: list[ObservationOut], **ERRORS})
@paginate(Page)
def observations_of(
    request: HttpRequest,
    code: str = Code,
    tahun: Year | None = None,
    status: Status | None = None,
    location: int | None = param.Query(None, ge=1, le=2**53),
) -> Any:
    """RT observations (one RT in one year) with their score's total and class."""
    region_or_404(request, code)
    query = Observation.objects.filter(in_region(code, "rt__desa__code"))
    if tahun is not None:
        query = query.filter(tahun=tahun)
    if status is not None:
        query = query.filter(status=status)
    if location is not None:
        query = query.filter(rt__location_id=location)
    return query.select_related("rt", "score").order_by("rt__desa_id", "rt_id", "tahun")


@router.get("/{code}/sk-versions", response={200: list[SkVersionOut], **ERRORS})
@paginate(Page)
def sk_versions_of(request: HttpRequest, code: str = Code) -> Any:
    """The versions of the SK Kumuh of the kabupaten holding the region, newest first."""
    region_or_404(request, code)
    rows: list[DecreeSummary] = decree_list(code)
    return rows


@router.get("/{code}/investments", response={200: list[InvestmentOut], **ERRORS})
@paginate(Page)
def investments_of(
    request: HttpRequest,
    code: str = Code,
    tahun: Year | None = None,
    criterion: str | None = param.Query(None, max_length=3),
    location: int | None = param.Query(None, ge=1, le=2**53),
) -> Any:
    """Activities (investments) of the region's locations."""
    region_or_404(request, code)
    query = Investment.objects.filter(location_in_region(code, "location__"))
    if tahun is not None:
        query = query.filter(tahun=tahun)
    if criterion:
        query = query.filter(criterion=criterion)
    if location is not None:
        query = query.filter(location_id=location)
    return query.select_related("location").order_by("location_id", "tahun", "criterion", "id")


@router.get("/{code}/uji-petik", response={200: list[UjiPetikOut], **ERRORS})
@paginate(Page)
def uji_petik_of(request: HttpRequest, code: str = Code) -> Any:
    """Uji petik (sample checks) of the region's kabupaten, with their progress."""
    region_or_404(request, code)
    return uji_petik_list(code)
