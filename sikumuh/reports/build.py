"""The three reports as files: one function each, for the CLI and the web downloads alike.

Each builder gathers its data, then renders — both inside the report's language, so that
headings, labels and number formats agree ("47,53 Ha" in Bahasa Indonesia, the default). The
caller checks who may read what (the web scopes the region or location first); the builders
raise :class:`~sikumuh.reports.common.ReportError` for what cannot be reported at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone, translation

from sikumuh.reports.common import DEMO_NOTICE, DRAFT_NOTICE
from sikumuh.reports.render import DEFAULT_LANGUAGE, FORMATS, Output, html_to_pdf, render_html
from sikumuh.reports.tables import Table, workbook
from sikumuh.surveys.asof import APPROVED, STATUS_FILTERS, StatusFilter


def _check(fmt: str, status: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if status not in STATUS_FILTERS:
        raise ValueError(f"unknown status filter {status!r}; expected one of {STATUS_FILTERS}")


def slug(text: str) -> str:
    """A file-name-safe version of a code or name ("TL-16", "63.01")."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.") or "laporan"


def _output(
    fmt: str,
    filename: str,
    template: str,
    tables: Callable[[], Sequence[Table]],
    context: Callable[[], dict[str, Any]],
    *,
    is_demo: bool,
    language: str,
    status: StatusFilter,
) -> Output:
    """The workbook of `tables`, or the PDF of `template` (both built in `language`). With
    unapproved data (`status` all) every page and every sheet says DRAF (criteria.md §9)."""
    is_draft = status != APPROVED
    with translation.override(language):
        draft_notice = str(DRAFT_NOTICE)
        if fmt == "xlsx":
            return Output(
                workbook(tables(), banner=draft_notice if is_draft else None), f"{filename}.xlsx"
            )
        page = {
            **context(),
            "language": language,
            "is_demo": is_demo,
            "demo_notice": str(DEMO_NOTICE),
            "is_draft": is_draft,
            "draft_notice": draft_notice,
            "generated": timezone.localdate(),
        }
        html = render_html(template, page, language)
    content, pages = html_to_pdf(html)
    return Output(content, f"{filename}.pdf", pages)


def uji_petik_report(
    code: str,
    tahun: int,
    *,
    fmt: str = "pdf",
    language: str = DEFAULT_LANGUAGE,
    status: StatusFilter = APPROVED,
) -> Output:
    """*Laporan Uji Petik* of kabupaten/kota `code` for fiscal year `tahun` (``status``: from
    approved data only, the default, or all of them, then marked DRAF)."""
    from sikumuh.reports import uji_petik
    from sikumuh.reports.uji_petik_data import uji_petik_data

    _check(fmt, status)
    with translation.override(language):
        data = uji_petik_data(code, tahun, status)
    return _output(
        fmt,
        f"laporan-uji-petik-{slug(code)}-{tahun}",
        "reports/uji_petik.html",
        lambda: uji_petik.tables(data),
        lambda: uji_petik.context(data),
        is_demo=data.is_demo,
        language=language,
        status=status,
    )


def profil_report(
    location_id: int,
    *,
    fmt: str = "pdf",
    language: str = DEFAULT_LANGUAGE,
    status: StatusFilter = APPROVED,
) -> Output:
    """*Profil Kawasan Kumuh* of one slum location."""
    from sikumuh.reports import profil
    from sikumuh.reports.profil_data import location_or_error, profil_data

    _check(fmt, status)
    with translation.override(language):
        data = profil_data(location_or_error(location_id), status)
    return _output(
        fmt,
        f"profil-kawasan-kumuh-{slug(data.location.code)}",
        "reports/profil.html",
        lambda: profil.tables(data),
        lambda: profil.context(data),
        is_demo=data.is_demo,
        language=language,
        status=status,
    )


def pengurangan_report(
    code: str,
    *,
    fmt: str = "pdf",
    language: str = DEFAULT_LANGUAGE,
    show_sk_base: bool = True,
    status: StatusFilter = APPROVED,
    until: int | None = None,
) -> Output:
    """*Laporan Pengurangan Luasan Kumuh* of region `code` (a Kemendagri code or "ID") over
    the years (up to ``until`` when given). ``show_sk_base``: False hides the kabupaten's SK
    total and the reductions measured against it (for a reader who may not see the
    kabupaten)."""
    from sikumuh.reports import pengurangan
    from sikumuh.reports.pengurangan_data import pengurangan_data

    _check(fmt, status)
    with translation.override(language):
        data = pengurangan_data(code, show_sk_base=show_sk_base, status=status, until=until)
    return _output(
        fmt,
        f"laporan-pengurangan-kumuh-{slug(code)}" + (f"-sd-{until}" if until else ""),
        "reports/pengurangan.html",
        lambda: pengurangan.tables(data),
        lambda: pengurangan.context(data),
        is_demo=data.is_demo,
        language=language,
        status=status,
    )
