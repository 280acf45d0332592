"""From a report's context to a file: HTML by a dedicated template engine, PDF by WeasyPrint.

The engine reads only ``sikumuh/reports/templates`` and the libraries named here, so rendering a
report needs no app registry entry and no web template. WeasyPrint may fetch nothing but
``data:`` URIs: the stylesheet is inlined and the charts and maps are embedded, so a report
never reaches the network or the file system, whatever a location's name holds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("pdf", "xlsx")
CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}
#: Bahasa Indonesia by default: the reports are for the Pokja and the regency's offices.
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Output:
    """A finished report file."""

    content: bytes
    filename: str
    pages: int | None = None  # of a PDF

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.filename.rsplit(".", 1)[-1]]


@functools.cache
def engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATES)],
        app_dirs=False,
        libraries={
            "i18n": "django.templatetags.i18n",
            "report": "sikumuh.reports.filters",
        },
        autoescape=True,
    )


def render_html(template: str, context: Mapping[str, Any], language: str) -> str:
    """The report's HTML in `language` (its translations and number formats)."""
    with translation.override(language):
        return engine().get_template(template).render(Context(dict(context)))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """A4 PDF of a report's HTML (page size, margins and page numbers are in its CSS), and its
    number of pages."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    document = HTML(string=html, url_fetcher=fetcher).render()
    result: bytes = document.write_pdf()
    return result, len(document.pages)
