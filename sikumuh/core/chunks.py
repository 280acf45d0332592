"""Long lists of ids in database queries, a chunk at a time.

``Model.objects.filter(pk__in=ids)`` sends one query parameter per id. SQLite refuses more than
its SQLITE_MAX_VARIABLE_NUMBER (999 before 3.32, 32,766 since: "too many SQL variables"), and
PostgreSQL's protocol carries at most 65,535 parameters; a regency's 400,000-row import names
far more RTs than that. Every ``__in`` over a list whose size the user's file decides goes
through :func:`chunks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

#: Parameters per query: under SQLite's oldest limit, with room for the query's other ones.
CHUNK = 900


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``values`` as lists of at most ``size`` items, in order (nothing for no values)."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
