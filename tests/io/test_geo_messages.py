"""Every message the geometry reader and `sikumuh geo check` show has its Bahasa Indonesia
translation (delineation and cli catalogues)."""

from __future__ import annotations

import pytest

from tests.reports.messages import ROOT, parse_po, python_messages, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

SOURCES = [
    ROOT / "io" / "geo" / "containers.py",
    ROOT / "io" / "geo" / "read.py",
    ROOT / "io" / "geo" / "survey.py",
    ROOT / "io" / "geo" / "check.py",
    ROOT / "cli" / "geo.py",
]
CATALOGUES = [
    ROOT / "locale" / area / "id" / "LC_MESSAGES" / "django.po" for area in ("delineation", "cli")
]


def test_every_message_of_the_reader_and_geo_check_is_translated() -> None:
    used = python_messages(SOURCES)
    assert len(used) > 30
    translated = {k: e for c in CATALOGUES for k, e in parse_po(c.read_text("utf-8")).items()}
    assert sorted(k[1] for k in used if not translated.get(k) or not translated[k].msgstr) == []
