"""Vectorised scoring of many units at once, with results identical to :func:`score_unit`.

Used by importers and reports that score tens of thousands of RT rows. The rules are those of
:func:`sikumuh.core.scoring.score_cell` (Permen PUPR 14/2018 Lampiran, penilaian), applied to
whole columns with integer NumPy arithmetic; tests check the two paths agree row by row.

Inputs
    One array per header field and per criterion (volumes, optional given percentages).
    Float arrays hold values in their natural unit, NaN = missing. Integer arrays hold
    micro-units (value × 10⁶), :data:`MISSING` = missing. A float becomes micro-units by
    ``np.rint(x * 1e6)`` when ``|x| < 1e9`` and ``x * 1e6`` lies within 0.01 of an integer:
    then the rounding error (≤ 0.18 micro-unit) cannot cross a half, so the result equals the
    per-unit quantization of ``repr(x)`` half-up to 6 dp. That covers every value with ≤ 6
    decimals and float noise like ``-0.004623000000000044``; other values (7+ real decimals,
    huge values) go through the exact per-unit parser, element by element.

Overflow
    A percentage is ``round_half_up(volume_micro × 10⁴ / denom_micro)`` in int64. Volumes of
    more than :data:`FAST_LIMIT_MICRO` micro-units (9 × 10⁸ in natural units) would overflow the
    product, so those cells are computed with exact Python integers instead; a value that does
    not fit int64 at all raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sikumuh.core.criteria import (
    CLASS_ORDER,
    HEADER_FIELDS,
    PERMEN_PUPR_14_2018,
    RuleSet,
    SlumClass,
)
from sikumuh.core.decimals import (
    HUNDREDTHS_PER_RATIO,
    MICRO,
    hundredths_to_decimal,
    parse_micro,
    percent_hundredths,
)
from sikumuh.core.issues import ERROR_FLAGS, WARNING_FLAGS, CellFlag, Issue, cell_issues
from sikumuh.core.scoring import UnitResult, check_codes

I64 = NDArray[np.int64]

#: Sentinel for a missing value / an undefined percentage in int64 arrays.
MISSING = int(np.iinfo(np.int64).min)
#: Largest |volume| in micro-units whose × 10⁴ product stays inside int64.
FAST_LIMIT_MICRO = 900_000_000_000_000
_FLOAT_FAST_LIMIT = 1e9
_FLOAT_TOLERANCE = 0.01


class RowIssues(NamedTuple):
    """Warnings and errors of one row, as :func:`score_unit` reports them."""

    warnings: tuple[Issue, ...]
    errors: tuple[Issue, ...]


def to_micro_array(values: ArrayLike) -> I64:
    """Micro-units (int64, :data:`MISSING` for missing) of a column; see the module docstring."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError("a column must be one-dimensional")
    if array.dtype.kind in "iu":
        if array.dtype == np.uint64 and array.size and array.max() > np.iinfo(np.int64).max:
            raise ValueError("micro-unit column beyond int64")
        return array.astype(np.int64)
    out = np.full(array.shape, MISSING, dtype=np.int64)
    if array.dtype.kind == "f":
        x = array.astype(np.float64)
        if np.isinf(x).any():
            raise ValueError("column holds an infinite value")
        finite = np.isfinite(x)
        with np.errstate(invalid="ignore"):
            scaled = x * MICRO
            rounded = np.rint(scaled)
            fast = (
                finite
                & (np.abs(x) < _FLOAT_FAST_LIMIT)
                & (np.abs(scaled - rounded) <= _FLOAT_TOLERANCE)
            )
        out[fast] = rounded[fast].astype(np.int64)
        slow = np.flatnonzero(finite & ~fast)
        for k in slow:
            out[k] = _fits(parse_micro(float(x[k])))
        return out
    for i, value in enumerate(array.tolist()):
        if isinstance(value, float) and value != value:  # NaN is missing in the batch API
            continue
        micro = parse_micro(value)
        if micro is not None:
            out[i] = _fits(micro)
    return out


def _micro_column(values: ArrayLike) -> I64:
    """:func:`to_micro_array` without the copy of a column already in int64 micro-units (the
    batch never writes to its input columns)."""
    if isinstance(values, np.ndarray) and values.dtype == np.int64 and values.ndim == 1:
        return values
    return to_micro_array(values)


_WARNING_BITS = np.int16(WARNING_FLAGS)
_ERROR_BITS = np.int16(ERROR_FLAGS)


def _fits(micro: int | None) -> int:
    if micro is None:
        return MISSING
    if not MISSING < micro <= np.iinfo(np.int64).max:
        raise ValueError(f"value of {micro} micro-units does not fit the batch path (int64)")
    return micro


_HALF_LIMIT = 2**62  # below this, twice a value still fits int64


def _round_half_up(numer: I64, denom: I64 | np.int64) -> I64:
    """Exact half-away-from-zero ``numer / denom`` for ``denom > 0`` (no overflow)."""
    magnitude = np.abs(numer)
    # m + d below 2^62: then 2m + d and 2d both fit int64 (m and d each below 2^62 is not
    # enough: 2m + d can pass 2^63).
    if magnitude.size and int(magnitude.max()) + int(np.max(denom)) < _HALF_LIMIT:
        # floor(m / d + 1/2) = floor((2m + d) / 2d): one integer division.
        quotient: I64 = (2 * magnitude + denom) // (2 * denom)
    else:
        quotient = magnitude // denom
        remainder = magnitude - quotient * denom
        quotient += remainder >= denom - remainder
    negative = numer < 0
    if negative.any():
        np.negative(quotient, out=quotient, where=negative)
    return quotient


_NEGATIVE_VOLUME = np.int16(CellFlag.NEGATIVE_VOLUME)
_MISSING_DENOMINATOR = np.int16(CellFlag.MISSING_DENOMINATOR)
_NEGATIVE_DENOMINATOR = np.int16(CellFlag.NEGATIVE_DENOMINATOR)
_VOLUME_OVER_ZERO_DENOMINATOR = np.int16(CellFlag.VOLUME_OVER_ZERO_DENOMINATOR)
_VOLUME_ABOVE_DENOMINATOR = np.int16(CellFlag.VOLUME_ABOVE_DENOMINATOR)
_NEGATIVE_PERCENT = np.int16(CellFlag.NEGATIVE_PERCENT)
_PERCENT_ABOVE_100 = np.int16(CellFlag.PERCENT_ABOVE_100)
_MISSING_VALUE = np.int16(CellFlag.MISSING_VALUE)


def _flag(condition: NDArray[np.bool_], flag: np.int16) -> NDArray[np.int16]:
    return condition.view(np.uint8).astype(np.int16) * flag


def _score_cells(
    v: I64, d: I64, p: I64, rule_set: RuleSet
) -> tuple[I64, NDArray[np.int8], NDArray[np.int16]]:
    """Vectorised :func:`sikumuh.core.scoring.score_cell` over one criterion's column.

    Whole-column arithmetic on safe operands (0 or 1 where a value does not apply) instead of
    boolean indexing: every step is a single pass over contiguous memory.
    """
    has_v = v != MISSING
    has_d = d != MISSING
    has_p = (p != MISSING) & ~has_v
    with_den = has_v & has_d
    zero = with_den & (d == 0)
    positive = with_den & (d > 0)
    flags = _flag(has_v & (v < 0), _NEGATIVE_VOLUME)
    flags |= _flag(has_v & ~has_d, _MISSING_DENOMINATOR)
    flags |= _flag(with_den & (d < 0), _NEGATIVE_DENOMINATOR)
    flags |= _flag(zero & (v != 0), _VOLUME_OVER_ZERO_DENOMINATOR)
    flags |= _flag(positive & (v > d), _VOLUME_ABOVE_DENOMINATOR)
    flags |= _flag(has_p & (p < 0), _NEGATIVE_PERCENT)
    flags |= _flag(has_p & (p > 100 * MICRO), _PERCENT_ABOVE_100)
    flags |= _flag(~(has_v | has_p), _MISSING_VALUE)
    v_safe = np.where(positive, v, 0)
    huge = np.abs(v_safe) > FAST_LIMIT_MICRO
    v_safe[huge] = 0
    # By volume where the denominator is positive, 0 elsewhere (0 / 1) ...
    h = _round_half_up(v_safe * HUNDREDTHS_PER_RATIO, np.where(positive, d, 1))
    for i in np.flatnonzero(huge):  # exact Python integers where int64 would overflow
        h[i] = _fits(percent_hundredths(int(v[i]), int(d[i])))
    # ... and by the given percentage where there is no volume (legacy rows: a few).
    given = np.flatnonzero(has_p)
    if given.size:
        h[given] = _round_half_up(p[given], np.int64(MICRO // 100))
    defined = (zero & (v == 0)) | positive | has_p
    # The band of h: how many band minimums it reaches (0: below all, score 0).
    bands = sorted(rule_set.score_bands)
    band = np.zeros(h.shape, dtype=np.uint8)
    for minimum, _ in bands:
        band += h >= minimum
    np.putmask(band, ~defined, len(bands) + 1)  # the -1 at the end of the lookup
    lookup = np.array([0, *(b for _, b in bands), -1], dtype=np.int8)
    return np.where(defined, h, MISSING), lookup.take(band), flags


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Scores of ``n`` rows × ``c`` criteria (``codes`` order). Sentinels: :data:`MISSING` for
    an undefined percentage or mean, -1 for a score/total/class that is None. ``klass`` indexes
    :data:`sikumuh.core.criteria.CLASS_ORDER`. The [n, c] arrays are column-major (Fortran order).
    """

    rule_set: RuleSet
    codes: tuple[str, ...]
    percent_hundredths: I64
    score: NDArray[np.int8]
    total: NDArray[np.int32]
    klass: NDArray[np.int8]
    aspect_mean_hundredths: I64
    sectoral_mean_hundredths: I64
    flags: NDArray[np.int16]
    warning_mask: NDArray[np.bool_]
    error_mask: NDArray[np.bool_]
    #: Per criterion, its (volume, denominator, percentage) input columns in micro-units: the
    #: arrays given when they were int64 already (not copies; change none of them afterwards).
    inputs: tuple[tuple[I64, I64, I64], ...] = field(repr=False)

    def __len__(self) -> int:
        return int(self.total.shape[0])

    # The inputs as [n, c] arrays are built on first use only: most callers never need them,
    # and three 200,000 × 16 int64 copies are a good part of a batch's time.
    @cached_property
    def volume_micro(self) -> I64:
        return self._input_matrix(0)

    @cached_property
    def denom_micro(self) -> I64:
        return self._input_matrix(1)

    @cached_property
    def percent_micro(self) -> I64:
        return self._input_matrix(2)

    def _input_matrix(self, k: int) -> I64:
        out = np.empty((len(self), len(self.codes)), dtype=np.int64, order="F")
        for j, columns in enumerate(self.inputs):
            out[:, j] = columns[k]
        return out

    def cell_inputs(self, rows: I64, cols: I64) -> tuple[I64, I64, I64]:
        """Volume, denominator and percentage (micro-units) of the cells ``(rows[k], cols[k])``:
        ``volume_micro[rows, cols]`` and the like, without building the [n, c] arrays."""
        out = tuple(np.empty(rows.shape, dtype=np.int64) for _ in range(3))
        for j in np.unique(cols).tolist():
            at = np.flatnonzero(cols == j)
            for k in range(3):
                out[k][at] = self.inputs[j][k][rows[at]]
        return out[0], out[1], out[2]

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Rows without errors (they have a total and a class)."""
        return np.logical_not(self.error_mask.any(axis=1))

    def issues_for_row(self, i: int) -> RowIssues:
        """The row's issues, built on demand: the same Issue objects as :func:`score_unit`."""
        warnings: list[Issue] = []
        errors: list[Issue] = []
        for j in np.flatnonzero(self.flags[i]):
            criterion = self.rule_set.criteria[j]
            w, e = cell_issues(
                criterion.code,
                criterion.denominator,
                int(self.flags[i, j]),
                *(_opt(column[i]) for column in self.inputs[j]),
            )
            warnings.extend(w)
            errors.extend(e)
        return RowIssues(tuple(warnings), tuple(errors))

    def unit_result(self, i: int) -> UnitResult:
        """Row ``i`` as a :class:`UnitResult` (equal to what :func:`score_unit` returns)."""
        issues = self.issues_for_row(i)
        total = int(self.total[i])
        klass = int(self.klass[i])
        aspects = tuple(self.rule_set.aspects)
        return UnitResult(
            rule_set_id=self.rule_set.id,
            percent={c: _pct(self.percent_hundredths[i, j]) for j, c in enumerate(self.codes)},
            score={c: _score(self.score[i, j]) for j, c in enumerate(self.codes)},
            total=None if total < 0 else total,
            klass=None if klass < 0 else CLASS_ORDER[klass],
            aspect_means={
                a: _pct(self.aspect_mean_hundredths[i, k]) for k, a in enumerate(aspects)
            },
            sectoral_mean=_pct(self.sectoral_mean_hundredths[i]),
            warnings=issues.warnings,
            errors=issues.errors,
        )


def _opt(value: np.int64) -> int | None:
    return None if int(value) == MISSING else int(value)


def _pct(value: np.int64) -> Decimal | None:
    return None if int(value) == MISSING else hundredths_to_decimal(int(value))


def _score(value: np.int8) -> int | None:
    return None if int(value) < 0 else int(value)


def score_batch(
    header: Mapping[str, ArrayLike],
    volumes: Mapping[str, ArrayLike],
    percents: Mapping[str, ArrayLike] | None = None,
    rule_set: RuleSet = PERMEN_PUPR_14_2018,
) -> BatchResult:
    """Score ``n`` rows given as columns; an absent column counts as all-missing."""
    percents = percents or {}
    unknown = sorted(set(header) - set(HEADER_FIELDS))
    if unknown:
        raise ValueError(f"unknown header field(s): {', '.join(unknown)}")
    check_codes(set(volumes), rule_set, "volumes")
    check_codes(set(percents), rule_set, "percentages")
    columns = {
        **{("h", k): _micro_column(a) for k, a in header.items()},
        **{("v", k): _micro_column(a) for k, a in volumes.items()},
        **{("p", k): _micro_column(a) for k, a in percents.items()},
    }
    if not columns:
        raise ValueError("no columns to score")
    lengths = {a.shape[0] for a in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    (n,) = lengths
    absent = np.full(n, MISSING, dtype=np.int64)
    c = len(rule_set.criteria)
    shape = (n, c)
    # Column-major: each criterion's column is contiguous while it is filled.
    h = np.empty(shape, dtype=np.int64, order="F")
    score = np.empty(shape, dtype=np.int8, order="F")
    flags = np.empty(shape, dtype=np.int16, order="F")
    warning_mask = np.empty(shape, dtype=bool, order="F")
    error_mask = np.empty(shape, dtype=bool, order="F")
    # Row totals and row errors accumulated column by column (no strided 2-D reductions).
    total = np.zeros(n, dtype=np.int32)
    row_error = np.zeros(n, dtype=bool)
    inputs = tuple(
        (
            columns.get(("v", criterion.code), absent),
            columns.get(("h", criterion.denominator), absent),
            columns.get(("p", criterion.code), absent),
        )
        for criterion in rule_set.criteria
    )
    for j, (v, d, p) in enumerate(inputs):
        cell_h, cell_score, cell_flags = _score_cells(v, d, p, rule_set)
        h[:, j], score[:, j], flags[:, j] = cell_h, cell_score, cell_flags
        np.not_equal(cell_flags & _WARNING_BITS, 0, out=warning_mask[:, j])
        np.not_equal(cell_flags & _ERROR_BITS, 0, out=error_mask[:, j])
        row_error |= error_mask[:, j]
        total += cell_score
    total[row_error] = -1
    klass = np.full(n, CLASS_ORDER.index(SlumClass.TIDAK_KUMUH), dtype=np.int8)
    for minimum, band_class in reversed(rule_set.class_bands):
        klass[total >= minimum] = CLASS_ORDER.index(band_class)
    klass[row_error] = -1
    aspect_means, sectoral = _means(h, rule_set)
    return BatchResult(
        rule_set=rule_set,
        codes=rule_set.codes,
        percent_hundredths=h,
        score=score,
        total=total,
        klass=klass,
        aspect_mean_hundredths=aspect_means,
        sectoral_mean_hundredths=sectoral,
        flags=flags,
        warning_mask=warning_mask,
        error_mask=error_mask,
        inputs=inputs,
    )


def _half_up_nonneg(total: I64, count: int) -> I64:
    return (2 * total + count) // (2 * count)


def _means(h: I64, rule_set: RuleSet) -> tuple[I64, I64]:
    """Aspect means of capped percentages and their mean, as in ``aspect_means_hundredths``.

    Summed column by column: the [n, c] arrays are column-major, so each step reads one
    contiguous column.
    """
    n = h.shape[0]
    index = {code: j for j, code in enumerate(rule_set.codes)}
    aspects = rule_set.aspects
    means = np.empty((n, len(aspects)), dtype=np.int64, order="F")
    sectoral_total = np.zeros(n, dtype=np.int64)
    all_known = np.ones(n, dtype=bool)
    for k, criteria in enumerate(aspects.values()):
        known = np.ones(n, dtype=bool)
        capped = np.zeros(n, dtype=np.int64)
        for criterion in criteria:
            column = h[:, index[criterion.code]]
            known &= column != MISSING
            capped += np.clip(column, 0, 100 * 100)
        mean = _half_up_nonneg(capped, len(criteria))
        all_known &= known
        sectoral_total += mean
        means[:, k] = np.where(known, mean, MISSING)
    sectoral = _half_up_nonneg(sectoral_total, len(aspects))
    return means, np.where(all_known, sectoral, MISSING)
