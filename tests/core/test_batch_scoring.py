"""The vectorised batch path gives exactly what score_unit gives, row by row."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from sikumuh.core.batch import MISSING, score_batch, to_micro_array
from sikumuh.core.criteria import (
    CLASS_ORDER,
    HEADER_FIELDS,
    PERMEN_PUPR_02_2016,
    PERMEN_PUPR_14_2018,
    RuleSet,
)
from sikumuh.core.scoring import UnitInput, score_unit

Row = tuple[dict[str, float], dict[str, float], dict[str, float]]

_COUNT_FIELDS = ("jumlah_bangunan", "jumlah_penduduk", "jumlah_kk")
# Percentages chosen to land on ties and band edges.
_TIE_PERCENTS = (24.995, 75.995, 50.5, 75.5, 3.125, 28.125, 25.0, 50.0, 75.0, 76.56, 24.99, 100.0)
_EDGE_HUNDREDTHS = (2499, 2500, 5000, 5099, 5100, 7500, 7599, 7600, 10000)


def _header_value(rng: np.random.Generator, name: str) -> float:
    case = rng.random()
    if case < 0.05:
        return 0.0
    if case < 0.07:
        return math.nan
    if case < 0.08:
        return -float(rng.integers(1, 50))
    if case < 0.2:
        return float(rng.choice([8, 40, 80, 100, 200, 400, 1000]))
    if name in _COUNT_FIELDS:
        return float(rng.integers(1, 400))
    if name == "luas_ha":
        return float(rng.integers(1, 5_000_000)) / 1e6
    return float(rng.integers(1, 3000)) if case < 0.6 else float(rng.integers(1, 3_000_000)) / 1e3


def _volume_and_percent(rng: np.random.Generator, den: float) -> tuple[float, float]:
    """A volume (NaN = missing) and a given percentage (NaN = none) covering every rule."""
    case = rng.random()
    den_micro = round(den * 1e6) if math.isfinite(den) else 0
    if case < 0.30:  # an ordinary share of the denominator, 6 dp
        return float(rng.integers(0, max(den_micro, 1) + 1)) / 1e6, math.nan
    if case < 0.42 and den_micro > 0:  # an exact tie: percentage ends in ...5 at the 3rd dp
        h = int(rng.integers(0, 10000))
        return float(((2 * h + 1) * den_micro) // 20000) / 1e6, math.nan
    if case < 0.52 and den_micro > 0:  # a band edge
        h = int(rng.choice(_EDGE_HUNDREDTHS))
        return float((h * den_micro) // 10000) / 1e6, math.nan
    if case < 0.58:
        return 0.0, math.nan
    if case < 0.64:  # above the denominator
        return float(den_micro + int(rng.integers(1, 5_000_000))) / 1e6, math.nan
    if case < 0.68:  # negative, sometimes with the float noise of real data
        noise = 1e-17 * float(rng.integers(0, 2))
        return -float(rng.integers(1, 2_000_000)) / 1e6 - noise, math.nan
    if case < 0.71:
        return math.nan, math.nan
    if case < 0.80:  # legacy percentage only
        if rng.random() < 0.5:
            return math.nan, float(rng.choice(_TIE_PERCENTS))
        return math.nan, float(rng.integers(-5_000_000, 130_000_000)) / 1e6
    if case < 0.83:  # both: the volume wins
        return float(rng.integers(0, max(den_micro, 1) + 1)) / 1e6, 55.0
    if case < 0.88:  # float noise around a 6-dp value
        base = float(rng.integers(0, max(den_micro, 1) + 1)) / 1e6
        return base + float(rng.choice([-1, 1])) * 4.4e-14, math.nan
    # seven or more real decimals, incl. a half-micro tie: exact parser fallback
    return float(rng.integers(0, 10_000_000)) / 1e7 + 5e-8 * float(rng.integers(0, 2)), math.nan


def _clean_row(rng: np.random.Generator, rule_set: RuleSet) -> Row:
    """A row without errors whose condition ranges from good to very bad (every class)."""
    header = {name: float(rng.integers(1, 500)) for name in HEADER_FIELDS}
    badness = rng.random()
    volumes = {
        c.code: float(round(header[c.denominator] * min(1.0, badness + 0.3 * rng.random())))
        for c in rule_set.criteria
    }
    return header, volumes, dict.fromkeys(volumes, math.nan)


def random_rows(n: int, seed: int, rule_set: RuleSet) -> list[Row]:
    """Deterministic rows (header, volumes, percents) with every edge case in them."""
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for _ in range(n):
        if rng.random() < 0.2:
            rows.append(_clean_row(rng, rule_set))
            continue
        header = {name: _header_value(rng, name) for name in HEADER_FIELDS}
        volumes: dict[str, float] = {}
        percents: dict[str, float] = {}
        for criterion in rule_set.criteria:
            volumes[criterion.code], percents[criterion.code] = _volume_and_percent(
                rng, header[criterion.denominator]
            )
        rows.append((header, volumes, percents))
    return rows


def _none_if_nan(values: dict[str, float]) -> dict[str, float | None]:
    return {k: None if math.isnan(v) else v for k, v in values.items()}


def _columns(rows: list[Row], part: int) -> dict[str, np.ndarray]:
    keys = rows[0][part].keys()
    return {k: np.array([row[part][k] for row in rows], dtype=np.float64) for k in keys}


@pytest.mark.parametrize(
    ("rule_set", "seed"),
    [(PERMEN_PUPR_14_2018, 20180), (PERMEN_PUPR_02_2016, 20160)],
    ids=["2018", "2016"],
)
def test_score_batch_equals_score_unit_row_by_row(rule_set: RuleSet, seed: int) -> None:
    rows = random_rows(2500, seed, rule_set)
    batch = score_batch(_columns(rows, 0), _columns(rows, 1), _columns(rows, 2), rule_set)
    seen_codes: set[str] = set()
    for i, (header, volumes, percents) in enumerate(rows):
        unit = UnitInput.from_values(
            header=_none_if_nan(header),
            volumes=_none_if_nan(volumes),
            percents=_none_if_nan(percents),
        )
        expected = score_unit(unit, rule_set)
        assert batch.unit_result(i) == expected, f"row {i}: {header} {volumes} {percents}"
        assert bool(batch.warning_mask[i].any()) == bool(expected.warnings)
        assert bool(batch.error_mask[i].any()) == bool(expected.errors)
        seen_codes |= {issue.code for issue in expected.warnings + expected.errors}
    # The data really exercised every rule (the comparison is not vacuous).
    assert seen_codes == {
        "volume_above_denominator",
        "negative_volume",
        "volume_over_zero_denominator",
        "missing_value",
        "missing_denominator",
        "negative_denominator",
        "percent_above_100",
        "negative_percent",
    }
    assert (batch.total >= 0).sum() > 100  # plenty of fully scored rows too
    assert set(batch.klass[batch.klass >= 0].tolist()) == set(range(len(CLASS_ORDER)))


def test_micro_unit_integer_columns_give_the_same_result_as_float_columns() -> None:
    rows = random_rows(500, 7, PERMEN_PUPR_14_2018)
    floats = [_columns(rows, part) for part in range(3)]
    micros = [{k: to_micro_array(a) for k, a in cols.items()} for cols in floats]
    a = score_batch(floats[0], floats[1], floats[2])
    b = score_batch(micros[0], micros[1], micros[2])
    assert np.array_equal(a.percent_hundredths, b.percent_hundredths)
    assert np.array_equal(a.score, b.score)
    assert np.array_equal(a.total, b.total)
    assert np.array_equal(a.flags, b.flags)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([1.5, math.nan, 0.0], [1_500_000, MISSING, 0], id="nan-is-missing"),
        pytest.param([-0.004623000000000044], [-4623], id="float-noise"),
        pytest.param([0.0000005, 0.1234565], [1, 123457], id="seventh-decimal-ties-half-up"),
        pytest.param([123456789.123456], [123456789123456], id="large-6dp"),
        pytest.param([2e9 + 0.5], [2_000_000_000_500_000], id="beyond-fast-range"),
        pytest.param([Decimal("2.5"), None, "3"], [2_500_000, MISSING, 3_000_000], id="objects"),
        pytest.param(np.array([7, MISSING], dtype=np.int64), [7, MISSING], id="micro-ints"),
    ],
)
def test_columns_become_micro_units_like_the_per_unit_parser(
    values: object, expected: list[int]
) -> None:
    assert to_micro_array(values).tolist() == expected  # type: ignore[arg-type]


def test_an_infinite_value_is_refused() -> None:
    with pytest.raises(ValueError, match="infinite"):
        to_micro_array([1.0, math.inf])


def test_a_value_beyond_int64_micro_units_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        to_micro_array([1e14])


def test_huge_volumes_fall_back_to_exact_integers() -> None:
    header = {"luas_ha": [3.0], "jumlah_bangunan": [7.0]}
    volumes = {"1a": [900_000_001.0], "1b": [1.0]}
    batch = score_batch(header, volumes)
    unit = UnitInput.from_values(
        header={"luas_ha": 3, "jumlah_bangunan": 7}, volumes={"1a": 900_000_001, "1b": 1}
    )
    assert batch.unit_result(0) == score_unit(unit)
    assert batch.percent_hundredths[0, 0] == 1_285_714_287_143  # 900000001 / 7 × 100 %


@pytest.mark.parametrize(
    ("volume", "denominator"),
    [
        (500_000_000.0, 3.0),  # volume × 10⁴ in micro-units is past 2⁶², twice it past int64
        (899_999_999.999999, 7.0),
        (-600_000_000.5, 8.0),
        (461_168_601.842739, 0.02),  # a tie: 230584300921369.5 hundredths
        # Volume × 10⁴ just below 2⁶² and the denominator together: 2m + d is past int64.
        (461_168_601.842738, 1.0),
        (456_000_000.0, 500_000_000_000.0),
    ],
)
def test_volumes_too_big_to_double_in_int64_still_round_exactly(
    volume: float, denominator: float
) -> None:
    batch = score_batch({"luas_ha": [denominator]}, {"1b": [volume]})
    unit = UnitInput.from_values(header={"luas_ha": denominator}, volumes={"1b": volume})
    assert batch.unit_result(0) == score_unit(unit)


def test_the_inputs_as_arrays_are_the_columns_given() -> None:
    header = {"luas_ha": [2.0, 0.0, 1.5], "jumlah_bangunan": [10.0, 4.0, math.nan]}
    batch = score_batch(header, {"1a": [3.0, 1.0, 2.0], "1b": [1.0, math.nan, 0.5]})
    a, b = PERMEN_PUPR_14_2018.codes.index("1a"), PERMEN_PUPR_14_2018.codes.index("1b")
    assert batch.volume_micro[:, a].tolist() == [3_000_000, 1_000_000, 2_000_000]
    assert batch.denom_micro[:, b].tolist() == [2_000_000, 0, 1_500_000]
    assert (batch.percent_micro == MISSING).all()
    rows, cols = np.array([2, 0, 1]), np.array([a, b, b])
    volume, denominator, percent = batch.cell_inputs(rows, cols)
    assert volume.tolist() == batch.volume_micro[rows, cols].tolist()
    assert denominator.tolist() == batch.denom_micro[rows, cols].tolist()
    assert percent.tolist() == [MISSING] * 3


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="length"):
        score_batch({"luas_ha": [1.0, 2.0]}, {"1b": [1.0]})


def test_scoring_no_columns_is_refused_and_zero_rows_are_fine() -> None:
    with pytest.raises(ValueError, match="no columns"):
        score_batch({}, {})
    assert len(score_batch({"luas_ha": []}, {})) == 0


def test_volumes_for_criteria_outside_the_rule_set_are_refused() -> None:
    with pytest.raises(ValueError, match="4d"):
        score_batch({"luas_ha": [1.0]}, {"4d": [1.0]})


def test_absent_columns_count_as_missing_and_sentinels_mark_none() -> None:
    batch = score_batch({"luas_ha": [2.0]}, {"1b": [1.0]})
    assert len(batch) == 1
    assert batch.percent_hundredths[0, 1] == 5000
    assert batch.score[0, 0] == -1  # 1a: no volume, no jumlah_bangunan
    assert batch.total[0] == -1
    assert batch.klass[0] == -1
    assert not batch.ok[0]
    assert batch.issues_for_row(0).errors[0].code == "missing_value"
