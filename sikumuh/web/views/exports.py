"""Exports of the standard tables as CSV (streamed) or XLSX, every one limited to a region the
user may see. Rows come from :mod:`sikumuh.io.exporters`; the file is written by
:func:`sikumuh.io.tables.write_table`, the one renderer that neutralises formula injection."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.views.decorators.http import require_GET

from sikumuh.io.exporters import TABLES, plain_rows
from sikumuh.io.tables import EXCEL_CSV, FORMATS, SUFFIXES, write_excel_csv, write_table
from sikumuh.web.scoping import login_required, region_or_404

if TYPE_CHECKING:
    from sikumuh.web.views.rtdata.selectors import RtFilters

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows rendered per streamed piece of a CSV.
CHUNK_ROWS = 1000


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str = "csv") -> str:
    out = io.StringIO()
    if fmt == EXCEL_CSV:
        write_excel_csv(header, rows, out, bom=False)  # the BOM opens the first piece only
    else:
        write_table(header, rows, out, fmt)
    return out.getvalue()


def stream_csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str = "csv"
) -> Iterator[str]:
    """The CSV (plain, or for Excel in Indonesia) in pieces of :data:`CHUNK_ROWS` rows, each
    rendered by the one renderer (`sikumuh.io.tables`).

    The renderer writes a whole table to a stream; to stream a response each piece is rendered
    as its own table and its header line (always the same text) is cut off.
    """
    head = _csv(header, [], fmt)
    yield ("\ufeff" if fmt == EXCEL_CSV else "") + head
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK_ROWS:
            yield _csv(header, batch, fmt)[len(head) :]
            batch = []
    if batch:
        yield _csv(header, batch, fmt)[len(head) :]


def table_response(
    header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str
) -> HttpResponseBase:
    """A download of the table: CSV streamed as it is read, XLSX built in a temporary file
    (XlsxWriter must finish the workbook before any byte of it can be sent)."""
    if fmt not in FORMATS:
        raise Http404("unknown format")
    name = filename + SUFFIXES[fmt]
    rows = plain_rows(rows)
    if fmt in ("csv", EXCEL_CSV):
        response = StreamingHttpResponse(stream_csv(header, rows, fmt), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if fmt == "xlsx":
        # Not a `with`: FileResponse closes the file once the response has been sent.
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        write_table(header, rows, spool, "xlsx")
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    raise Http404("unknown format")


def export_name(table: str, code: str, filters: RtFilters | None = None) -> str:
    parts = ["sikumuh", table, code]
    if filters is not None:
        parts += [str(v) for v in (filters.tahun, filters.desa, filters.klass) if v]
    return "-".join(parts)


@require_GET
@login_required
def export(request: HttpRequest, code: str, table: str, fmt: str) -> HttpResponseBase:
    """``/wilayah/<code>/ekspor/<table>.<fmt>``; the observations take the RT table's filters
    (``?tahun=&desa=&kelas=``)."""
    # Imported here: the RT data views import this module's renderers.
    from sikumuh.web.views.rtdata.selectors import RtFilters

    region_or_404(request, code)
    if table not in TABLES or fmt not in FORMATS:
        raise Http404("unknown table or format")
    filters = None
    kwargs: dict[str, Any] = {}
    if table == "observations":
        filters = RtFilters.from_query(request.GET, code)
        kwargs = filters.export_filters()
    header, rows = TABLES[table](code, **kwargs)
    return table_response(header, rows, fmt, export_name(table, code, filters))
