"""Every English string of the reports area has its Bahasa Indonesia translation, and a string
other areas also translate reads the same in both catalogues (Django merges them: the first
catalogue found would win on every page)."""

from __future__ import annotations

import gettext

import pytest

from tests.reports.messages import CATALOGUE, ROOT, extracted, parse_po, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")


def test_every_string_has_an_indonesian_translation() -> None:
    strings = extracted()
    assert len(strings) > 200
    translations = parse_po(CATALOGUE.read_text(encoding="utf-8"))
    missing = sorted(k for k in strings if not (k in translations and translations[k].msgstr))
    assert missing == []


def test_the_catalogue_holds_no_string_the_sources_no_longer_use() -> None:
    unused = sorted(set(parse_po(CATALOGUE.read_text(encoding="utf-8"))) - set(extracted()))
    assert unused == []


def test_strings_shared_with_other_areas_are_translated_alike() -> None:
    ours = parse_po(CATALOGUE.read_text(encoding="utf-8"))
    differing = []
    for path in sorted((ROOT / "locale").glob("*/id/LC_MESSAGES/django.po")):
        if path == CATALOGUE:
            continue
        for key, entry in parse_po(path.read_text(encoding="utf-8")).items():
            if key in ours and entry.msgstr != ours[key].msgstr:
                differing.append((path.parts[-4], key[1], entry.msgstr, ours[key].msgstr))
    assert differing == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    """`make messages` was run: the .mo holds the .po's translations."""
    with CATALOGUE.with_suffix(".mo").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for (context, msgid), entry in parse_po(CATALOGUE.read_text(encoding="utf-8")).items():
        if entry.plural is not None:
            found = compiled.ngettext(msgid, entry.plural, 1)
        else:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == entry.msgstr, msgid
