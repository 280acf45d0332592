"""Benchmark: the planner (criteria.md §10) for a kabupaten and for the whole country.

    python bench/plan_bench.py [--sizes 2000,100000] [--seed S] [--budget-share F]

Generates N synthetic RTs from a seed (NumPy; no database): headers of plausible size and
volumes drawn so that most RTs are Kumuh Ringan or Sedang, a few Berat. Then, for each size,
times (``time.perf_counter``) the two stages of :func:`sikumuh.core.planning.make_plan` — the
cheapest graduation of every slum RT, and the knapsack solved exactly by HiGHS — with a budget
of ``--budget-share`` of the cost of graduating every graduable RT, and prints the times and
the hectares graduated by the optimum and by greedy (hectares per rupiah).
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from sikumuh.core.criteria import PERMEN_PUPR_14_2018
from sikumuh.core.knapsack import choose_exact, choose_greedy
from sikumuh.core.planning import candidates
from sikumuh.core.projection import RtFigures
from sikumuh.core.scoring import UnitInput

#: The illustrative default unit-cost table of docs/planning.md (rupiah per unit of volume).
DEFAULT_COSTS = Path(__file__).resolve().parents[1] / "docs" / "biaya-satuan.csv"


def default_unit_costs() -> dict[str, Decimal]:
    """The default table, read plainly (``;``-separated, dots grouping thousands)."""
    lines = DEFAULT_COSTS.read_text(encoding="utf-8").splitlines()[1:]
    return {c: Decimal(cost.replace(".", "")) for c, _, cost in (ln.split(";") for ln in lines)}


def synthetic_rts(n: int, seed: int) -> list[RtFigures]:
    """N RTs from a seed: whole counts for buildings and households, 2-dp metres, 4-dp ha."""
    rng = np.random.default_rng(seed)
    rule_set = PERMEN_PUPR_14_2018
    luas = rng.uniform(0.5, 8.0, n).round(4)
    header_values = {
        "luas_ha": luas,
        "jumlah_bangunan": rng.integers(20, 200, n),
        "jumlah_penduduk": rng.integers(100, 900, n),
        "jumlah_kk": rng.integers(25, 250, n),
        "panjang_jalan_ideal_m": rng.uniform(200, 1500, n).round(2),
        "panjang_drainase_ideal_m": rng.uniform(150, 1200, n).round(2),
    }
    # Each RT has its own level of trouble, so classes spread from Tidak Kumuh to Berat.
    trouble = rng.beta(2.0, 3.0, n)
    units: list[RtFigures] = []
    for i in range(n):
        header = {k: Decimal(str(v[i])) for k, v in header_values.items()}
        volumes: dict[str, Decimal | None] = {}
        for criterion in rule_set.criteria:
            share = min(1.0, max(0.0, rng.normal(trouble[i], 0.25)))
            raw = float(header[criterion.denominator]) * share
            places = {"ha": 4, "m": 2}.get(criterion.unit, 0)
            volumes[criterion.code] = Decimal(str(round(raw, places)))
        unit = UnitInput(header=header, volumes=volumes)
        units.append(
            RtFigures(
                i,
                "00.00.00.0000",
                f"L-{i // 10:05d}",
                f"{i % 10:03d}",
                header["luas_ha"],
                unit,
                rule_set,
            )
        )
    return units


def run(n: int, seed: int, budget_share: float) -> None:
    units = synthetic_rts(n, seed)
    start = time.perf_counter()
    found, slum = candidates(units, default_unit_costs())
    per_rt = time.perf_counter() - start
    values = [int(p.figures.luas_ha * 1_000_000) for p in found]
    weights = [p.graduation.cost for p in found]
    budget = int(sum(weights) * budget_share)
    start = time.perf_counter()
    exact = choose_exact(values, weights, budget)
    solve = time.perf_counter() - start
    greedy = choose_greedy(values, weights, budget)
    gain = (exact.value - greedy.value) / greedy.value * 100 if greedy.value else 0.0
    print(
        f"{n:>7} RTs ({slum} slum, {len(found)} graduable), budget Rp {budget:,}: "
        f"cheapest graduations {per_rt:.2f} s, knapsack (HiGHS) {solve:.2f} s"
        f"{'' if exact.optimal else ' (not proven optimal)'}; "
        f"optimum {exact.value / 1e6:.4f} ha (Rp {exact.weight:,}), "
        f"greedy {greedy.value / 1e6:.4f} ha (Rp {greedy.weight:,}), optimum +{gain:.3f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--budget-share", type=float, default=0.2)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.seed, args.budget_share)


if __name__ == "__main__":
    main()
