"""Estimates from an uji petik sample: shares of works with a property, and data reliability.

Proportions (uji-petik.md "What the report shows")
    The share of works fully functioning, built to specification, maintained — per stratum and
    for the whole population — from a stratified random sample drawn without replacement
    (:mod:`sikumuh.core.sampling`). The standard stratified estimator (Cochran, *Sampling
    Techniques*, 3rd ed., §5.3 and §5A.2)::

        p̂   = Σ W_h p̂_h                                     W_h = N_h / N
        Var = Σ W_h² (1 − n_h/N_h) p̂_h (1 − p̂_h) / (n_h − 1)
        95 % CI = p̂ ± 1.96 √Var, clipped to [0, 1]

    ``(1 − n_h/N_h)`` is the finite population correction: a stratum visited completely adds no
    variance. ``n_h`` is the number of sampled items with an answer for this indicator (an item
    whose checklist is not filled, or says "unknown", is non-response and is left out).

    Choices where the textbook is silent, decided here:

    * ``n_h = 1`` with ``N_h > 1``: the sample variance is undefined. Instead of collapsing
      strata (which needs a pairing the user did not choose) the stratum contributes the largest
      variance a proportion can have, ``Var(p̂_h) = 1/4`` — a conservative bound, since any 0/1
      variable has variance at most 1/4. The estimate is flagged ``conservative``.
    * ``n_h = 0`` (a stratum with no answer): it has no estimate; the overall figure covers the
      answered strata only, their weights renormalised to their own population, and says which
      strata it leaves out (``uncovered``).
    * The interval is the design-based normal (Wald) interval the method asks for. With
      ``p̂_h`` of 0 or 1 its width is 0 in that stratum: true of the sample, optimistic for the
      population; the report shows n_h next to each figure so the reader can judge.

    Purposive items are never passed in: the caller shows them apart, unweighted.

Data reliability (uji-petik.md "Two things are checked", 2)
    For each re-surveyed RT the volume found on the ground is compared with the reported one, per
    criterion: absolute difference (criterion units), relative difference (of the reported
    volume), and difference in percentage points of the criterion's percentage — the figure the
    score is read from (Permen PUPR 14/2018: score bands at 25, 50 and 75 %). A criterion is
    *within tolerance* when that percentage-point difference is at most ``tolerance_pp``
    (default 5 points, a fifth of a score band's width: a design choice, a parameter). The
    reliability of a facilitator or a desa is the share of its compared criteria within
    tolerance. Class changes (reported class → class from the found volumes) are counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Z_95 = 1.96
#: Var(p̂_h) used for a stratum with one answer (the largest variance of a 0/1 variable).
SINGLE_ANSWER_VARIANCE = Fraction(1, 4)
DEFAULT_TOLERANCE_PP = Decimal(5)


@dataclass(frozen=True)
class StratumEstimate:
    key: str
    population: int  # N_h
    answered: int  # n_h
    positive: int  # items with the property
    p: float | None  # p̂_h; None without answers
    variance: float | None
    low: float | None
    high: float | None
    conservative: bool = False  # n_h = 1 < N_h: Var(p̂_h) set to 1/4


@dataclass(frozen=True)
class ProportionEstimate:
    p: float | None
    variance: float | None
    low: float | None
    high: float | None
    answered: int
    positive: int
    population: int  # N of the covered strata
    strata: tuple[StratumEstimate, ...]
    uncovered: tuple[str, ...] = ()
    conservative: bool = False

    @property
    def se(self) -> float | None:
        return None if self.variance is None else math.sqrt(self.variance)


def _interval(p: Fraction, variance: Fraction) -> tuple[float, float]:
    half = Z_95 * math.sqrt(variance)
    return max(0.0, float(p) - half), min(1.0, float(p) + half)


def stratum_variance(population: int, answered: int, positive: int) -> tuple[Fraction, bool]:
    """Var(p̂_h) with the finite population correction, and whether the 1/4 bound was used."""
    p = Fraction(positive, answered)
    fpc = 1 - Fraction(answered, population)
    if fpc <= 0:  # the stratum was visited completely
        return Fraction(0), False
    if answered == 1:
        return SINGLE_ANSWER_VARIANCE, True
    return fpc * p * (1 - p) / (answered - 1), False


def stratified_proportion(
    strata: Mapping[str, int], answers: Iterable[tuple[str, bool]]
) -> ProportionEstimate:
    """Estimate the share with a property from ``(stratum key, has property)`` answers.

    ``strata`` maps every stratum key to its population N_h (strata without answers too, so
    the result can say what it does not cover).
    """
    answered: dict[str, int] = dict.fromkeys(strata, 0)
    positive: dict[str, int] = dict.fromkeys(strata, 0)
    for key, value in answers:
        if key not in strata:
            raise ValueError(f"answer for unknown stratum {key!r}")
        answered[key] += 1
        positive[key] += bool(value)
    for key, size in strata.items():
        if answered[key] > size:
            raise ValueError(f"stratum {key!r}: {answered[key]} answers for {size} items")
    covered = [k for k in sorted(strata) if answered[k] > 0]
    covered_n = sum(strata[k] for k in covered)
    per: list[StratumEstimate] = []
    p_total = Fraction(0)
    var_total = Fraction(0)
    conservative = False
    for key in sorted(strata):
        n_h, size = answered[key], strata[key]
        if n_h == 0:
            per.append(StratumEstimate(key, size, 0, 0, None, None, None, None))
            continue
        p_h = Fraction(positive[key], n_h)
        var_h, bound = stratum_variance(size, n_h, positive[key])
        low, high = _interval(p_h, var_h)
        per.append(
            StratumEstimate(
                key, size, n_h, positive[key], float(p_h), float(var_h), low, high, bound
            )
        )
        weight = Fraction(size, covered_n)
        p_total += weight * p_h
        var_total += weight * weight * var_h
        conservative = conservative or bound
    uncovered = tuple(k for k in sorted(strata) if answered[k] == 0)
    if not covered:
        return ProportionEstimate(None, None, None, None, 0, 0, 0, tuple(per), uncovered)
    low, high = _interval(p_total, var_total)
    return ProportionEstimate(
        p=float(p_total),
        variance=float(var_total),
        low=low,
        high=high,
        answered=sum(answered.values()),
        positive=sum(positive.values()),
        population=covered_n,
        strata=tuple(per),
        uncovered=uncovered,
        conservative=conservative,
    )


# --- Data reliability --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResurveyRecord:
    """One re-surveyed RT: reported and found volumes (and percentages) per criterion.

    ``found`` holds only the criteria the team measured; ``percent_*`` are the criterion's
    percentage of its denominator (0–100) as the scoring engine computes it.
    """

    rt: str
    desa: str
    facilitator: str
    reported: Mapping[str, Decimal | None]
    found: Mapping[str, Decimal | None]
    percent_reported: Mapping[str, Decimal | None]
    percent_found: Mapping[str, Decimal | None]
    class_reported: str | None
    class_found: str | None


@dataclass(frozen=True)
class CriterionDifference:
    code: str
    compared: int
    mean_abs: Decimal  # mean |found − reported|, criterion units
    mean_rel: Decimal | None  # mean |found − reported| / reported over reported > 0
    mean_abs_pp: Decimal | None  # mean |Δ percentage points|
    within: int


@dataclass(frozen=True)
class Reliability:
    label: str
    compared: int
    within: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.within, self.compared) if self.compared else None


@dataclass(frozen=True)
class ReliabilitySummary:
    tolerance_pp: Decimal
    rts: int
    criteria: tuple[CriterionDifference, ...]
    class_changes: Mapping[tuple[str | None, str | None], int]
    changed_class: int
    by_facilitator: tuple[Reliability, ...]
    by_desa: tuple[Reliability, ...]
    overall: Reliability
    notes: tuple[str, ...] = field(default=())


def _within(record: ResurveyRecord, code: str, tolerance: Decimal) -> bool | None:
    """Percentage-point comparison; without percentages, equal volumes count as within."""
    pr, pf = record.percent_reported.get(code), record.percent_found.get(code)
    if pr is not None and pf is not None:
        return abs(pf - pr) <= tolerance
    vr, vf = record.reported.get(code), record.found.get(code)
    if vr is None or vf is None:
        return None
    return vr == vf


def reliability(
    records: Sequence[ResurveyRecord],
    codes: Sequence[str],
    *,
    tolerance_pp: Decimal = DEFAULT_TOLERANCE_PP,
) -> ReliabilitySummary:
    """Differences per criterion, class changes, and reliability per facilitator and desa."""
    if tolerance_pp < 0:
        raise ValueError("the tolerance must not be negative")
    per_code: dict[str, list[tuple[Decimal, Decimal | None, Decimal | None, bool]]] = {
        c: [] for c in codes
    }
    groups: dict[str, dict[str, list[int]]] = {"facilitator": {}, "desa": {}}
    changes: dict[tuple[str | None, str | None], int] = {}
    notes: list[str] = []
    for record in records:
        changes[(record.class_reported, record.class_found)] = (
            changes.get((record.class_reported, record.class_found), 0) + 1
        )
        for code in codes:
            reported, found = record.reported.get(code), record.found.get(code)
            if found is None:
                continue
            if reported is None:
                notes.append(f"RT {record.rt}: criterion {code} has no reported volume")
                continue
            within = _within(record, code, tolerance_pp)
            assert within is not None
            delta = abs(found - reported)
            rel = delta / reported if reported > 0 else None
            pr, pf = record.percent_reported.get(code), record.percent_found.get(code)
            pp = abs(pf - pr) if pr is not None and pf is not None else None
            per_code[code].append((delta, rel, pp, within))
            for kind, label in (("facilitator", record.facilitator), ("desa", record.desa)):
                tally = groups[kind].setdefault(label, [0, 0])
                tally[0] += 1
                tally[1] += within
    criteria = tuple(_criterion_difference(code, per_code[code]) for code in codes)
    by = {
        kind: tuple(Reliability(label, t[0], t[1]) for label, t in sorted(groups[kind].items()))
        for kind in groups
    }
    compared = sum(c.compared for c in criteria)
    return ReliabilitySummary(
        tolerance_pp=tolerance_pp,
        rts=len(records),
        criteria=criteria,
        class_changes=dict(sorted(changes.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))),
        changed_class=sum(v for (before, after), v in changes.items() if before != after),
        by_facilitator=by["facilitator"],
        by_desa=by["desa"],
        overall=Reliability("", compared, sum(c.within for c in criteria)),
        notes=tuple(notes),
    )


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _criterion_difference(
    code: str, rows: Sequence[tuple[Decimal, Decimal | None, Decimal | None, bool]]
) -> CriterionDifference:
    return CriterionDifference(
        code=code,
        compared=len(rows),
        mean_abs=_mean([r[0] for r in rows]) or Decimal(0),
        mean_rel=_mean([r[1] for r in rows if r[1] is not None]),
        mean_abs_pp=_mean([r[2] for r in rows if r[2] is not None]),
        within=sum(r[3] for r in rows),
    )
