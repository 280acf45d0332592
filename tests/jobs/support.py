"""Helpers of the job tests (no tests here): one pass of the real database worker in this
process, and a report asked for, made by the worker and downloaded, as a person does it."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
import python_calamine
from django.http import HttpResponseBase
from django.test import Client

from sikumuh.io import template, workbook_guard
from sikumuh.jobs.worker import run_pending
from tests.web.test_rtdata_support import body

__all__ = ["body", "count_reader_calls", "fetch_report", "request_report", "work_off"]

JOB_URL = re.compile(r"^/tugas/(\d+)/$")


def work_off(*, memory_mb: int | None = 0) -> None:
    """Run every waiting job with the database backend's own worker, in this process.

    The worker drops a connection whose autocommit differs from the settings' before each poll
    (a safety for long-running processes); inside a test's transaction that would be the test's
    own connection, so that check alone is switched off here, and the jobs run in this process
    (a child process would not see the test's uncommitted data). Transactional tests run the
    worker as is (``run_pending``)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        run_pending(memory_mb=memory_mb, fork=False)


def count_reader_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A list that grows by "read" (the template reader opens a file), "guard" (the workbook
    checks) or "calamine" each time one runs in this process: the web request's, or a job's
    run by :func:`work_off`."""
    calls: list[str] = []

    def counted(name: str, original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(*args, **kwargs)

        return wrapper

    book = python_calamine.CalamineWorkbook

    class CountedWorkbook:  # calamine's class is immutable: the readers get this one instead
        from_filelike = staticmethod(counted("calamine", book.from_filelike))

    monkeypatch.setattr(
        workbook_guard, "check_workbook", counted("guard", workbook_guard.check_workbook)
    )
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", CountedWorkbook)
    monkeypatch.setattr(template, "open_columns", counted("read", template.open_columns))
    return calls


def request_report(client: Client, url: str) -> int:
    """POST the report's URL: the job's number, from the redirect to its page."""
    response = client.post(url)
    assert response.status_code == 302, (url, response.status_code)
    found = JOB_URL.match(response["Location"])
    assert found, response["Location"]
    return int(found.group(1))


def fetch_report(client: Client, url: str) -> HttpResponseBase:
    """Ask for a report, let the worker make it, and download it from the job's page."""
    job = request_report(client, url)
    work_off()
    page = client.get(f"/tugas/{job}/", headers={"HX-Request": "true"}).content.decode()
    assert f'href="/tugas/{job}/unduh/"' in page, page
    return client.get(f"/tugas/{job}/unduh/")
