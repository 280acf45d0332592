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
