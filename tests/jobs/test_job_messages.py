"""Every English string of the jobs area (the jobs app, `sikumuh worker`, the jobs pages) has its
Bahasa Indonesia translation in sikumuh/locale/jobs, shared strings read as in other areas, and
the compiled catalogue is current."""

from __future__ import annotations

import pytest

from tests.reports.messages import (
    ROOT,
    differing,
    extract_from,
    missing,
    stale,
    unused,
    xgettext_available,
)

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

CATALOGUE = ROOT / "locale" / "jobs" / "id" / "LC_MESSAGES" / "django.po"
SOURCES = [
    *sorted((ROOT / "jobs").rglob("*.py")),
    ROOT / "cli" / "worker.py",
    ROOT / "web" / "views" / "jobs.py",
]
TEMPLATES = sorted((ROOT / "web" / "templates" / "web" / "jobs").glob("*.html"))
# Strings of the jobs area that live in the shared layout (web/base.html).
LAYOUT = {("", "My jobs")}


def strings() -> set[tuple[str, str]]:
    return set(extract_from(SOURCES, TEMPLATES)) | LAYOUT


def test_every_string_has_an_indonesian_translation() -> None:
    assert missing(CATALOGUE, strings()) == []


def test_the_catalogue_holds_no_string_the_sources_no_longer_use() -> None:
    assert unused(CATALOGUE, strings()) == []


def test_strings_shared_with_other_areas_are_translated_alike() -> None:
    assert differing(CATALOGUE) == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    assert stale(CATALOGUE) == []
