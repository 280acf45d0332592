"""The population an uji petik samples from, and the fields its strata may be built on.

Fetching (one query per kind, one for region names) is kept apart from the pure draw in
`sikumuh.core.sampling` (the "_fetch vs _calculate" habit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, SlumClass, get_rule_set
from sikumuh.investments.models import FundingSource, Investment
from sikumuh.regions.codes import names_of
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Score

INVESTMENTS, RTS = "investments", "rts"

#: Fields a user may stratify on, per population kind (the default first: kecamatan × type).
STRATA_FIELDS: dict[str, tuple[tuple[str, StrOrPromise], ...]] = {
    INVESTMENTS: (
        ("kecamatan", _("Kecamatan")),
        ("aspect", _("Activity type (aspect)")),
        ("criterion", _("Criterion")),
        ("desa", _("Desa/kelurahan")),
        ("location", _("Location")),
        ("funding_source", _("Funding source")),
        ("tahun", _("Fiscal year")),
    ),
    RTS: (
        ("kecamatan", _("Kecamatan")),
        ("klass", _("Slum class")),
        ("desa", _("Desa/kelurahan")),
        ("location", _("Location")),
    ),
}
DEFAULT_STRATA = {INVESTMENTS: ["kecamatan", "aspect"], RTS: ["kecamatan"]}
_FIELD_LABELS = {name: label for fields in STRATA_FIELDS.values() for name, label in fields}
KEY_SEPARATOR = "|"
LABEL_SEPARATOR = " × "

_ASPECTS = {c.aspect: c.aspect_name for c in get_rule_set(DEFAULT_RULE_SET_ID).criteria}
_CRITERIA = {c.code: c.name for c in get_rule_set(DEFAULT_RULE_SET_ID).criteria}
_FUNDING = dict(FundingSource.choices)
_CLASSES = {c.value: c.label_id for c in SlumClass}


@dataclass(frozen=True)
class Unit:
    """One member of the population: an investment or an RT, with its strata fields."""

    id: int
    kind: str
    rt_id: int | None
    kecamatan: str
    desa: str
    location: str
    aspect: str = ""
    criterion: str = ""
    funding_source: str = ""
    tahun: str = ""
    klass: str = ""
    cost: Decimal | None = None

    def field(self, name: str) -> str:
        value: str = getattr(self, name)
        return value


def strata_field_label(name: str) -> str:
    """A strata field by its label ("Kecamatan"); the name itself when unknown."""
    return str(_FIELD_LABELS.get(name, name))


def check_fields(kind: str, fields: Sequence[str]) -> list[str]:
    allowed = {name for name, _label in STRATA_FIELDS[kind]}
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise ValueError(f"cannot stratify {kind} by {', '.join(unknown)}")
    if len(set(fields)) != len(fields):
        raise ValueError("a strata field is given twice")
    return list(fields)


def stratum_key(unit: Unit, fields: Sequence[str]) -> str:
    """A stable key from codes ("63.01.03|2"); one stratum ("semua") when no field is chosen."""
    return KEY_SEPARATOR.join(unit.field(f) or "-" for f in fields) if fields else "semua"


def stratum_label(key: str, fields: Sequence[str], names: dict[str, str]) -> str:
    """A readable label for a key ("Pelaihari × Jalan lingkungan")."""
    if not fields:
        return "Semua"
    parts = key.split(KEY_SEPARATOR)
    labels = []
    for name, value in zip(fields, parts, strict=True):
        if name in {"kecamatan", "desa"}:
            labels.append(names.get(value, value))
        elif name == "aspect":
            labels.append(_ASPECTS.get(int(value), value) if value.isdigit() else value)
        elif name == "criterion":
            labels.append(f"{value} {_CRITERIA.get(value, '')}".strip())
        elif name == "funding_source":
            labels.append(str(_FUNDING.get(value, value)))
        elif name == "klass":
            labels.append(_CLASSES.get(value, value))
        else:
            labels.append(value)
    return LABEL_SEPARATOR.join(labels)


def region_names(codes: Iterable[str]) -> dict[str, str]:
    return names_of(codes)


def _investment_units(queryset: Iterable[Investment]) -> list[Unit]:
    units = []
    for inv in queryset:
        desa = inv.rt.desa_id if inv.rt_id and inv.rt else inv.location.desa_id or ""
        units.append(
            Unit(
                id=inv.pk,
                kind=INVESTMENTS,
                rt_id=inv.rt_id,
                kecamatan=desa[:8],
                desa=desa,
                location=inv.location.code,
                aspect=inv.criterion[:1],
                criterion=inv.criterion,
                funding_source=inv.funding_source,
                tahun=str(inv.tahun),
                cost=inv.cost,
            )
        )
    return units


def investment_population(
    kabupaten: str, years: Sequence[int], ids: Sequence[int] | None = None
) -> list[Unit]:
    """Investments of the kabupaten in the fiscal years (or, with `ids`, those of any year)."""
    queryset = Investment.objects.filter(location__kabupaten_id=kabupaten).select_related(
        "location", "rt"
    )
    queryset = queryset.filter(pk__in=ids) if ids is not None else queryset.filter(tahun__in=years)
    return _investment_units(queryset.order_by("pk"))


def rt_population(
    kabupaten: str, years: Sequence[int], ids: Sequence[int] | None = None
) -> list[Unit]:
    """RTs of the kabupaten with scored data in the years; `klass` is the class of the latest
    of those years (the stratum "slum class")."""
    rts = RtUnit.objects.filter(location__kabupaten_id=kabupaten).select_related("location")
    if ids is not None:
        rts = rts.filter(pk__in=ids)
    else:
        rts = rts.filter(observations__tahun__in=years).distinct()
    latest = dict(
        Score.objects.filter(location__kabupaten_id=kabupaten, tahun__in=years)
        .values("observation__rt_id")
        .annotate(last=Max("tahun"))
        .values_list("observation__rt_id", "last")
    )
    classes = {
        (rt_id, tahun): klass or ""
        for rt_id, tahun, klass in Score.objects.filter(
            location__kabupaten_id=kabupaten, tahun__in=years
        ).values_list("observation__rt_id", "tahun", "klass")
    }
    return [
        Unit(
            id=rt.pk,
            kind=RTS,
            rt_id=rt.pk,
            kecamatan=rt.desa_id[:8],
            desa=rt.desa_id,
            location=rt.location.code,
            klass=classes.get((rt.pk, latest.get(rt.pk, 0)), ""),
        )
        for rt in rts.order_by("pk")
    ]


def population(
    kind: str, kabupaten: str, years: Sequence[int], ids: Sequence[int] | None = None
) -> list[Unit]:
    if kind == INVESTMENTS:
        return investment_population(kabupaten, years, ids)
    if kind == RTS:
        return rt_population(kabupaten, years, ids)
    raise ValueError(f"unknown population kind {kind!r}")
