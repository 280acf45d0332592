"""What the API reads and writes, typed (pydantic through django-ninja): the OpenAPI document
is generated from these, and schemathesis checks the answers against it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS, RULE_SETS

#: Header fields and volumes as the database stores them (18 digits, 6 after the point).
Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=6, ge=0, allow_inf_nan=False)]
Rupiah = Annotated[Decimal, Field(max_digits=18, decimal_places=2, ge=0, allow_inf_nan=False)]
#: The rule sets of `sikumuh.core.criteria` (Permen PUPR 14/2018, the default; 02/2016).
RuleSetId = Literal[tuple(RULE_SETS)]  # type: ignore[valid-type]  # built from the catalogue
#: Primary keys a client may send: bounded, so that no database is asked for an overflowing id.
Id = Annotated[int, Field(ge=1, le=2**53)]
Year = Annotated[int, Field(ge=1945, le=2200)]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] | None = None


class LocationOut(Schema):
    id: int
    code: str
    name: str
    kabupaten: str = Field(..., alias="kabupaten_id")
    desa: str | None = Field(None, alias="desa_id")
    typology: str


class RtOut(Schema):
    id: int
    rt: str
    desa: str = Field(..., alias="desa_id")
    location: int = Field(..., alias="location_id")
    location_code: str = Field(..., alias="location.code")


class ObservationOut(Schema):
    id: int
    rt: int = Field(..., alias="rt_id")
    desa: str = Field(..., alias="rt.desa_id")
    location: int = Field(..., alias="rt.location_id")
    tahun: int
    status: str
    rule_set: str
    source: str
    header: dict[str, float | None]
    volumes: dict[str, str | None]
    total: int | None
    klass: str | None

    @staticmethod
    def resolve_header(obs: Any) -> dict[str, float | None]:
        return {name: _number(getattr(obs, name)) for name in HEADER_FIELDS}

    @staticmethod
    def resolve_total(obs: Any) -> int | None:
        score = getattr(obs, "score", None)
        return None if score is None else score.total

    @staticmethod
    def resolve_klass(obs: Any) -> str | None:
        score = getattr(obs, "score", None)
        return None if score is None else score.klass


class SkVersionOut(Schema):
    """A version of the SK Kumuh, its locations and hectares inside the region asked for."""

    id: int = Field(..., alias="decree.id")
    kabupaten: str = Field(..., alias="decree.kabupaten_id")
    number: str = Field(..., alias="decree.number")
    date: dt.date | None = Field(None, alias="decree.date")
    year: int = Field(..., alias="decree.year")
    title: str = Field(..., alias="decree.title")
    supersedes: int | None = Field(None, alias="decree.supersedes_id")
    superseded_by: int | None = Field(None, alias="superseded_by_id")
    is_latest: bool
    locations: int
    total_ha: float


class InvestmentOut(Schema):
    id: int
    location: int = Field(..., alias="location_id")
    location_code: str = Field(..., alias="location.code")
    rt: int | None = Field(None, alias="rt_id")
    criterion: str
    tahun: int
    activity: str
    volume: float
    unit: str
    funding_source: str
    cost: float | None
    source_ref: str


class UjiPetikOut(Schema):
    """An uji petik and how far its checks have come (`inspections.selectors.uji_petik_list`)."""

    id: int
    kabupaten: str = Field(..., alias="kabupaten_id")
    title: str
    tahun: list[int]
    status: str
    n_requested: int
    items: int = Field(..., alias="item_count")
    checked: int = Field(..., alias="checked_count")
    open_follow_ups: int
    drawn_at: dt.datetime


class RtDataOut(Schema):
    """One page of `sikumuh export rt-data`: its columns, and rows keyed by them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    limit: int
    offset: int
    more: bool


class HeaderIn(Schema):
    luas_ha: Amount | None = None
    jumlah_bangunan: Amount | None = None
    jumlah_penduduk: Amount | None = None
    jumlah_kk: Amount | None = None
    panjang_jalan_ideal_m: Amount | None = None
    panjang_drainase_ideal_m: Amount | None = None


class ObservationIn(Schema):
    """One RT-year as the entry form takes it: the header and the volumes per criterion code."""

    rt: Id
    tahun: Year
    header: HeaderIn
    volumes: dict[Annotated[str, Field(max_length=8)], Amount | None] = Field(default_factory=dict)
    rule_set: RuleSetId = DEFAULT_RULE_SET_ID  # type: ignore[valid-type]


class InvestmentIn(Schema):
    """One activity (criteria.md §7): in a location, or in one of its RTs."""

    location: Id
    rt: Id | None = None
    criterion: Annotated[str, Field(min_length=1, max_length=3)]
    tahun: Year
    activity: Annotated[str, Field(min_length=1, max_length=200)]
    volume: Amount
    unit: Annotated[str, Field(max_length=20)] = ""
    funding_source: Annotated[str, Field(max_length=20)] = ""
    cost: Rupiah | None = None
    source_ref: Annotated[str, Field(max_length=100)] = ""


class InvestmentReportOut(Schema):
    status: str
    created: int
    updated: int
    unchanged: int
