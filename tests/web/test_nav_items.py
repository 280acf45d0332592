"""The main navigation's links, reversed once per region and script prefix: what the pages link
to stays what `reverse` gives, under any script prefix and in either language."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from sikumuh.web.nav import NAV
from sikumuh.web.templatetags.sikumuh import nav_items


def _expected(code: str | None) -> list[tuple[str, str]]:
    items = []
    for name, label in NAV:
        try:
            href = reverse(name, kwargs={"code": code}) if code else reverse(name)
        except NoReverseMatch:
            continue
        items.append((href, str(label)))
    return items


@pytest.mark.parametrize("code", ["ID", "63.01", "63.01.03", "63.01.03.1001", None])
@pytest.mark.parametrize("language", ["id", "en"])
def test_nav_items_are_what_reverse_gives(code: str | None, language: str) -> None:
    with translation.override(language):
        assert nav_items(code) == _expected(code)
        assert nav_items(code) == _expected(code)  # cached the second time, the same


def test_a_script_prefix_is_not_served_from_the_cache() -> None:
    before = nav_items("63.01")
    set_script_prefix("/sikumuh/")
    try:
        moved = nav_items("63.01")
    finally:
        set_script_prefix("/")
    assert moved == _expected_with_prefix(before, "/sikumuh/")
    assert nav_items("63.01") == before


def _expected_with_prefix(items: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    return [(prefix + href.removeprefix("/"), label) for href, label in items]
