"""One RT-data import per kabupaten at a time, and a clean answer to the one that loses a race.

PostgreSQL: the commit first locks the kabupaten rows it writes under, so a second import of the
same kabupaten waits until the first commits, then finds those rows stored (unchanged). SQLite:
writers already queue, as every write transaction takes the database lock when it begins
(settings: IMMEDIATE, busy timeout). What still fails (a lock held past the timeout, a deadlock,
a row inserted meanwhile by another path) becomes `ImportCollision`, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _

from sikumuh.core.rows import Problem
from sikumuh.regions.models import Region

logger = logging.getLogger(__name__)


class ImportCollision(RuntimeError):
    """Another import wrote the same data at the same moment; nothing of this one was saved."""

    def problem(self, file_name: str) -> Problem:
        return Problem(
            file_name,
            "-",
            None,
            None,
            _(
                "another import is running or has just imported these data; nothing was"
                " saved: try again in a moment"
            ),
        )


@contextmanager
def locked_kabupaten(codes: Iterable[str]) -> Iterator[None]:
    """A transaction holding the import lock of each kabupaten in `codes`."""
    try:
        with transaction.atomic():
            # Sorted, so two imports of overlapping kabupaten lock in the same order. NO KEY:
            # rows that merely reference the kabupaten (foreign keys) can still be written.
            list(
                Region.objects.select_for_update(no_key=True)
                .filter(code__in=sorted(set(codes)))
                .order_by("code")
                .values_list("code", flat=True)
            )
            yield
    except (IntegrityError, OperationalError) as exc:
        logger.warning("import commit refused by the database: %s", exc)
        raise ImportCollision(str(exc)) from exc
