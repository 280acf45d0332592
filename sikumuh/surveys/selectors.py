"""Reads for slum-area figures: one aggregate query per question, no per-unit loops."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum

from sikumuh.core.aggregation import aggregate_inputs
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS, SlumClass, get_rule_set
from sikumuh.core.reduction import Reduction, reduction_vs_own_baseline, reduction_vs_sk_baseline
from sikumuh.core.scoring import UnitResult, score_unit
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level, level_of
from sikumuh.slums.models import SkDecree, SkLocation
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.scoring import header_of, score_observations, unit_input

_LEVEL_FIELD = {
    Level.PROVINSI: "province_code",
    Level.KABUPATEN: "kabupaten_code",
    Level.KECAMATAN: "kecamatan_code",
    Level.DESA: "desa_code",
}


def region_filter(code: str, prefix: str = "") -> Q:
    """Filter on the denormalised region code columns of `Score` (or a relation to it)."""
    if code == NATIONAL:
        return Q()
    return Q(**{prefix + _LEVEL_FIELD[Level(level_of(code))]: code})


@dataclass
class YearFigures:
    tahun: int
    slum_ha: Decimal
    assessed_ha: Decimal
    by_class: dict[str, dict[str, Any]]
    unscored_rt: int
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
        }


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
    region_code: str
    sk_total_ha: Decimal | None
    sk_decrees: list[str]
    baseline_year: int | None
    years: list[YearFigures] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region_code,
            "sk_total_ha": self.sk_total_ha,
            "sk_decrees": self.sk_decrees,
            "baseline_year": self.baseline_year,
            "years": {str(y.tahun): y.as_dict() for y in self.years},
        }


def sk_baseline(code: str) -> tuple[Decimal | None, list[str]]:
    """Total hectares of the latest SK Kumuh of every kabupaten/kota inside (or holding) `code`.

    The reduction "vs the SK baseline" is always against the kabupaten's whole SK total
    (criteria.md §5), also when the region asked for is a kecamatan or desa.
    """
    level = Level.PROVINSI if code == NATIONAL else Level(level_of(code))
    if code == NATIONAL:
        decrees = SkDecree.objects.all()
    elif level >= Level.KABUPATEN:
        decrees = SkDecree.objects.filter(kabupaten_id=code[:5])
    else:
        decrees = SkDecree.objects.filter(kabupaten_id__startswith=code + ".")
    latest = decrees.values("kabupaten_id").annotate(year=Max("year"))
    chosen: list[SkDecree] = []
    for item in latest:
        decree = (
            SkDecree.objects.filter(kabupaten_id=item["kabupaten_id"], year=item["year"])
            .order_by("-id")
            .first()
        )
        if decree is not None:
            chosen.append(decree)
    if not chosen:
        return None, []
    total = SkLocation.objects.filter(decree__in=chosen).aggregate(ha=Sum("luas_ha"))["ha"]
    return (total or Decimal(0)), [f"{d.kabupaten_id}: {d}" for d in chosen]


def slum_area(code: str) -> SlumAreaReport:
    """Slum hectares per year for a region (criteria.md §5): Σ luas_ha of units not Tidak Kumuh."""
    rows = (
        Score.objects.filter(region_filter(code))
        .values("tahun", "klass")
        .annotate(ha=Sum("luas_ha"), n=Count("id"))
        .order_by("tahun", "klass")
    )
    per_year: dict[int, YearFigures] = {}
    for item in rows:
        year = per_year.setdefault(
            item["tahun"],
            YearFigures(
                tahun=item["tahun"],
                slum_ha=Decimal(0),
                assessed_ha=Decimal(0),
                by_class={c.value: {"ha": Decimal(0), "rt": 0} for c in SlumClass},
                unscored_rt=0,
            ),
        )
        ha = item["ha"] or Decimal(0)
        if item["klass"] is None:
            year.unscored_rt += item["n"]
            continue
        year.by_class[item["klass"]] = {"ha": ha, "rt": item["n"]}
        year.assessed_ha += ha
        if item["klass"] != SlumClass.TIDAK_KUMUH:
            year.slum_ha += ha
    sk_total, decrees = sk_baseline(code)
    years = [per_year[y] for y in sorted(per_year)]
    baseline = years[0] if years else None
    for year in years:
        assert baseline is not None
        base_label = f"luas kumuh {code} tahun {baseline.tahun}"
        year.reduction_own = reduction_vs_own_baseline(
            baseline.slum_ha, year.slum_ha, base_label=base_label
        )
        if sk_total:
            year.reduction_sk = reduction_vs_sk_baseline(
                baseline.slum_ha - year.slum_ha,
                sk_total,
                base_label="luas kumuh SK (total kabupaten/kota)",
            )
    return SlumAreaReport(
        region_code=code,
        sk_total_ha=sk_total,
        sk_decrees=decrees,
        baseline_year=baseline.tahun if baseline else None,
        years=years,
    )


def observations_in(code: str, tahun: int) -> list[Observation]:
    """The observations of a region in a year (one query)."""
    return list(
        Observation.objects.filter(region_filter(code, prefix="score__"), tahun=tahun).only(
            *HEADER_FIELDS, "volumes", "percents", "rule_set"
        )
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
    """A slum location scored from the sum of its RTs (criteria.md §5)."""
    observations = list(Observation.objects.filter(rt__location_id=location_id, tahun=tahun))
    if not observations:
        return None
    return score_observations(observations).result
