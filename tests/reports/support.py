"""Fixtures and helpers of the report tests (no tests here): the Tanah Laut demo with the
personas, written once per test module, and the text of a PDF as a reader would copy it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from tests.conftest import Personas, _load_subset
from tests.web.test_dashboard_support import FAST_HASHER, make_personas

KABUPATEN = "63.01"  # Tanah Laut
PELAIHARI = "63.01.03"
SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def demo_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    """Regions of 63.01 and 33.75, the personas and the demo (with its 2020 and 2021 uji
    petik), written once per module and flushed after it; each test still runs in its own
    rolled-back transaction."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        _load_subset(("63.01", "33.75"))
        personas = make_personas()
        build_demo(actor=Actor.system("test"))
    yield personas
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_module: Personas, db: None) -> Personas:
    return demo_module


def _pdftotext(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_text(content: bytes) -> str:
    """The PDF's text (poppler's pdftotext), every run of white space made one space, so a
    phrase broken over two lines still reads as one."""
    return re.sub(r"\s+", " ", _pdftotext(content))


def pdf_pages(content: bytes) -> int:
    """The number of pages: pdftotext ends each page with a form feed."""
    return _pdftotext(content).count("\f")


def pdf_page_texts(content: bytes) -> list[str]:
    """Each page's text (pdftotext ends each page with a form feed), white space made one."""
    return [re.sub(r"\s+", " ", page) for page in _pdftotext(content).split("\f")[:-1]]
