"""Benchmark: vectorised ``score_batch`` against the per-row reference ``score_unit``.

    python bench/score_bench.py [--rows N] [--seed S] [--rule-set ID] [--file-rows N]

Generates a deterministic data set of N RT rows (seeded NumPy), scores it (a) with the batch path
and (b) with the per-row reference — a plain loop calling :func:`score_unit` on each row — times
both (``time.perf_counter``, best of 3), checks that they agree exactly (percentages, scores,
totals, classes, issue codes) and prints rows/s and the ratio.

Whole file (``make bench``, the issue's goal: ≥ 20× the per-row reference, identical results):
the same generator writes a template CSV of ``--file-rows`` rows (Indonesian number format,
``;``-separated, with the generator's bad values plus a few unreadable cells) into a temporary
folder; ``sikumuh score`` (:func:`sikumuh.cli.score.score_file`, in-process, output to a file) is
timed best of 3 against ``bench/reference_score.py`` (read a row, parse each cell, score it, write
it) best of 1; both outputs must be byte-identical and report the same errors.

``generate_rows`` (columns) and ``iter_dict_rows`` / ``unit_inputs`` (rows) are meant for reuse by
other benchmarks (e.g. timing the whole file import path).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from sikumuh.core.batch import MISSING, BatchResult, score_batch
from sikumuh.core.criteria import (
    CLASS_ORDER,
    DEFAULT_RULE_SET_ID,
    HEADER_FIELDS,
    RuleSet,
    get_rule_set,
)
from sikumuh.core.rows import Problem
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit

F64 = NDArray[np.float64]
T = TypeVar("T")


@dataclass(frozen=True)
class Columns:
    """A data set as columns: NaN = missing. Percentages only where a row is legacy data."""

    n: int
    header: dict[str, F64]
    volumes: dict[str, F64]
    percents: dict[str, F64]


def _six_dp(values: F64) -> F64:
    """Round to 6 decimals the way a survey file stores them."""
    return np.rint(values * 1e6) / 1e6


def generate_rows(n: int, seed: int = 2021, rule_set: RuleSet | None = None) -> Columns:
    """N realistic RT rows (≤ 6 decimals) with ties, zero denominators and bad values.

    Per criterion: ~40 % zero volume, shares of the denominator otherwise (whole units for
    counts and metres, 6-dp hectares), ~3 % exact rounding ties (percentages ending in 5 at
    the third decimal), ~1 % above the denominator, ~0.2 % negative, ~0.2 % missing and ~1 %
    legacy rows giving percentages only. ~1 % of header denominators are zero.
    """
    rule_set = rule_set or get_rule_set(DEFAULT_RULE_SET_ID)
    rng = np.random.default_rng(seed)
    bangunan = rng.integers(8, 250, n).astype(np.float64)
    kk = np.rint(bangunan * rng.uniform(0.9, 1.4, n))
    header = {
        "luas_ha": _six_dp(rng.lognormal(0.3, 0.6, n)),
        "jumlah_bangunan": bangunan,
        "jumlah_penduduk": np.rint(kk * rng.uniform(3.0, 4.5, n)),
        "jumlah_kk": kk,
        "panjang_jalan_ideal_m": rng.integers(50, 2500, n).astype(np.float64),
        "panjang_drainase_ideal_m": rng.integers(50, 3000, n).astype(np.float64),
    }
    for name in HEADER_FIELDS:
        header[name][rng.random(n) < 0.01] = 0.0
    legacy_row = rng.random(n) < 0.01
    volumes: dict[str, F64] = {}
    percents: dict[str, F64] = {}
    for criterion in rule_set.criteria:
        den = header[criterion.denominator]
        whole = criterion.unit != "ha"
        share = rng.random(n) ** 0.7 * den
        vol = np.rint(share) if whole else _six_dp(share)
        case = rng.random(n)
        vol[case < 0.40] = 0.0
        # Exact ties: over a denominator of 400 (or 2 ha), (2h + 1) × 0.02 (or × 0.0001) gives
        # a percentage ending in 5 at the third decimal.
        tie = (case >= 0.40) & (case < 0.43)
        tie_den = 400.0 if whole else 2.0
        h = rng.integers(0, 10000, int(tie.sum()))
        vol[tie] = _six_dp((2 * h + 1) * tie_den / 20000)
        den[tie] = tie_den  # den is the header column: the tie rows get that denominator
        over = (case >= 0.43) & (case < 0.44)
        vol[over] = den[over] + rng.integers(1, 50, int(over.sum()))
        negative = (case >= 0.44) & (case < 0.442)
        vol[negative] = -_six_dp(rng.uniform(0.001, 1.0, int(negative.sum())))
        vol[(case >= 0.442) & (case < 0.444)] = math.nan
        pct = np.full(n, math.nan)
        pct[legacy_row] = _six_dp(rng.uniform(0, 100, int(legacy_row.sum())))
        pct[legacy_row & (case < 0.2)] = 24.995  # ties in legacy percentages too
        vol[legacy_row] = math.nan
        volumes[criterion.code] = vol
        percents[criterion.code] = pct
    return Columns(n, header, volumes, percents)


def _value(x: float) -> float | None:
    return None if math.isnan(x) else x


def iter_dict_rows(columns: Columns) -> Iterator[dict[str, float | None]]:
    """The data set as flat dict rows (header fields, ``<code>v`` volumes, ``<code>p`` %)."""
    names = [(k, a.tolist()) for k, a in columns.header.items()]
    names += [(f"{k}v", a.tolist()) for k, a in columns.volumes.items()]
    names += [(f"{k}p", a.tolist()) for k, a in columns.percents.items()]
    for i in range(columns.n):
        yield {key: _value(values[i]) for key, values in names}


def unit_inputs(columns: Columns) -> list[UnitInput]:
    """The data set as per-unit inputs (what a form or a row importer would build)."""
    units = []
    for row in iter_dict_rows(columns):
        units.append(
            UnitInput.from_values(
                header={k: row[k] for k in columns.header},
                volumes={k: row[f"{k}v"] for k in columns.volumes},
                percents={k: row[f"{k}p"] for k in columns.percents if row[f"{k}p"] is not None},
            )
        )
    return units


def best_of(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of ``repeat`` runs and the last result."""
    best = math.inf
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def assert_identical(batch: BatchResult, reference: list[UnitResult]) -> None:
    """Batch and reference agree on every percentage, score, total, class and issue code."""
    codes = batch.codes
    n, c = len(reference), len(codes)
    pct = np.full((n, c), MISSING, dtype=np.int64)
    score = np.full((n, c), -1, dtype=np.int8)
    total = np.full(n, -1, dtype=np.int32)
    klass = np.full(n, -1, dtype=np.int8)
    for i, result in enumerate(reference):
        for j, code in enumerate(codes):
            p, s = result.percent[code], result.score[code]
            if p is not None:
                pct[i, j] = int(p.scaleb(2))
            if s is not None:
                score[i, j] = s
        if result.total is not None and result.klass is not None:
            total[i], klass[i] = result.total, CLASS_ORDER.index(result.klass)
    assert np.array_equal(pct, batch.percent_hundredths), "percentages differ"
    assert np.array_equal(score, batch.score), "scores differ"
    assert np.array_equal(total, batch.total), "totals differ"
    assert np.array_equal(klass, batch.klass), "classes differ"
    flagged: list[bool] = np.any(batch.flags, axis=1).tolist()
    for i, result in enumerate(reference):
        expected = [x.code for x in result.warnings], [x.code for x in result.errors]
        if not flagged[i]:
            assert expected == ([], []), f"row {i}: issues missing from the batch"
            continue
        got = batch.issues_for_row(i)
        assert expected == ([x.code for x in got.warnings], [x.code for x in got.errors]), i


def _indonesian(text: str) -> str:
    """``1218.5`` as Indonesian Excel writes it: ``1.218,5``."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def _cells(values: F64, rng: np.random.Generator) -> list[str]:
    """A generated column as template cells: 6-dp floats as written, NaN empty, and ~0.05 %
    unreadable cells ("n/a") that the reader must reject by name."""
    cells = []
    for x in values.tolist():
        if math.isnan(x):
            cells.append("")
            continue
        text = f"{x:.6f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
        cells.append(_indonesian(text))
    for i in np.flatnonzero(rng.random(len(cells)) < 0.0005).tolist():
        cells[i] = "n/a"
    return cells


def write_template_csv(path: Path, n: int, seed: int, rule_set: RuleSet) -> None:
    """A template file of ``n`` generated RT rows (see :func:`generate_rows`)."""
    columns = generate_rows(n, seed, rule_set)
    rng = np.random.default_rng(seed + 1)
    names = ["kode_desa", "lokasi", "rt", "tahun", "rules", *HEADER_FIELDS]
    data = [
        [f"63.01.{1 + i // 20000 % 20:02d}.{2001 + i // 400 % 50}" for i in range(n)],
        [f"KW-{1 + i // 400 % 50:02d}" for i in range(n)],
        [f"{1 + i % 400:03d}" for i in range(n)],
        ["2024"] * n,
        [rule_set.id] * n,
    ]
    data += [_cells(columns.header[f], rng) for f in HEADER_FIELDS]
    for prefix, values in (("v", columns.volumes), ("p", columns.percents)):
        for code in rule_set.codes:
            names.append(f"{prefix}_{code}")
            data.append(_cells(values[code], rng))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(";".join(names) + "\n")
        fh.writelines(";".join(row) + "\n" for row in zip(*data, strict=True))


def bench_file(n: int, seed: int, rule_set: RuleSet) -> None:
    """Time ``sikumuh score`` on a generated file against the per-row reference."""
    from reference_score import score_file_reference

    from sikumuh.cli.score import score_file

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "template.csv"
        write_template_csv(source, n, seed, rule_set)
        fast_out, ref_out = Path(tmp) / "fast.csv", Path(tmp) / "reference.csv"

        def fast() -> list[Problem]:
            with fast_out.open("w", encoding="utf-8", newline="") as fh:
                return score_file(source, rules=None, fmt="csv", out=fh).errors

        def reference() -> list[Problem]:
            with ref_out.open("w", encoding="utf-8", newline="") as fh:
                return score_file_reference(source, fh)

        fast_time, fast_errors = best_of(3, fast)
        ref_time, ref_errors = best_of(1, reference)
        same = fast_out.read_bytes() == ref_out.read_bytes()
        assert same, "outputs differ"
        assert fast_errors == ref_errors, "errors differ"
        size = source.stat().st_size / 1e6
        scored = fast_out.read_bytes().count(b"\n") - 1
    print(f"whole file: {n} rows ({size:.1f} MB CSV), {scored} scored, {len(fast_errors)} errors")
    print(f"product  sikumuh score      {fast_time:8.3f} s  {n / fast_time:12,.0f} rows/s")
    print(f"ref      per-row reference  {ref_time:8.3f} s  {n / ref_time:12,.0f} rows/s")
    print(f"identical output and errors: yes; speed-up {ref_time / fast_time:.1f}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--rule-set", default=DEFAULT_RULE_SET_ID)
    parser.add_argument(
        "--file-rows", type=int, default=200_000, help="rows of the whole-file part (0: skip)"
    )
    args = parser.parse_args(argv)
    rule_set = get_rule_set(args.rule_set)

    columns = generate_rows(args.rows, args.seed, rule_set)
    build_time, units = best_of(1, lambda: unit_inputs(columns))
    batch_time, batch = best_of(
        3, lambda: score_batch(columns.header, columns.volumes, columns.percents, rule_set)
    )
    ref_time, reference = best_of(3, lambda: [score_unit(u, rule_set) for u in units])
    assert_identical(batch, reference)

    n = args.rows
    flagged = int(batch.flags.any(axis=1).sum())
    print(f"rule set {rule_set.id}: {n} rows × {len(rule_set.criteria)} criteria, seed {args.seed}")
    print(
        f"rows with issues {flagged}, without total {int((batch.total < 0).sum())}, "
        f"classes {np.bincount(batch.klass[batch.klass >= 0], minlength=4).tolist()} (KB KS KR TK)"
    )
    print(f"batch  score_batch        {batch_time:8.3f} s  {n / batch_time:12,.0f} rows/s")
    print(f"ref    loop of score_unit {ref_time:8.3f} s  {n / ref_time:12,.0f} rows/s")
    print(f"(building UnitInput rows for the reference, not timed above: {build_time:.3f} s)")
    print(f"identical results: yes; speed-up {ref_time / batch_time:.1f}×")
    if args.file_rows:
        bench_file(args.file_rows, args.seed, rule_set)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
