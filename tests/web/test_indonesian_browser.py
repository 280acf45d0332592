"""The tour of issue 12's "Done when": every page each demo role reaches (crawled from the home
page, one page of each URL shape) speaks Bahasa Indonesia and fits a 390 px phone; the
administrator's pages fit a desktop too. The answers to submitted forms (the import wizard's
to a broken file among them) are read the same way in `test_indonesian_answers_browser`.

English is found by a short, explicit list of English words that never occur in the Indonesian
UI, matched as whole words in the visible text (``document.body.innerText``) once the text that
is data (code elements: file names, codes, identifiers) is taken out; raw identifiers shown
where a label belongs (snake_case field names, dotted action codes) count too. The text read
includes closed <details> (jargon help), [hidden] elements and placeholder/title/aria-label.
A page that cannot be fixed yet goes into ALLOWED with the reason, so the test still fails on
anything new (empty: everything the tour found was fixed).

About 85 s on the shared 2-core machine: four crawls (administrator 111 page shapes at phone and
desktop width, Pokja 84, viewer 85, facilitator 48, each with its 404 and 403 pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from sikumuh.accounts.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from tests.conftest import browser_login
from tests.web.crawl import DESKTOP, PHONE, Visit, crawl, too_wide

#: English words and phrases no Indonesian sentence of the UI contains (whole words, any case).
ENGLISH = (
    "the",
    "is",
    "are",
    "was",
    "were",
    "must",
    "should",
    "cannot",
    "not",
    "of the",
    "with",
    "which",
    "this",
    "has",
    "have",
    "please",
    "missing",
    "error",
    "required",
    "invalid",
    "traceback",
    "exception",
    "none",
    "decimal",  # a number format named by the reader ("decimal point")
    "point",
    "intersection",  # GEOS's validity faults ("Self-intersection[114.7 -3.8]")
    "greedy",  # the planner's jargon: "cara bertahap" in Indonesian
    "zoom",  # Leaflet's buttons, titled in English unless the page gives their words
)
ENGLISH_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.I)
#: Raw identifiers shown where a label belongs: snake_case field names ("closing_evidence") and
#: dotted action codes ("observation.submit"). Column names of a file are data: in <code>.
FILE_TYPES = "csv|xlsx|xls|zip|json|geojson|pdf|kml|gpkg|shp|jpg|png"
RAW_CODES = re.compile(
    r"\b([a-z]+(?:_[a-z0-9]+)+(?!\.(?:" + FILE_TYPES + r")\b)"
    r"|[a-z_]{3,}\.(?!(?:" + FILE_TYPES + r")\b)[a-z_]{3,})\b"
)
#: The text a person reads on the page, without the text that is data. Closed <details> (the
#: help of a word of jargon) are opened and elements the page's script shows later ([hidden]) are
#: read too, as are the words in attributes people see or hear (placeholder, title, aria-label).
#: Data: code elements (file names, codes, identifiers) and whatever is marked translate="no".
VISIBLE_TEXT = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const parts = [document.title, document.body.innerText];
  for (const e of document.body.querySelectorAll('[hidden]')) parts.push(e.textContent);
  for (const e of document.body.querySelectorAll('[placeholder], [title], [aria-label]'))
    for (const name of ['placeholder', 'title', 'aria-label'])
      if (e.getAttribute(name)) parts.push(e.getAttribute(name));
  let text = parts.join('\\n');
  for (const e of document.body.querySelectorAll('code, kbd, samp, [translate=no]')) {
    const data = e.textContent.trim();
    if (data) text = text.split(data).join(' ');
  }
  return text;
}"""
#: (URL shape, English word) left for later, each with why; the test fails on anything else.
ALLOWED: dict[tuple[str, str], str] = {}
#: More than the page shapes any role reaches: the crawl ends by itself.
LIMIT = 200
ACCOUNTS = {role: (username, password) for username, password, role, *_ in DEMO_ACCOUNTS}


def english(text: str) -> list[str]:
    """The lines of ``text`` holding an English word or a raw code, each with it first."""
    found = []
    for line in text.splitlines():
        if match := ENGLISH_WORDS.search(line) or RAW_CODES.search(line):
            found.append(f"{match.group(1).lower()}: {line.strip()[:160]}")
    return found


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Luas kumuh 47,53 Ha", []),
        ("Kolom wajib tidak ada", []),
        ("required column is missing", ["required"]),
        ("a count must be a whole number", ["must"]),
        ("Volume -10 is negative", ["is"]),
        ("Error: None", ["error"]),
        ("Tidak ada data\nThe file was refused", ["the"]),
        ("Isthmus; Arena; Nonesuch", []),  # whole words only
        ("Tindakan: observation.submit", ["observation.submit"]),
        ("closing_evidence : – → ada", ["closing_evidence"]),
        ("Permen PUPR No. 14/PRT/M/2018; 63.01.03; 0,61 Ha", []),
        ("Periksa impor: rusak.csv", []),  # a file name is data
        ("bukan angka (decimal point)", ["decimal"]),
        ("poligon tidak sah: Self-intersection[114.7 -3.8]", ["intersection"]),
        ("sebuah Point, bukan poligon", ["point"]),
        ("Di sini greedy mencapai optimum", ["greedy"]),
        ("Periksa impor: rt_survey.csv", []),
        ("kolom rt_survey tidak ada", ["rt_survey"]),
    ],
)
def test_english_finds_english_words_only(text: str, words: list[str]) -> None:
    assert [line.split(":")[0] for line in english(text)] == words


@pytest.fixture
def tanah_laut(load_regions_under: Callable[..., int], settings: Any) -> None:
    """The demo with its four role accounts (administrator, Pokja, facilitator, viewer)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_regions_under("63.01")
    build_demo(actor=Actor.system("test"))
    ensure_demo_accounts(actor=Actor.system("test"))


def log_in(page: Any, role: str) -> None:
    username, password = ACCOUNTS[role]
    browser_login(page, username, password)
    page.wait_for_url(lambda url: "/masuk/" not in url)


def problems_of(page: Any, where: str, sizes: tuple[tuple[dict[str, int], str], ...]) -> list[str]:
    """What is wrong with the page shown now, at each of ``sizes``: sideways scrolling and
    English sentences (those not in ALLOWED)."""
    found = []
    for size, name in sizes:
        page.set_viewport_size(size)
        if wide := too_wide(page, size):
            found.append(f"{name} too wide {where}: {wide}")
    # After the widths: reading the text opens the page's <details>.
    for line in english(page.evaluate(VISIBLE_TEXT)):
        word = line.split(":")[0]
        if (where, word) not in ALLOWED:
            found.append(f"English {where}: {line}")
    return sorted(set(found))


NEW_INVESTMENT = {"admin": 200, "reviewer": 403, "editor": 404, "viewer": 403}
#: The pages issue 12 found 477–691 px wide on a phone.
WIDE_BEFORE = (
    "/rt/N/",
    "/sk/N/",
    "/wilayah/N.N/audit/",
    "/pendataan/fgd/N/",
    "/lokasi/N/",
    "/wilayah/N.N/data-rt/",
)
#: Every role's pages on a phone and a desktop (issue 12: "the tour is repeated with every role
#: on desktop and phone"); the text is read once, the width measured at both.
BOTH = ((PHONE, "phone"), (DESKTOP, "desktop"))
ROLE_SIZES = {"admin": BOTH, "reviewer": BOTH, "editor": BOTH, "viewer": BOTH}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(ROLE_SIZES))
def test_every_page_a_demo_role_reaches_is_indonesian_and_fits_a_phone(
    page: Any, tanah_laut: None, role: str
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, role)
    found: list[str] = []

    def check(visit: Visit) -> None:
        found.extend(problems_of(page, visit.shape, ROLE_SIZES[role]))
        page.set_viewport_size(PHONE)

    visits = list(crawl(page, page.base_url, limit=LIMIT, check=check))
    # The error pages a person meets (the crawl keeps to pages that answer 200): a missing
    # page, and the kabupaten's new-investment form: refused to the Pokja and the viewer (403),
    # outside the facilitator's desa (404).
    errors = {"/tidak-ada/": 404, "/wilayah/63.01/investasi/baru/": NEW_INVESTMENT[role]}
    for path, status in errors.items():
        assert page.goto(page.base_url + path).status == status
        found.extend(problems_of(page, f"{status} {path}", ((PHONE, "phone"),)))
    print(f"{role}: {len(visits)} pages checked")
    assert len(visits) > 10, [v.url for v in visits]
    if role == "admin":  # the pages issue 12 found too wide are among those measured
        shapes = {v.shape for v in visits}
        assert not set(WIDE_BEFORE) - shapes, sorted(shapes)
    assert len(visits) < LIMIT
    assert found == [], "\n".join(found)
