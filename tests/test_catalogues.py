"""Every message shown to users has its Bahasa Indonesia translation (issue 12).

Two checks over the whole tree, beside each area's own catalogue test:

* every msgid of every catalogue (``sikumuh/locale/<area>/id/LC_MESSAGES/django.po``) has a
  non-empty msgstr, and the compiled ``.mo`` beside it says the same (`make messages`);
* every string the Python modules and the templates mark for translation (extracted as
  Django's ``makemessages`` does: templates through ``templatize``, then ``xgettext`` with
  Django's keywords) is translated in some catalogue (Django merges them at run time).

Both can fail: the last tests run them on a copy with a deliberate gap.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.reports.messages import ROOT, extract_from, parse_po, stale, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

CATALOGUES = sorted((ROOT / "locale").glob("*/id/LC_MESSAGES/django.po"))
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}


def sources(root: Path) -> list[Path]:
    """The Python modules that may mark strings (migrations hold no user text)."""
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def templates(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in TEMPLATE_SUFFIXES and "templates" in p.parts
    )


def untranslated(catalogue: Path) -> list[str]:
    """The msgids of ``catalogue`` whose msgstr is empty."""
    return [e.msgid for e in parse_po(catalogue.read_text("utf-8")).values() if not e.msgstr]


def translations(catalogues: Iterable[Path]) -> set[tuple[str, str]]:
    """(msgctxt, msgid) of every entry translated in one of ``catalogues``."""
    return {
        key
        for catalogue in catalogues
        for key, entry in parse_po(catalogue.read_text("utf-8")).items()
        if entry.msgstr
    }


def missing_anywhere(
    python: list[Path], html: list[Path], catalogues: Iterable[Path]
) -> list[tuple[str, str]]:
    """Marked strings of these sources that no catalogue translates."""
    known = translations(catalogues)
    return sorted(k for k in extract_from(python, html) if k not in known)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-4])
def test_every_msgid_of_the_catalogue_is_translated(catalogue: Path) -> None:
    assert untranslated(catalogue) == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-4])
def test_the_compiled_catalogue_is_current(catalogue: Path) -> None:
    assert stale(catalogue) == [], "run `make messages`"


def test_every_marked_string_of_the_sources_is_translated_in_some_catalogue() -> None:
    python, html = sources(ROOT), templates(ROOT)
    assert len(python) > 200
    assert len(html) > 50
    assert missing_anywhere(python, html, CATALOGUES) == []


# --- The checks can fail -----------------------------------------------------------------------


def test_an_empty_msgstr_is_found(tmp_path: Path) -> None:
    copy = tmp_path / "django.po"
    shutil.copy(ROOT / "locale" / "io" / "id" / "LC_MESSAGES" / "django.po", copy)
    text = copy.read_text("utf-8")
    copy.write_text(
        text.replace('msgstr "kolom tidak dikenal; diabaikan"', 'msgstr ""')
        + '\nmsgid "a message nobody translated"\nmsgstr ""\n',
        "utf-8",
    )
    assert "a message nobody translated" in untranslated(copy)


@pytest.mark.parametrize(
    ("suffix", "text", "msgid"),
    [
        (
            ".py",
            (
                "from django.utils.translation import gettext as _\n"
                "WORDS = _('a sentence nobody translated')\n"
            ),
            "a sentence nobody translated",
        ),
        (
            ".html",
            '{% load i18n %}<p>{% translate "a heading nobody translated" %}</p>',
            "a heading nobody translated",
        ),
        (
            ".html",
            (
                "{% load i18n %}{% blocktranslate with n=3 %}{{ n }} rows nobody translated"
                "{% endblocktranslate %}"
            ),
            "%(n)s rows nobody translated",
        ),
    ],
)
def test_a_marked_string_without_translation_is_found(
    tmp_path: Path, suffix: str, text: str, msgid: str
) -> None:
    (tmp_path / "templates").mkdir()
    source = tmp_path / ("module.py" if suffix == ".py" else "templates/page.html")
    source.write_text(text, "utf-8")
    python = [source] if suffix == ".py" else []
    html = [source] if suffix == ".html" else []
    assert ("", msgid) in missing_anywhere(python, html, CATALOGUES)
    # ... and a translation in any catalogue answers it.
    po = tmp_path / "django.po"
    po.write_text(f'msgid "{msgid}"\nmsgstr "diterjemahkan"\n', "utf-8")
    assert missing_anywhere(python, html, [*CATALOGUES, po]) == []
