"""The planner benchmark at a tiny size: it runs, and the optimum is never below greedy."""

from __future__ import annotations

import pytest

from tests.conftest import REPO


def test_the_plan_bench_prints_times_and_the_optimum_against_greedy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import plan_bench

    plan_bench.run(60, seed=1, budget_share=0.3)
    line = capsys.readouterr().out
    assert "60 RTs" in line
    assert "knapsack (HiGHS)" in line
    assert "optimum +" in line  # never a negative gain
