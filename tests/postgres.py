"""A fresh PostgreSQL database for a test that runs real processes against it (restores,
`sikumuh serve`): created with a unique name on the local server, dropped afterwards.

The server is $SIKUMUH_TEST_POSTGRES (default: the local one, trust auth, user postgres), not
the suite's DATABASE_URL: these tests run on both engines whatever the suite runs on. Where no
server answers the test is skipped with the reason, except in CI, where that is a failure (as a
missing browser is).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

POSTGRES = os.environ.get("SIKUMUH_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def _admin_connection() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL at {POSTGRES} is unreachable ({' '.join(str(exc).split())})"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests but {reason}")
        pytest.skip(reason)


@contextlib.contextmanager
def postgres_database(prefix: str = "sikumuh_test") -> Iterator[str]:
    """The URL of a new, empty database, dropped (connections and all) when the block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
