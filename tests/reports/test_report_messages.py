"""Every English string of the reports area has its Bahasa Indonesia translation, and a string
other areas also translate reads the same in both catalogues (Django merges them: the first
catalogue found would win on every page)."""

from __future__ import annotations

import pytest

from tests.reports.messages import (
    CATALOGUE,
    differing,
    extracted,
    missing,
    stale,
    unused,
    xgettext_available,
)

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")


def test_every_string_has_an_indonesian_translation() -> None:
    strings = extracted()
    assert len(strings) > 200
    assert missing(CATALOGUE, strings) == []


def test_the_catalogue_holds_no_string_the_sources_no_longer_use() -> None:
    assert unused(CATALOGUE, extracted()) == []


def test_strings_shared_with_other_areas_are_translated_alike() -> None:
    assert differing(CATALOGUE) == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    """`make messages` was run: the .mo holds the .po's translations."""
    assert stale(CATALOGUE) == []
