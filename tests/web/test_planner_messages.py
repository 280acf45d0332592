"""Every English string of the planner page has its Bahasa Indonesia translation (in the planning
catalogue, or in another area's for the strings the pages share), translated alike everywhere,
and the compiled catalogue is current."""

from __future__ import annotations

import pytest

from tests.reports.messages import (
    ROOT,
    differing,
    extract_from,
    parse_po,
    stale,
    xgettext_available,
)

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

CATALOGUE = ROOT / "locale" / "planning" / "id" / "LC_MESSAGES" / "django.po"
SOURCES = [
    ROOT / "web" / "views" / "investments" / "planner.py",
    ROOT / "web" / "views" / "investments" / "plan_form.py",
]
#: The page, and the pages that link to it.
TEMPLATES = [
    ROOT / "web" / "templates" / "web" / "investments" / "plan.html",
    ROOT / "web" / "templates" / "web" / "investments" / "list.html",
    ROOT / "web" / "templates" / "web" / "dashboard" / "region.html",
]


def test_every_string_of_the_page_has_an_indonesian_translation() -> None:
    strings = set(extract_from(SOURCES, TEMPLATES))
    assert len(strings) > 40
    translated = set()
    for path in (ROOT / "locale").glob("*/id/LC_MESSAGES/django.po"):
        entries = parse_po(path.read_text(encoding="utf-8"))
        translated |= {key for key, entry in entries.items() if entry.msgstr}
    assert sorted(strings - translated) == []


def test_strings_shared_with_other_areas_are_translated_alike() -> None:
    assert differing(CATALOGUE) == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    assert stale(CATALOGUE) == []
