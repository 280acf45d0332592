"""The registry's tables as CSV/XLSX (``?format=csv|xlsx`` on each page).

Exporters only yield rows; ``sikumuh.io.tables.write_table`` renders them and neutralises
formula injection (a location named ``=HYPERLINK(...)`` arrives as text). Column titles follow
the active language; numbers stay numbers (hectares as stored, coverage in percent).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sikumuh.io.exporters import plain_rows
from sikumuh.io.tables import EXCEL_CSV, FORMATS, SUFFIXES, write_table
from sikumuh.slums.selectors import DecreeSummary
from sikumuh.surveys.sk_entries import DecreeDiff, EntryRow, RemovalDraft
from sikumuh.web.views.sk.labels import (
    AUTHORITY_LABELS,
    CHANGE_LABELS,
    SERVICE_LABELS,
    SERVICES,
    class_label,
    yes_no,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    EXCEL_CSV: "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Table = tuple[list[str], Iterator[Sequence[Any]]]


def wanted_format(request: HttpRequest) -> str | None:
    return request.GET.get("format") or None


def table_response(fmt: str, name: str, table: Table) -> HttpResponse:
    """The file for one table; 400 for a format we do not write."""
    if fmt not in FORMATS:
        return HttpResponseBadRequest(f"unknown format; expected one of {', '.join(FORMATS)}")
    header, rows = table[0], plain_rows(table[1])
    if fmt == "csv":
        text = io.StringIO()
        write_table(header, rows, text, "csv")
        # With a byte-order mark, Excel reads the file as UTF-8 (names like "Ujung Batu").
        body = ("\ufeff" + text.getvalue()).encode("utf-8")
    elif fmt == EXCEL_CSV:
        text = io.StringIO()
        write_table(header, rows, text, EXCEL_CSV)  # with its byte-order mark
        body = text.getvalue().encode("utf-8")
    else:
        binary = io.BytesIO()
        write_table(header, rows, binary, "xlsx")
        body = binary.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = slugify(name) or "sk"
    response["Content-Disposition"] = f'attachment; filename="{filename}{SUFFIXES[fmt]}"'
    return response


def decree_list_table(rows: Sequence[DecreeSummary]) -> Table:
    header = [
        _("Kabupaten/kota code"),
        _("Kabupaten/kota"),
        _("SK number"),
        _("Date"),
        _("Year"),
        _("Title"),
        _("Locations"),
        _("Area (ha)"),
        _("Supersedes"),
        _("In force"),
    ]

    def body() -> Iterator[Sequence[Any]]:
        for row in rows:
            decree = row.decree
            yield [
                decree.kabupaten_id,
                decree.kabupaten.name,
                decree.number,
                decree.date.isoformat() if decree.date else None,
                decree.year,
                decree.title,
                row.locations,
                row.total_ha,
                decree.supersedes.number if decree.supersedes else None,
                yes_no(row.is_latest),
            ]

    return header, body()


def _place(row: EntryRow) -> list[Any]:
    return [row.code, row.name, row.desa_code, row.desa_name, row.kecamatan_name]


def _place_header() -> list[str]:
    return [_("Location code"), _("Location"), _("Desa code"), _("Desa"), _("Kecamatan")]


def entries_table(rows: Sequence[EntryRow]) -> Table:
    header = [
        *_place_header(),
        _("SK area (ha)"),
        _("Kewenangan"),
        _("Typology"),
        _("Data year"),
        _("Total score"),
        _("Class"),
        _("Class stated in the SK"),
        _("Tidak Kumuh"),
        _("Basic services above 80 %"),
        _("Meets both conditions"),
    ]

    def body() -> Iterator[Sequence[Any]]:
        for row in rows:
            status = row.status
            yield [
                *_place(row),
                row.luas_ha,
                str(AUTHORITY_LABELS[row.authority]),
                row.typology_label,
                status.tahun if status else None,
                status.result.total if status else None,
                class_label(row.klass),
                class_label(row.stated_klass),
                yes_no(row.removable_by_score),
                yes_no(bool(status and status.removal.services_above_min)),
                yes_no(row.removable),
            ]

    return header, body()


def diff_table(diff: DecreeDiff) -> Table:
    header = [
        _("Change"),
        *_place_header(),
        _("Area before (ha)"),
        _("Area after (ha)"),
        _("Difference (ha)"),
    ]

    def body() -> Iterator[Sequence[Any]]:
        for kind, item in diff.rows:
            change = CHANGE_LABELS[kind]
            yield [change, *_place(item.row), item.ha_before, item.ha_after, item.change]

    return header, body()


def removal_table(draft: RemovalDraft) -> Table:
    header = [
        *_place_header(),
        _("SK area (ha)"),
        _("Data year"),
        _("Total score"),
        _("Class"),
        *(_("%(service)s coverage (%%)") % {"service": SERVICE_LABELS[s]} for s in SERVICES),
        _("Basic services above 80 %"),
        _("Meets both conditions"),
    ]

    def body() -> Iterator[Sequence[Any]]:
        for row in draft.rows:
            assert row.status is not None  # only scored Tidak Kumuh locations are listed
            removal = row.status.removal
            yield [
                *_place(row),
                row.luas_ha,
                row.status.tahun,
                row.status.result.total,
                class_label(row.klass),
                *(removal.coverage[s] for s in SERVICES),
                yes_no(removal.services_above_min),
                yes_no(row.removable),
            ]

    return header, body()
