"""Imports, saves and dashboards side by side: no "database is locked", no traceback
(issue 7, finding 5). Threads with their own connections stand for server processes; on SQLite
they share a real database file (tests/concurrency.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport
from sikumuh.io.importer import import_rows
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation
from tests.concurrency import in_parallel, shared_database  # noqa: F401  # fixture
from tests.io.test_importer import row

ROWS = 200


def import_file(i: int) -> ImportReport:
    rows = [row(n + 2, rt=f"{n:03d}") for n in range(ROWS)]
    return import_rows(
        rows, actor=Actor.system(f"cli:{i}"), kind="template", source="template", file_name="rt.csv"
    )


@pytest.fixture
def shared(load_regions_under: Any, shared_database: Callable[[], None]) -> None:  # noqa: F811
    load_regions_under("63.01")
    shared_database()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_writes(
    shared: None, settings: Any
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_reads_go_on_while_an_import_writes(shared: None) -> None:
    """One thread imports and holds its transaction open; twenty read meanwhile, unhindered.
    The writer's page cache is tiny, so its changes spill to the file before the commit, as a
    20k-row import's do: in a rollback journal that locks every reader out."""

    def work(i: int) -> Any:
        if i == 0:
            with transaction.atomic():
                if connection.vendor == "sqlite":
                    with connection.cursor() as cursor:
                        cursor.execute("PRAGMA cache_size=10")
                report = import_file(0)
                time.sleep(1.5)  # a long commit: the readers run now
            return report.status
        time.sleep(0.5 + i * 0.02)
        started = time.monotonic()
        counts = (Observation.objects.count(), Region.objects.filter(code="63.01").count())
        return counts, time.monotonic() - started

    results = in_parallel(21, work)

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert results[0] == ImportRun.Status.COMMITTED
    reads = results[1:]
    assert {counts for counts, _ in reads} == {(0, 1)}  # not yet committed
    assert max(seconds for _, seconds in reads) < 0.5


def test_two_writers_that_read_first_queue_instead_of_failing(shared: None) -> None:
    """Read, then write, in one transaction, twice at once: a deferred SQLite transaction would
    fail one with "database is locked" at once (no busy wait on a lock upgrade)."""

    def work(i: int) -> int:
        with transaction.atomic():
            count = Region.objects.filter(code__startswith="63.01").count()
            time.sleep(0.3)
            Region.objects.filter(code="63.01").update(penduduk=count + i)
        return i

    assert in_parallel(2, work) == [0, 1]


def test_two_identical_imports_at_once_one_stores_the_other_finds_them_unchanged(
    shared: None,
) -> None:
    results = in_parallel(3, import_file)

    assert [r for r in results if isinstance(r, BaseException)] == []
    statuses = sorted(str(r.status) for r in results)
    assert statuses.count(ImportRun.Status.COMMITTED) == 1
    assert set(statuses) <= {ImportRun.Status.COMMITTED, ImportRun.Status.UNCHANGED, "rejected"}
    for report in results:
        if report.status == ImportRun.Status.REJECTED:
            assert report.errors[-1].reason.startswith("impor lain sedang berjalan")
    assert Observation.objects.count() == ROWS
    assert ImportRun.objects.count() == 3


def test_a_lost_race_is_a_clean_rejection_not_a_traceback(
    load_regions_under: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the database refuses at commit (here a row stored meanwhile by another path)
    comes back as one Indonesian problem, and nothing of the import is kept."""
    from django.db import IntegrityError

    from sikumuh.io import importer

    load_regions_under("63.01")

    def collide(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(importer, "_commit", collide)
    report = import_file(0)

    assert report.status == ImportRun.Status.REJECTED
    message = (
        "rt.csv, row -: impor lain sedang berjalan atau data ini baru saja diimpor;"
        " tidak ada yang disimpan: coba lagi sebentar lagi"
    )
    assert [str(p) for p in report.errors] == [message]
    assert "duplicate key" not in str(report.as_dict())
    assert ImportRun.objects.get().status == ImportRun.Status.REJECTED
