"""Queries over lists the user's file sizes are chunked: SQLite refuses more than 999 (old) or
32,766 parameters ("too many SQL variables"), which killed a 400,000-row confirmation."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.db import connection

from sikumuh.core.chunks import CHUNK, chunks
from sikumuh.core.rows import ObservationRow
from sikumuh.io.importer import validate_rows
from tests.io.test_importer import row, run


@pytest.mark.parametrize(
    ("n", "size", "lengths"),
    [(0, 3, []), (1, 3, [1]), (3, 3, [3]), (7, 3, [3, 3, 1]), (2000, CHUNK, [900, 900, 200])],
)
def test_chunks_keep_every_value_in_order_in_lists_of_at_most_size(
    n: int, size: int, lengths: list[int]
) -> None:
    parts = list(chunks(iter(range(n)), size))
    assert [len(p) for p in parts] == lengths
    assert [v for p in parts for v in p] == list(range(n))


@pytest.fixture
def old_sqlite_limit() -> Iterator[None]:
    """SQLite as old builds have it: 999 parameters a query (Debian's allows 250,000, so the
    failure would otherwise need a million-row test)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    known = connection.features.__dict__.get("max_query_params")
    connection.features.__dict__["max_query_params"] = 999  # Django reads the limit once
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)
    connection.features.__dict__.pop("max_query_params", None)
    if known is not None:
        connection.features.__dict__["max_query_params"] = known


@pytest.mark.django_db
@pytest.mark.usefixtures("old_sqlite_limit")
@pytest.mark.parametrize("n", [1_000, 33_000], ids=["over-999", "over-32766"])
def test_validating_more_desa_codes_than_sqlite_takes_parameters_works(n: int) -> None:
    rows = [
        ObservationRow(
            file="besar.csv",
            row=str(k + 2),
            kode_desa=f"99.{k:08d}",
            lokasi="L1",
            rt="001",
            tahun=2022,
            header={"luas_ha": Decimal(1)},
        )
        for k in range(n)
    ]
    valid, errors, _ = validate_rows(rows)
    assert valid == []
    assert len(errors) >= n
    assert {p.reason for p in errors if p.column == "kode_desa"} == {"unknown desa/kelurahan code"}


@pytest.mark.django_db
@pytest.mark.usefixtures("old_sqlite_limit")
def test_an_import_of_more_rts_than_a_query_takes_parameters_commits_and_previews(
    load_regions_under: Callable[..., int],
) -> None:
    load_regions_under("63.01")
    rows = [row(k + 2, rt=f"{k:04d}") for k in range(1_200)]
    assert run(rows).created == 1_200
    again = run([row(k + 2, rt=f"{k:04d}", share="0.1") for k in range(1_200)], dry_run=True)
    assert (again.updated, again.created) == (1_200, 0)
