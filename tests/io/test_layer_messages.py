"""Every message of the GIS layer import, its command and its wizard has its Bahasa Indonesia
translation (gislayer catalogue, and the catalogues whose messages it shares)."""

from __future__ import annotations

import subprocess

import pytest

from tests.reports.messages import ROOT, parse_po, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

SOURCES = [
    *sorted((ROOT / "io" / "geo").glob("layer_*.py")),
    ROOT / "cli" / "import_layer.py",
    ROOT / "web" / "views" / "sk" / "layer.py",
]
CATALOGUES = [
    ROOT / "locale" / area / "id" / "LC_MESSAGES" / "django.po"
    for area in ("gislayer", "io", "cli", "sk", "delineation")
]


def test_every_message_of_the_layer_import_is_translated() -> None:
    result = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "-o", "-", "--no-wrap",
         "--keyword=gettext_lazy", *map(str, SOURCES)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    used = parse_po(result.stdout)
    assert len(used) > 30
    translated = {k: e for c in CATALOGUES for k, e in parse_po(c.read_text("utf-8")).items()}
    assert sorted(k[1] for k in used if not translated.get(k) or not translated[k].msgstr) == []
