"""A bounded crawl of the pages a signed-in user reaches by following links from the home page,
for the browser tests of the layout (phone width) and of accessibility (axe-core)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlsplit

#: Paths that are not pages: downloads, exports, files, the API, Django's admin, signing out.
SKIP = re.compile(
    r"/keluar/|/admin/|/api/|/static/|/media/|/unduh/|/ekspor/|/lampiran/|/profil\.|xlsform"
    r"|\.(pdf|csv|xlsx|xls|zip|geojson|json|gpkg|kml|xml|txt)$"
)
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|fmt)=")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: How wide the page is: more than the viewport means it scrolls sideways.
WIDTH = "document.scrollingElement.scrollWidth"
#: The outermost elements reaching past the right edge of the screen: what to fix.
CULPRITS = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1
               && e.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 4)
  .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined
       ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''))"""


def too_wide(page: object, size: dict[str, int]) -> str | None:
    """None when the page (at the viewport size it has now, `size`) does not scroll sideways;
    else its width and the elements that stick out."""
    width = page.evaluate(WIDTH)  # type: ignore[attr-defined]
    if width <= size["width"] + 1:
        return None
    culprits = ", ".join(page.evaluate(CULPRITS, size["width"]))  # type: ignore[attr-defined]
    return f"{width}px ({culprits})"


def shape(url: str) -> str:
    """A URL with its numbers abstracted and its query reduced to its keys: one page of each
    shape is enough to check the layout (the 48 location pages share one template)."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@dataclass(frozen=True)
class Visit:
    url: str
    shape: str


def crawl(
    page: object,
    base: str,
    *,
    limit: int,
    check: Callable[[Visit], None],
    start: str = "/",
) -> Iterator[Visit]:
    """Breadth first from `start`, same origin, GET only (links, never forms), one page per
    shape, at most `limit` pages; `check` runs on each page once it has loaded."""
    queue: deque[str] = deque([base + start])
    seen_shapes: set[str] = set()
    seen_urls: set[str] = set()
    visited = 0
    while queue and visited < limit:
        url = queue.popleft()
        key = shape(url)
        parts = urlsplit(url)
        if key in seen_shapes or SKIP.search(parts.path) or DOWNLOAD_QUERY.search(parts.query):
            continue
        seen_shapes.add(key)
        try:
            response = page.goto(url, wait_until="load")  # type: ignore[attr-defined]
        except Exception as error:  # Playwright's Error: a file, not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        visit = Visit(url=url, shape=key)
        check(visit)
        yield visit
        hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "a[href]", "links => links.map(a => a.href)"
        )
        for href in hrefs:
            href = urldefrag(href)[0]
            if href.startswith(base + "/") and href not in seen_urls:
                seen_urls.add(href)
                queue.append(href)
