"""What a kind of job is: a name, a label, and the function that does the work.

A kind's function gets the :class:`~sikumuh.jobs.models.Job` (its ``params``, ``region_code``,
``started_by``, ``language``) and a :class:`Reporter` for its progress; it returns a file
(:class:`FileResult`) or a JSON summary (a dict), or raises :class:`JobFailed` with a message
for the person who started it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from sikumuh.jobs.models import Job


class JobFailed(Exception):
    """A failure the person can read (already in their language): shown on the job page."""


@dataclass(frozen=True)
class FileResult:
    content: bytes
    filename: str


Outcome = FileResult | dict[str, Any]


class Reporter:
    """Writes a job's progress (done/total and a short status text) as the work goes on.

    Called from inside the task, outside any transaction, so the job page sees each step at
    once; writes at most every ``interval`` seconds, except at the start and at the end.
    Also usable where a plain ``progress(done, total)`` callable is expected (the importer)."""

    def __init__(self, job: Job, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0
        self._text: str | None = None

    def __call__(self, done: int, total: int, text: str | Promise | None = None) -> None:
        now = time.monotonic()
        if 0 < done < total and now - self._last < self.interval:
            return
        self._last = now
        fields: dict[str, Any] = {"done": max(done, 0), "total": max(total, 0)}
        if text is not None:
            self._text = str(text)[:200]
            fields["status_text"] = self._text
        Job.objects.filter(pk=self.job.pk).update(**fields)


Run = Callable[[Job, Reporter], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise  # lazily translated: shown in the list of jobs
    run: Run


KINDS: dict[str, Kind] = {}


def register(name: str, label: Promise) -> Callable[[Run], Run]:
    def decorator(run: Run) -> Run:
        KINDS[name] = Kind(name, label, run)
        return run

    return decorator


def kind_of(name: str) -> Kind | None:
    from sikumuh.jobs import kinds  # noqa: F401  (registers every kind)

    return KINDS.get(name)
