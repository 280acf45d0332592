"""Every English string of the SK registry has its Bahasa Indonesia translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "sikumuh"
#: The registry's own area, and the GIS layer wizard's (its strings live with the layer import's).
CATALOGUES = [
    ROOT / "locale" / area / "id" / "LC_MESSAGES" / "django.po" for area in ("sk", "gislayer")
]
TEMPLATES = sorted((ROOT / "web" / "templates" / "web" / "sk").glob("*.html"))
MODULES = sorted((ROOT / "web" / "views" / "sk").glob("*.py"))


def catalogue() -> dict[str, str]:
    """msgid → msgstr of our catalogue (a small reader: the file is ours and plain)."""
    entries: dict[str, str] = {}
    blocks = [b for c in CATALOGUES for b in c.read_text(encoding="utf-8").split("\n\n")]
    for block in blocks:
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ")):
                current, line = line.split(" ", 1)
            if current and line.startswith('"'):
                parts[current].append(line[1:-1].replace('\\"', '"'))
        if "".join(parts["msgid"]):
            entries["".join(parts["msgid"])] = "".join(parts["msgstr"])
    return entries


def template_strings() -> set[str]:
    found = set()
    for path in TEMPLATES:
        for text in re.findall(r'{% translate "([^"]+)" %}', path.read_text(encoding="utf-8")):
            found.add(text.replace("%", "%%"))  # as Django looks template strings up
    return found


def code_strings() -> set[str]:
    found = set()
    for path in MODULES:
        found.update(re.findall(r'\b_\(\s*"([^"]+)"\s*\)', path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("source", ["templates", "code"])
def test_every_string_has_an_indonesian_translation(source: str) -> None:
    strings = template_strings() if source == "templates" else code_strings()
    assert strings
    translations = catalogue()
    missing = sorted(s for s in strings if not translations.get(s))
    assert missing == []
