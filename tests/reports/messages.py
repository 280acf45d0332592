"""Extract the translatable strings of the reports area as Django's `makemessages` does
(templates through `templatize`, then `xgettext`), for the catalogue test (no tests here)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "sikumuh"
CATALOGUE = ROOT / "locale" / "reports" / "id" / "LC_MESSAGES" / "django.po"
SOURCES = [
    *sorted((ROOT / "reports").glob("*.py")),
    ROOT / "cli" / "report.py",
    ROOT / "web" / "views" / "reports.py",
]
TEMPLATES = [
    *sorted((ROOT / "reports" / "templates" / "reports").glob("*")),
    *sorted((ROOT / "web" / "templates" / "web" / "reports").glob("*.html")),
]
# The keywords `makemessages` passes to xgettext for Python and templates.
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def xgettext_available() -> bool:
    return shutil.which("xgettext") is not None


@dataclass(frozen=True)
class Entry:
    context: str
    msgid: str
    plural: str | None
    msgstr: str  # the first (only, in Indonesian) form


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    """The text of one quoted PO line (C escapes: \\n, \\t, \\", \\\\)."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), line.strip()[1:-1])


def parse_po(text: str) -> dict[tuple[str, str], Entry]:
    """(msgctxt, msgid) → entry; a small reader for the plain catalogues of this project."""
    entries: dict[tuple[str, str], Entry] = {}
    for block in text.split("\n\n"):
        parts: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if not line.startswith('"'):
                current, line = line.split(" ", 1)
                current = "msgstr" if current in ("msgstr", "msgstr[0]") else current
            if current is not None:
                parts.setdefault(current, []).append(_unquote(line))
        msgid = "".join(parts.get("msgid", []))
        if msgid:
            context = "".join(parts.get("msgctxt", []))
            plural = "".join(parts["msgid_plural"]) if "msgid_plural" in parts else None
            msgstr = "".join(parts.get("msgstr", []))
            entries[(context, msgid)] = Entry(context, msgid, plural, msgstr)
    return entries


def extracted() -> dict[tuple[str, str], Entry]:
    """Every (msgctxt, msgid) our sources use (msgstr empty), through xgettext."""
    return extract_from(SOURCES, TEMPLATES)


def extract_from(sources: list[Path], templates: list[Path]) -> dict[tuple[str, str], Entry]:
    """Every (msgctxt, msgid) these modules and templates use, through xgettext (any area)."""
    from django.utils.translation.template import templatize

    with tempfile.TemporaryDirectory() as tmp:
        files = [str(p) for p in sources]
        for k, template in enumerate(templates):
            target = Path(tmp) / f"t{k}.py"
            target.write_text(
                templatize(template.read_text(encoding="utf-8"), origin=str(template))
            )
            files.append(str(target))
        result = subprocess.run(
            ["xgettext", "-d", "django", "--language=Python", "--from-code=UTF-8", "-o", "-",
             "--no-wrap", *KEYWORDS, *files],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    return parse_po(result.stdout)


# --- The checks each area's catalogue test runs -------------------------------------------------


def missing(catalogue: Path, strings: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Strings of the sources without a translation in ``catalogue``."""
    translations = parse_po(catalogue.read_text(encoding="utf-8"))
    return sorted(k for k in strings if not (k in translations and translations[k].msgstr))


def unused(catalogue: Path, strings: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Strings of ``catalogue`` that the sources no longer use."""
    return sorted(set(parse_po(catalogue.read_text(encoding="utf-8"))) - set(strings))


def differing(catalogue: Path) -> list[tuple[str, str, str, str]]:
    """Strings other areas translate otherwise (Django merges the catalogues: the first found
    would win on every page)."""
    ours = parse_po(catalogue.read_text(encoding="utf-8"))
    found = []
    for path in sorted((ROOT / "locale").glob("*/id/LC_MESSAGES/django.po")):
        if path == catalogue:
            continue
        for key, entry in parse_po(path.read_text(encoding="utf-8")).items():
            if key in ours and entry.msgstr != ours[key].msgstr:
                found.append((path.parts[-4], key[1], entry.msgstr, ours[key].msgstr))
    return found


def stale(catalogue: Path) -> list[str]:
    """Strings whose compiled translation (the .mo beside) is not the .po's: `make messages`."""
    import gettext

    with catalogue.with_suffix(".mo").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    wrong = []
    for (context, msgid), entry in parse_po(catalogue.read_text(encoding="utf-8")).items():
        if entry.plural is not None:
            found = compiled.ngettext(msgid, entry.plural, 1)
        else:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        if found != entry.msgstr:
            wrong.append(msgid)
    return wrong
