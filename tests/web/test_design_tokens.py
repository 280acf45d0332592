"""The design system: every colour is a token of app.css's :root block (issue 12, point 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "sikumuh" / "web"
STATIC = WEB / "static" / "web"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b(?![-\w])|rgba?\(|hsla?\(")
# In a template, "#" starts fragments (href="#main"): only a colour inside a style counts.
STYLE_COLOUR = re.compile(r"style=\"[^\"]*(#[0-9a-fA-F]{3,8}|rgba?\()")


def _token_block(css: str) -> tuple[str, str]:
    start = css.index(":root {")
    end = css.index("\n}\n", start) + 3
    return css[start:end], css[:start] + css[end:]


def test_colours_are_declared_once_as_tokens_in_app_css() -> None:
    tokens, rest = _token_block((STATIC / "app.css").read_text())
    for name in ("--berat", "--sedang", "--ringan", "--tidak", "--none", "--danger", "--accent"):
        assert f"{name}:" in tokens
    assert not COLOUR.findall(rest)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in STATIC.iterdir() if p.suffix in {".css", ".js"} and p.name != "app.css"),
    ids=lambda p: p.name,
)
def test_no_style_sheet_or_script_repeats_a_colour(path: Path) -> None:
    assert not COLOUR.findall(path.read_text()), f"{path.name}: use a token of app.css"


def test_no_template_hard_codes_a_colour() -> None:
    found = [
        str(p.relative_to(WEB))
        for p in (WEB / "templates").rglob("*.html")
        if STYLE_COLOUR.search(p.read_text())
    ]
    assert found == []


def test_map_charts_and_delineation_take_the_palette_from_ui_js() -> None:
    for name in ("map.js", "charts.js", "delineation.js"):
        text = (STATIC / name).read_text()
        assert "window.sikumuhUI" in text
        assert "getComputedStyle" not in text, f"{name} reads the tokens itself"
    base = (WEB / "templates" / "web" / "base.html").read_text()
    assert base.index("web/ui.js") < base.index("{% block scripts %}")


# --- One callout ---------------------------------------------------------------------------
# A note box is painted with a note background or a coloured side edge. Besides the callout
# these may paint them: badges, table rows and cells (a flagged row), the status pill of an
# import run, and a field's "their value" line under an input (stale edits).
NOTE_PAINT = re.compile(r"background[^;]*var\(--(info|warn|danger|ok|quiet)-bg\)|border-left")
OTHER_COMPONENTS = re.compile(r"\.callout\b|\.badge\b|\b(tr|td|th)\b|\.status\.|^\.theirs$")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# Classes that name a note on a block: must be a callout (a card may hold a list of problems).
NOTE_CLASS = re.compile(r"^(errors?|warnings?|.*-(notes?|notice|banner|hint|alert|warnings?))$")
BLOCK_WITH_CLASS = re.compile(r"<(p|div|section|aside|ul|li)\b[^>]*\bclass=\"([^\"]*)\"")


def stray_note_styles(css: str) -> list[str]:
    """Selectors of rules that paint a note box without being the callout."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    stray = []
    for selectors, body in RULE.findall(css):
        if not NOTE_PAINT.search(body):
            continue
        stray += [s.strip() for s in selectors.split(",") if not OTHER_COMPONENTS.search(s.strip())]
    return stray


def stray_note_classes(html: str) -> list[str]:
    """Class lists of blocks named as a note that are not the callout (or a card)."""
    found = []
    for _tag, classes in BLOCK_WITH_CLASS.findall(html):
        names = re.sub(r"\{[%{].*?[%}]\}", " ", classes).split()
        if any(NOTE_CLASS.match(n) for n in names) and not {"callout", "card"} & set(names):
            found.append(classes)
    return found


@pytest.mark.parametrize(
    ("css", "stray"),
    [
        (".callout.warn { background: var(--warn-bg); }", []),
        ("@media (x) { .badge.up-warn { background: var(--danger-bg); } }", []),
        (".rt-note { background: var(--warn-bg); }", [".rt-note"]),
        ("/* a */ .a, .callout.ok { padding: 0; border-left: 4px solid var(--ok-line); }", [".a"]),
        ("tr.flagged td { background: var(--warn-row); }", []),
    ],
)
def test_a_note_box_outside_the_callout_is_found(css: str, stray: list[str]) -> None:
    assert stray_note_styles(css) == stray


@pytest.mark.parametrize(
    ("html", "stray"),
    [
        ('<p class="callout warn sk-notice">', []),
        ('<p class="sk-notice">', ["sk-notice"]),
        ('<div class="errors" role="alert">', ["errors"]),
        ('<section class="card import-warnings">', []),
        (
            '<div class="x{% if a %} demo-banner{% endif %}">',
            ["x{% if a %} demo-banner{% endif %}"],
        ),
        ('<q class="lock-note">', []),
    ],
)
def test_a_note_not_made_of_the_callout_is_found(html: str, stray: list[str]) -> None:
    assert stray_note_classes(html) == stray


def test_the_callout_is_the_only_note_box_of_the_style_sheets() -> None:
    found = {
        p.name: stray_note_styles(p.read_text())
        for p in sorted(STATIC.glob("*.css"))
        if stray_note_styles(p.read_text())
    }
    assert found == {}, "use the callout of app.css (.callout.info/.warn/.error/.ok/.quiet)"


def test_every_note_of_the_templates_is_a_callout_and_none_has_a_style_of_its_own() -> None:
    notes = {
        str(p.relative_to(WEB)): stray_note_classes(p.read_text())
        for p in sorted((WEB / "templates").rglob("*.html"))
        if stray_note_classes(p.read_text())
    }
    assert notes == {}
    styled = [
        str(p.relative_to(WEB))
        for p in (WEB / "templates").rglob("*.html")
        if re.search(r"\sstyle=", p.read_text())
    ]
    assert styled == []
