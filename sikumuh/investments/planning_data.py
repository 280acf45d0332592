"""Loading what the projection and the planner compute on: RT figures as of a year and the
investments of a region (criteria.md §7, §9, §10). Fetch here, compute in `sikumuh.core`."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.core.projection import InvestmentVolume, RtFigures
from sikumuh.investments.models import Investment, InvestmentStatus
from sikumuh.regions.codes import NATIONAL
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.asof import as_of_observations
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.scoring import header_of, unit_input


def _desa_in(code: str, field: str) -> Q:
    """RTs (through ``field``, a desa code) inside region ``code``; everything for NATIONAL."""
    if code == NATIONAL:
        return Q()
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def rt_units_as_of(region_code: str, tahun: int, status: str = "all") -> list[RtFigures]:
    """Every RT of the region with its latest observation of a year ≤ ``tahun`` (criteria.md
    §9), under the status filter ``all`` or ``approved``; an RT with none is not counted."""
    return rt_units_where(observations_in(region_code), tahun, status)


def data_years(region_code: str, status: str = "all") -> list[int]:
    """The years in which the region has RT data (under the status filter), oldest first: the
    years a plan may be computed for (criteria.md §10: RT figures of that year)."""
    rows = Observation.objects.filter(observations_in(region_code))
    if status == "approved":
        rows = rows.filter(status=Status.APPROVED)
    return sorted(rows.order_by().values_list("tahun", flat=True).distinct())


def observations_in(region_code: str) -> Q:
    """The observations of the RTs of a region (every one for NATIONAL)."""
    return _desa_in(region_code, "rt__desa__code")


def rt_units_where(where: Q, tahun: int, status: str = "all") -> list[RtFigures]:
    """:func:`rt_units_as_of` for the observations matching ``where`` (a region's, or one
    location's: ``Q(rt__location_id=…)``). One query."""
    inside = Observation.objects.filter(where)
    rows = (
        as_of_observations(inside, tahun, "approved" if status == "approved" else "all")
        .select_related("rt__location")
        .only(
            *HEADER_FIELDS,
            "tahun",
            "volumes",
            "percents",
            "rule_set",
            "rt__rt",
            "rt__desa_id",
            "rt__location__code",
        )
        .order_by("rt_id")
    )
    latest: dict[int, Observation] = {obs.rt_id: obs for obs in rows}
    return [
        figures_of(obs)
        for _, obs in sorted(
            latest.items(),
            key=lambda item: (item[1].rt.desa_id, item[1].rt.location.code, item[1].rt.rt),
        )
    ]


def figures_of(obs: Observation, rt: RtUnit | None = None) -> RtFigures:
    """The projection's view of one observation of ``rt`` (default: ``obs.rt``, with its
    location loaded)."""
    rt = rt or obs.rt
    return RtFigures(
        key=obs.rt_id,
        kode_desa=rt.desa_id,
        lokasi=rt.location.code,
        rt=rt.rt,
        luas_ha=obs.luas_ha or Decimal(0),
        unit=unit_input(header_of(obs), obs.volumes, obs.percents),
        rule_set=get_rule_set(obs.rule_set),
    )


def investments_in(region_code: str) -> Q:
    """The investments of a region: an RT investment belongs to the region of the RT's desa; a
    location-level one to its location's desa, or its kabupaten when the location has no
    single desa."""
    return (
        _desa_in(region_code, "rt__desa__code")
        | Q(rt__isnull=True) & _desa_in(region_code, "location__desa__code")
        | Q(rt__isnull=True, location__desa__isnull=True)
        & _desa_in(region_code, "location__kabupaten__code")
    )


#: Only realised works count in a projection of what the money fixed; a planned one
#: (rencana, e.g. the planner's exported plan taken back by the import) does not (criteria.md §7).
REALISED = Q(status=InvestmentStatus.REALISASI)


def investments_between(
    region_code: str, after: int, until: int, where: Q | None = None
) -> list[InvestmentVolume]:
    """The region's realised investments with ``after < tahun ≤ until``, RT-level and
    location-level (``where`` instead of the region: e.g. one location's). Planned works
    (rencana) are left out: see :data:`REALISED`."""
    place = investments_in(region_code) if where is None else where
    rows = Investment.objects.filter(place, REALISED, tahun__gt=after, tahun__lte=until)
    return [
        InvestmentVolume(rt, code, year, volume)
        for rt, code, year, volume in rows.values_list("rt_id", "criterion", "tahun", "volume")
    ]
