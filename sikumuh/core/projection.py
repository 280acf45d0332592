"""Kumuh akhir: the condition projected after investments (criteria.md §7).

Each investment (activity) reduces the volume of the criterion it addresses, in that
criterion's unit (metres of road built reduce 2a/2b, households connected reduce 3a/3b, …).
Programme practice (the R0 instrument "perhitungan tingkat kekumuhan akhir"):
``volume_akhir = max(0, volume_awal − Σ investment volume)``, then rescore. Planners use the
projection to choose investments; a later survey replaces it with measured data, and both are
kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import CLASS_ORDER, PERMEN_PUPR_14_2018, RuleSet, SlumClass
from sikumuh.core.decimals import micro_to_decimal, to_decimal6, to_micro
from sikumuh.core.issues import CANNOT_PROJECT_PERCENT, Issue
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit


def sum_investments(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Total investment volume per criterion from ``(criterion, volume)`` pairs (exact)."""
    totals: dict[str, int] = {}
    for code, volume in items:
        totals[code] = totals.get(code, 0) + to_micro(volume)
    return {code: micro_to_decimal(micro) for code, micro in totals.items()}


def project_after_investment(unit: UnitInput, investments: Mapping[str, Decimal]) -> UnitInput:
    """The unit's input after investments: each invested criterion's volume reduced, not below 0.

    Only criteria with an investment change: a criterion without one keeps its baseline volume
    (so a negative baseline volume stays an error instead of silently becoming 0). A criterion
    known only as a percentage cannot be reduced by a volume: it keeps its percentage and the
    result carries a ``cannot_project_percent`` warning. A negative investment volume is refused.
    """
    volumes = dict(unit.volumes)
    issues = list(unit.issues)
    for code, amount in investments.items():
        invested = to_decimal6(amount)
        if invested is None or invested < 0:
            raise ValueError(f"investment for {code} must be a volume ≥ 0, got {amount!r}")
        baseline = unit.volumes.get(code)
        if baseline is None:
            if unit.percents.get(code) is not None:
                issues.append(
                    Issue(
                        CANNOT_PROJECT_PERCENT,
                        code,
                        "percent",
                        None,
                        f"Criterion {code}: only a percentage is known, so the investment of "
                        f"{invested} cannot reduce it; the baseline percentage is kept.",
                    )
                )
            continue
        volumes[code] = micro_to_decimal(max(0, to_micro(baseline) - to_micro(invested)))
    return UnitInput(
        header=unit.header, volumes=volumes, percents=unit.percents, issues=tuple(issues)
    )


@dataclass(frozen=True)
class Projection:
    """Baseline (kumuh awal) and projected (kumuh akhir) results of one unit."""

    baseline: UnitResult
    projected: UnitResult

    @property
    def total_change(self) -> int | None:
        """Projected total minus baseline total (negative = improvement); None if unknown."""
        if self.baseline.total is None or self.projected.total is None:
            return None
        return self.projected.total - self.baseline.total


def project_and_score(
    unit: UnitInput,
    investments: Mapping[str, Decimal],
    rule_set: RuleSet = PERMEN_PUPR_14_2018,
) -> Projection:
    """Score the unit before and after the investments under one rule set."""
    projected = project_after_investment(unit, investments)
    return Projection(score_unit(unit, rule_set), score_unit(projected, rule_set))


# --- The projection of a region from a base year (criteria.md §7, "kumuh akhir") -------------


@dataclass(frozen=True)
class RtFigures:
    """One RT as of a year: who it is, its area and its input under its own rule set."""

    key: int
    kode_desa: str
    lokasi: str
    rt: str
    luas_ha: Decimal
    unit: UnitInput
    rule_set: RuleSet


@dataclass(frozen=True)
class InvestmentVolume:
    """One investment as the projection needs it; ``rt_key`` None = location-level only."""

    rt_key: int | None
    criterion: str
    tahun: int
    volume: Decimal


@dataclass(frozen=True)
class ProjectedRt:
    """One RT measured as of the base year and projected after its investments; ``invested``:
    how many of its investments the projection counted (0: projected = measured)."""

    figures: RtFigures
    projection: Projection
    invested: int = 0


@dataclass(frozen=True)
class RegionProjection:
    """Every RT of a region as of ``base_year``, projected to ``until``.

    ``investments_counted``: RT investments with base_year < tahun ≤ until applied to an RT.
    ``location_level``: investments of those years recorded for a location but no RT — they
    count in money and output, never in the projection (criteria.md §7). ``without_figures``:
    RT investments whose RT has no figures as of the base year (nothing to subtract from).
    """

    base_year: int
    until: int
    units: tuple[ProjectedRt, ...]
    investments_counted: int
    location_level: int
    without_figures: int


def project_region(
    units: Iterable[RtFigures],
    investments: Iterable[InvestmentVolume],
    *,
    base_year: int,
    until: int,
) -> RegionProjection:
    """Project each RT from its figures as of ``base_year`` by its investments of the years
    ``base_year < tahun ≤ until``, rescoring it under its own rule set."""
    if until < base_year:
        raise ValueError(f"until ({until}) must not be before the base year ({base_year})")
    by_key = {u.key: u for u in units}
    per_rt: dict[int, list[tuple[str, Decimal]]] = {}
    counted = location_level = without = 0
    for inv in investments:
        if not base_year < inv.tahun <= until:
            continue
        if inv.rt_key is None:
            location_level += 1
        elif inv.rt_key not in by_key:
            without += 1
        else:
            counted += 1
            per_rt.setdefault(inv.rt_key, []).append((inv.criterion, inv.volume))
    projected = tuple(
        ProjectedRt(u, _project(u, per_rt.get(u.key, ())), len(per_rt.get(u.key, ())))
        for u in by_key.values()
    )
    return RegionProjection(base_year, until, projected, counted, location_level, without)


def _project(unit: RtFigures, items: list[tuple[str, Decimal]] | tuple[()]) -> Projection:
    """Score the RT before and after its investments; an RT without any is scored once (its
    projection is its measurement: the same input scores the same), which halves the work of
    a region where few RTs have investments."""
    if not items:
        result = score_unit(unit.unit, unit.rule_set)
        return Projection(result, result)
    return project_and_score(unit.unit, _known(items, unit), unit.rule_set)


def _known(items: Iterable[tuple[str, Decimal]], unit: RtFigures) -> dict[str, Decimal]:
    """The RT's investment totals per criterion, for the criteria of its rule set only (an
    investment in a criterion the RT's regulation does not score changes nothing)."""
    codes = set(unit.rule_set.codes)
    return {c: v for c, v in sum_investments(items).items() if c in codes}


@dataclass(frozen=True)
class ClassFigures:
    """Hectares and RTs of one class, measured (as of the base year) and projected."""

    measured_ha: Decimal
    measured_rt: int
    projected_ha: Decimal
    projected_rt: int


def slum_ha(projection: RegionProjection, *, projected: bool) -> Decimal:
    """Slum area: hectares of RTs whose class is not Tidak Kumuh (criteria.md §5); an RT
    without a class (scoring errors) is not counted."""
    total = Decimal(0)
    for item in projection.units:
        result = item.projection.projected if projected else item.projection.baseline
        if result.klass is not None and result.klass is not SlumClass.TIDAK_KUMUH:
            total += item.figures.luas_ha
    return total


def by_class(projection: RegionProjection) -> dict[str, ClassFigures]:
    """Measured and projected hectares and RTs per class (heaviest first; "unscored" last)."""
    keys = [k.value for k in CLASS_ORDER] + ["unscored"]
    ha = {(k, p): Decimal(0) for k in keys for p in (False, True)}
    rts = dict.fromkeys(ha, 0)
    for item in projection.units:
        for is_projected, result in (
            (False, item.projection.baseline),
            (True, item.projection.projected),
        ):
            key = (result.klass.value if result.klass else "unscored", is_projected)
            ha[key] += item.figures.luas_ha
            rts[key] += 1
    return {k: ClassFigures(ha[k, False], rts[k, False], ha[k, True], rts[k, True]) for k in keys}
