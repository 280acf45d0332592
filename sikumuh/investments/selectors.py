"""Reads of the Investasi pages: the investments of a region (or one location or RT) under the
page's filters, and their totals of money and volume per criterion × year × source of funds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from sikumuh.core.criteria import RULE_SETS
from sikumuh.investments.models import FundingSource, Investment, InvestmentStatus

#: The name of every criterion code of every rule set (the pages show names, not codes).
CRITERION_NAMES = {c.code: c.name for rs in RULE_SETS.values() for c in rs.criteria}


def in_region(code: str) -> Q:
    """Investments whose RT (else location) lies in region `code`: the RT's desa decides, since
    a location may straddle desa and a facilitator sees only their own desa's RTs."""

    def under(field: str) -> Q:
        return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})

    located = Q(rt__isnull=True) & (
        under("location__desa__code")
        | (Q(location__desa__isnull=True) & under("location__kabupaten__code"))
    )
    return (Q(rt__isnull=False) & under("rt__desa__code")) | located


@dataclass(frozen=True)
class Filters:
    """The page's filters, each None when not given (or not valid: ignored, never an error)."""

    tahun: int | None = None
    kriteria: str | None = None
    sumber: str | None = None
    status: str | None = None
    lokasi: int | None = None
    rt: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Filters:
        def number(name: str) -> int | None:
            text = str(query.get(name) or "")
            return int(text) if text.isdigit() and len(text) < 10 else None

        def choice(name: str, allowed: Any) -> str | None:
            text = str(query.get(name) or "")
            return text if text in allowed else None

        return cls(
            tahun=number("tahun"),
            kriteria=choice("kriteria", CRITERION_NAMES),
            sumber=choice("sumber", FundingSource.values),
            status=choice("status", InvestmentStatus.values),
            lokasi=number("lokasi"),
            rt=number("rt"),
        )

    def q(self) -> Q:
        fields = {
            "tahun": self.tahun,
            "criterion": self.kriteria,
            "funding_source": self.sumber,
            "status": self.status,
            "location_id": self.lokasi,
            "rt_id": self.rt,
        }
        return Q(**{name: value for name, value in fields.items() if value is not None})

    def query_string(self) -> str:
        pairs = {
            "tahun": self.tahun,
            "kriteria": self.kriteria,
            "sumber": self.sumber,
            "status": self.status,
            "lokasi": self.lokasi,
            "rt": self.rt,
        }
        return "&".join(f"{k}={v}" for k, v in pairs.items() if v is not None)


def investments(code: str, filters: Filters) -> QuerySet[Investment]:
    return (
        Investment.objects.filter(in_region(code), filters.q())
        .select_related("location", "rt")
        .order_by("-tahun", "location__code", "rt__rt", "criterion", "id")
    )


@dataclass(frozen=True)
class Total:
    criterion: str
    tahun: int
    funding_source: str
    count: int
    volume: Decimal
    unit: str
    cost: Decimal | None
    status: str = InvestmentStatus.REALISASI

    @property
    def status_label(self) -> str:
        return str(InvestmentStatus(self.status).label)


def totals(rows: QuerySet[Investment]) -> list[Total]:
    """Money and volume per criterion × year × source of funds, planned apart from realised (a
    plan imported back is not money spent) and per unit (volumes of different units are never
    added). One query."""
    grouped = (
        rows.order_by()
        .values("criterion", "tahun", "funding_source", "status", "unit")
        .annotate(n=Count("id"), volume=Sum("volume"), cost=Sum("cost"))
        .order_by("criterion", "-tahun", "funding_source", "-status", "unit")
    )
    return [
        Total(
            g["criterion"],
            g["tahun"],
            g["funding_source"],
            g["n"],
            g["volume"],
            g["unit"],
            g["cost"],
            g["status"],
        )
        for g in grouped
    ]


@dataclass(frozen=True)
class GrandTotal:
    """The count and money of a filtered list of one status (realised or planned)."""

    status: str
    count: int
    cost: Decimal | None  # None: no investment of it has a known cost

    @property
    def status_label(self) -> str:
        return str(InvestmentStatus(self.status).label)


def grand_totals(groups: list[Total]) -> list[GrandTotal]:
    """The totals of the whole list, realised first, then planned (a plan is not money spent:
    never added to what was spent), from its :func:`totals` (no query)."""
    found: list[GrandTotal] = []
    for status in (InvestmentStatus.REALISASI, InvestmentStatus.RENCANA):
        mine = [t for t in groups if t.status == status]
        if not mine:
            continue
        costs = [t.cost for t in mine if t.cost is not None]
        cost = sum(costs, Decimal(0)) if costs else None
        found.append(GrandTotal(status, sum(t.count for t in mine), cost))
    return found


def years(code: str) -> list[int]:
    return list(
        Investment.objects.filter(in_region(code))
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .distinct()
    )
