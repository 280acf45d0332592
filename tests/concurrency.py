"""Run code in parallel threads against one real database, as several server processes do.

PostgreSQL: each thread opens its own connection to the test database (the test must use
`transactional_db`, so that what it wrote is committed and visible). SQLite: Django's in-memory
test database cannot be shared between connections without table locks, so `share()` copies it
(schema and data, with SQLite's backup API) into a file, which every connection opened from then
on uses: a real file in WAL mode, as in production.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connections

T = TypeVar("T")


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Call the returned `share()` once the test's data is written; threads started after it
    see that data, each through its own connection."""
    saved: list[tuple[dict[str, Any], Any]] = []

    def share() -> None:
        main = connections["default"]
        if main.vendor != "sqlite":
            return
        main.ensure_connection()
        target = sqlite3.connect(tmp_path / "shared.sqlite3")
        main.connection.backup(target)
        target.close()
        saved.append((connections.settings["default"], main))
        connections.settings["default"] = {
            **connections.settings["default"],
            "NAME": str(tmp_path / "shared.sqlite3"),
        }
        connections["default"] = connections.create_connection("default")

    yield share
    if saved:
        settings_dict, main = saved[0]
        connections["default"].close()
        connections.settings["default"] = settings_dict
        connections["default"] = main


def in_parallel(count: int, work: Callable[[int], T]) -> list[T | BaseException]:
    """Run `work(i)` for i in range(count), all released at the same moment; each result, or
    the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = [RuntimeError("not run")] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:  # reported to the test, which names it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
