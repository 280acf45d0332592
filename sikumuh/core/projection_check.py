"""Kumuh akhir against a later survey, and what each investment did to its criterion
(criteria.md §7: "when a later survey exists, show projected against measured: it tells whether
the works did what was planned").

Pure: the loaders in ``sikumuh.investments.projection`` fetch the figures, this decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import CLASS_ORDER, SlumClass
from sikumuh.core.decimals import micro_to_decimal, to_micro
from sikumuh.core.projection import InvestmentVolume, ProjectedRt, RegionProjection, RtFigures

#: Lightness of a class: Kumuh Berat 0 … Tidak Kumuh 3 (CLASS_ORDER is heaviest first).
_LIGHTNESS = {klass: rank for rank, klass in enumerate(CLASS_ORDER)}


def did_what_was_planned(projected: SlumClass | None, measured: SlumClass | None) -> bool | None:
    """Whether the works on an RT did what was planned, from its projected class (kumuh akhir)
    and the class measured by a later survey.

    The rule: **the measured class is the projected class or a lighter one** (Kumuh Berat <
    Kumuh Sedang < Kumuh Ringan < Tidak Kumuh). An RT projected Kumuh Ringan and measured Tidak
    Kumuh did (more than) what was planned; one projected Tidak Kumuh and measured Kumuh Ringan
    did not. The class decides, not the total: a total a few points above the projection inside
    the same class still counts as done, since the class is what the programme reports.

    None — not judged — when either class is unknown (scoring errors on either side).
    """
    if projected is None or measured is None:
        return None
    return _LIGHTNESS[measured] >= _LIGHTNESS[projected]


@dataclass(frozen=True)
class Measured:
    """An RT's class measured by a later survey: its observation of ``tahun`` (after the base
    year), counted as of the comparison year."""

    key: int
    tahun: int
    klass: SlumClass | None
    luas_ha: Decimal


@dataclass(frozen=True)
class RtOutcome:
    """One RT: projected from the base year, measured later, and the verdict (None: not
    judged, a class unknown)."""

    item: ProjectedRt
    measured: Measured
    achieved: bool | None


@dataclass(frozen=True)
class Outcomes:
    """Projected against measured for the RTs that can be judged, with the counts of those that
    cannot.

    ``rts``: the RTs with at least one investment counted in the projection and an observation
    of a year after the base year (up to ``later_year``), in the projection's order.
    ``not_resurveyed``: RTs with investments counted but no such observation. Slum hectares
    are summed over the judged RTs: projected with the base year's areas, measured with the
    later survey's (criteria.md §5: hectares of the RTs not Tidak Kumuh).
    """

    base_year: int
    later_year: int
    rts: tuple[RtOutcome, ...]
    not_resurveyed: int

    @property
    def judged(self) -> tuple[RtOutcome, ...]:
        return tuple(o for o in self.rts if o.achieved is not None)

    @property
    def achieved(self) -> int:
        return sum(1 for o in self.rts if o.achieved)

    @property
    def missed(self) -> tuple[RtOutcome, ...]:
        """The judged RTs whose works did not do what was planned."""
        return tuple(o for o in self.rts if o.achieved is False)

    @property
    def unjudged(self) -> int:
        return len(self.rts) - len(self.judged)

    @property
    def projected_slum_ha(self) -> Decimal:
        slum = (o.item for o in self.judged if _slum(o.item.projection.projected.klass))
        return sum((item.figures.luas_ha for item in slum), Decimal(0))

    @property
    def measured_slum_ha(self) -> Decimal:
        return sum((o.measured.luas_ha for o in self.judged if _slum(o.measured.klass)), Decimal(0))


def _slum(klass: SlumClass | None) -> bool:
    return klass is not None and klass is not SlumClass.TIDAK_KUMUH


def compare(
    projection: RegionProjection, measured: Mapping[int, Measured], later_year: int
) -> Outcomes:
    """Projected against measured: every RT with investments counted, judged by
    :func:`did_what_was_planned` against its observation of a year after the base year
    (``measured``, by RT key; observations of the base year or before are ignored)."""
    if later_year <= projection.base_year:
        raise ValueError(f"the later year {later_year} must follow the base year")
    rts = []
    not_resurveyed = 0
    for item in projection.units:
        if not item.invested:
            continue
        found = measured.get(item.figures.key)
        if found is None or not projection.base_year < found.tahun <= later_year:
            not_resurveyed += 1
            continue
        verdict = did_what_was_planned(item.projection.projected.klass, found.klass)
        rts.append(RtOutcome(item, found, verdict))
    return Outcomes(projection.base_year, later_year, tuple(rts), not_resurveyed)


# --- What each investment did to its criterion --------------------------------------------------


@dataclass(frozen=True)
class InvestmentStep:
    """One investment applied to its RT in year order: the criterion's volume before and after
    it. ``counted`` False: outside the projection's years, for a criterion the RT's rule set does
    not score, or one known only as a percentage (before/after None then)."""

    investment: InvestmentVolume
    counted: bool
    before: Decimal | None
    after: Decimal | None


def investment_steps(
    figures: RtFigures, investments: Iterable[InvestmentVolume], *, base_year: int, until: int
) -> list[InvestmentStep]:
    """The RT's investments in the order given (the caller sorts them by year), each taking its
    volume off what the earlier ones left, never below 0 — the same end volumes as
    :func:`sikumuh.core.projection.project_after_investment`, which subtracts their sum."""
    codes = set(figures.rule_set.codes)
    left = {code: to_micro(v) for code, v in figures.unit.volumes.items() if v is not None}
    steps = []
    for inv in investments:
        known = inv.criterion in codes and inv.criterion in left
        if not (known and base_year < inv.tahun <= until):
            steps.append(InvestmentStep(inv, False, None, None))
            continue
        before = left[inv.criterion]
        after = max(0, before - to_micro(inv.volume))
        left[inv.criterion] = after
        steps.append(InvestmentStep(inv, True, micro_to_decimal(before), micro_to_decimal(after)))
    return steps
