"""Every English string of the RT data and review areas has its Bahasa Indonesia translation
in the area's catalogue (Django merges the catalogues, so a string already translated by
another area must read the same there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.messages import ROOT, extract_from, parse_po, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

WEB = ROOT / "web"
AREAS = {
    "rtdata": (
        [*sorted((WEB / "views" / "rtdata").glob("*.py")), ROOT / "cli" / "export.py"],
        sorted((WEB / "templates" / "web" / "rtdata").glob("*.html")),
    ),
    "review": (
        [WEB / "views" / "review.py", ROOT / "surveys" / "review.py"],
        sorted((WEB / "templates" / "web" / "review").glob("*.html")),
    ),
}


def all_translations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted((ROOT / "locale").glob("*/id/LC_MESSAGES/django.po")):
        for key, entry in parse_po(path.read_text(encoding="utf-8")).items():
            if entry.msgstr:
                found.setdefault(key, entry.msgstr)
    return found


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_string_of_the_area_is_translated(area: str) -> None:
    sources, templates = AREAS[area]
    strings = extract_from([Path(p) for p in sources], templates)
    assert len(strings) > 20
    translations = all_translations()
    missing = sorted(key[1] for key in strings if key not in translations)
    assert missing == []
