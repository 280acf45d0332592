"""The load test's parts at a tiny size: one logged-in session for two seconds against the test
server, and the goals it reports (the full run is `make loadtest`)."""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import PASSWORD, REPO, Personas


@pytest.fixture
def loadtest(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import loadtest

    return loadtest


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 95, 0.0), ([7.0], 50, 7.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.0), ([*range(1, 101)], 95, 95)],
)
def test_percentiles_are_nearest_rank(
    loadtest: ModuleType, values: list[float], q: float, expected: float
) -> None:
    assert loadtest.percentile(values, q) == expected


def result(loadtest: ModuleType, ms: list[float], errors: int, seconds: float) -> Any:
    measured = loadtest.Result(seconds=seconds)
    for index, value in enumerate(ms):
        measured.add("/wilayah/63.01/", value, "500 /x" if index < errors else None)
    return measured


@pytest.mark.parametrize(
    ("served", "dev", "missed"),
    [
        (([100.0] * 100, 0, 10.0), ([100.0] * 40, 0, 10.0), []),
        (([100.0] * 100, 1, 10.0), ([100.0] * 40, 0, 10.0), ["no error"]),
        (([700.0] * 100, 0, 10.0), ([100.0] * 40, 0, 10.0), ["p95 ≤ 600 ms"]),
        (([100.0] * 100, 0, 10.0), ([100.0] * 60, 0, 10.0), ["throughput ≥ 2× runserver (1.67×)"]),
    ],
)
def test_the_goals_of_the_issue_are_checked(
    loadtest: ModuleType,
    served: tuple[list[float], int, float],
    dev: tuple[list[float], int, float],
    missed: list[str],
) -> None:
    checks = loadtest.goals(result(loadtest, *served), result(loadtest, *dev))
    assert [label for label, ok in checks if not ok] == missed


@pytest.mark.django_db(transaction=True)
def test_one_session_logs_in_and_browses_for_two_seconds(
    loadtest: ModuleType, personas: Personas, live_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(sessions=1, seconds=2.0, warmup=0.0, seed=1, keep_alive=False)
    pages = {"viewer": ["/wilayah/63.01/", "/healthz"]}
    measured = loadtest.load(live_server.url, [("viewer", PASSWORD, "viewer")], pages, args)
    assert measured.latencies_ms
    assert measured.errors == []
    assert set(measured.by_kind) <= {"/wilayah/N/", "/healthz"}
    assert loadtest.report({"sikumuh serve": measured}, args)
    assert "sikumuh serve" in capsys.readouterr().out
