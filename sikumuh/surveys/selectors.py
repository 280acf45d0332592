"""Reads for slum-area figures: one aggregate query per question, no per-unit loops."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.asof import Coverage
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS, SlumClass, get_rule_set
from sikumuh.core.decimals import to_decimal6
from sikumuh.core.reduction import Reduction, reduction_vs_own_baseline, reduction_vs_sk_baseline
from sikumuh.core.scoring import UnitResult, score_unit
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkLocation
from sikumuh.slums.sk_in_force import sk_version_in_force, sk_versions_in_force
from sikumuh.surveys.asof import (
    ALL,
    StatusFilter,
    as_of_groups,
    as_of_observations,
    region_filter,
)
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import header_of, score_observations, unit_input


@dataclass
class YearFigures:
    tahun: int
    slum_ha: Decimal
    assessed_ha: Decimal
    by_class: dict[str, dict[str, Any]]
    unscored_rt: int
    coverage: Coverage
    sk: SkInForce | None = None
    reduction_own: Reduction | None = None
    reduction_sk: Reduction | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "slum_ha": self.slum_ha,
            "assessed_ha": self.assessed_ha,
            "rt_assessed": sum(c["rt"] for c in self.by_class.values()),
            "rt_unscored": self.unscored_rt,
            "by_class": self.by_class,
            "reduction_vs_baseline": _reduction_dict(self.reduction_own),
            "reduction_vs_sk": _reduction_dict(self.reduction_sk),
            "rt_observed": self.coverage.observed,
            "rt_carried": self.coverage.carried_total,
            "rt_carried_from": {str(y): n for y, n in self.coverage.carried.items()},
            "rt_total": self.coverage.total,
            "complete": self.coverage.complete,
            "sk": None if self.sk is None else self.sk.as_dict(),
        }


@dataclass(frozen=True)
class SkInForce:
    """The SK in force in a year (criteria.md §9): number, date and hectares. Above a
    kabupaten/kota: the SKs in force of every kabupaten inside, their numbers joined, no date."""

    number: str
    date: dt.date | None
    ha: Decimal

    def as_dict(self) -> dict[str, Any]:
        date = None if self.date is None else self.date.isoformat()
        return {"number": self.number, "date": date, "ha": self.ha}


def _reduction_dict(reduction: Reduction | None) -> dict[str, Any] | None:
    if reduction is None:
        return None
    return {
        "ha": reduction.ha,
        "percent": reduction.percent,
        "base": reduction.base_label,
        "base_ha": reduction.base_ha,
    }


@dataclass
class SlumAreaReport:
    """A region's slum area as of each year of its series. ``sk_total_ha`` / ``sk_decrees``:
    the SK in force in the last year of the series (the latest SK without data)."""

    region_code: str
    sk_total_ha: Decimal | None
    sk_decrees: list[str]
    baseline_year: int | None
    status: StatusFilter = ALL
    years: list[YearFigures] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region_code,
            "status": self.status,
            "sk_total_ha": self.sk_total_ha,
            "sk_decrees": self.sk_decrees,
            "baseline_year": self.baseline_year,
            "years": {str(y.tahun): y.as_dict() for y in self.years},
        }


def sk_in_force(code: str, tahun: int) -> tuple[SkInForce | None, list[str]]:
    """The SK in force in `tahun` (criteria.md §9) of the kabupaten/kota holding `code`, or of
    every kabupaten/kota inside it, with its hectares, and the decrees as labelled.

    The reduction "vs the SK baseline" is always against the kabupaten's whole SK total
    (criteria.md §5), also when the region asked for is a kecamatan or desa.
    """
    if code != NATIONAL and level_of(code) >= Level.KABUPATEN:
        decree = sk_version_in_force(code, tahun)
        decrees = [] if decree is None else [decree]
    else:
        decrees = sk_versions_in_force(code, tahun)
    if not decrees:
        return None, []
    total = SkLocation.objects.filter(decree__in=decrees).aggregate(ha=Sum("luas_ha"))["ha"]
    one = decrees[0] if len(decrees) == 1 else None
    sk = SkInForce(
        number=one.number if one else "; ".join(f"{d.kabupaten_id}: {d.number}" for d in decrees),
        date=one.date if one else None,
        ha=to_decimal6(total) or Decimal(0),
    )
    return sk, [f"{d.kabupaten_id}: {d}" for d in decrees]


def slum_area(code: str, status: StatusFilter = ALL) -> SlumAreaReport:
    """Slum hectares of a region as of each year of its series (criteria.md §5, §9): Σ luas_ha
    of the RTs not Tidak Kumuh, each RT with its latest observation up to the year under the
    status filter; the reduction against the SK in force in each year."""
    groups = as_of_groups(code, status=status)
    per_year: dict[int, YearFigures] = {
        tahun: YearFigures(
            tahun=tahun,
            slum_ha=Decimal(0),
            assessed_ha=Decimal(0),
            by_class={c.value: {"ha": Decimal(0), "rt": 0} for c in SlumClass},
            unscored_rt=0,
            coverage=covered,
        )
        for tahun, covered in groups.coverage.items()
    }
    for item in groups.rows:
        year = per_year[item["tahun"]]
        ha = to_decimal6(item["ha"]) or Decimal(0)
        if item["klass"] is None:
            year.unscored_rt += item["n"]
            continue
        year.by_class[item["klass"]] = {"ha": ha, "rt": item["n"]}
        year.assessed_ha += ha
        if item["klass"] != SlumClass.TIDAK_KUMUH:
            year.slum_ha += ha
    years = [per_year[y] for y in sorted(per_year)]
    _add_reductions(code, years)
    last_sk, decrees = sk_in_force(code, years[-1].tahun if years else _THIS_YEAR_AND_AFTER)
    return SlumAreaReport(
        region_code=code,
        sk_total_ha=None if last_sk is None else last_sk.ha,
        sk_decrees=decrees,
        baseline_year=years[0].tahun if years else None,
        status=status,
        years=years,
    )


#: Without data, the SK shown is the latest registered (in force from now on).
_THIS_YEAR_AND_AFTER = 9999


def _add_reductions(code: str, years: list[YearFigures]) -> None:
    if not years:
        return
    baseline = years[0]
    for year in years:
        base_label = f"luas kumuh {code} tahun {baseline.tahun}"
        year.reduction_own = reduction_vs_own_baseline(
            baseline.slum_ha, year.slum_ha, base_label=base_label
        )
        year.sk, _ = sk_in_force(code, year.tahun)
        if year.sk is not None and year.sk.ha:
            year.reduction_sk = reduction_vs_sk_baseline(
                baseline.slum_ha - year.slum_ha,
                year.sk.ha,
                base_label="luas kumuh SK (total kabupaten/kota)",
            )


def observations_in(code: str, tahun: int) -> list[Observation]:
    """The observations of a region counted as of a year (each RT's latest up to it, one
    query)."""
    inside = Observation.objects.filter(region_filter(code, prefix="score__"))
    return list(
        as_of_observations(inside, tahun).only(*HEADER_FIELDS, "volumes", "percents", "rule_set")
    )


def aggregate_score(
    code: str, tahun: int, rule_set_id: str = DEFAULT_RULE_SET_ID
) -> UnitResult | None:
    """A region (or `NATIONAL`) scored from the sum of its RTs' volumes and denominators
    (criteria.md §5), not from an average of scores. None when it has no data that year."""
    observations = [o for o in observations_in(code, tahun) if o.rule_set == rule_set_id]
    if not observations:
        return None
    unit = aggregate_inputs(unit_input(header_of(o), o.volumes, o.percents) for o in observations)
    return score_unit(unit, get_rule_set(rule_set_id))


def location_score(location_id: int, tahun: int) -> UnitResult | None:
    """A slum location scored from the sum of its RTs as of `tahun` (criteria.md §5, §9)."""
    observations = list(
        as_of_observations(Observation.objects.filter(rt__location_id=location_id), tahun)
    )
    if not observations:
        return None
    return score_observations(observations).result
