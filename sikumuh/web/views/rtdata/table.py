"""The region's RTs: the year's (or latest) total and class per RT, filters, pages, exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sikumuh.core.criteria import SlumClass
from sikumuh.io.exporters import observations_of
from sikumuh.io.tables import FORMATS
from sikumuh.regions.models import Level
from sikumuh.surveys.review_selectors import open_returns
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.tables import TableQuery
from sikumuh.web.views.exports import export_name, table_response
from sikumuh.web.views.rtdata import selectors


@require_GET
@login_required
def rt_data(request: HttpRequest, code: str) -> HttpResponseBase:
    """``/wilayah/<code>/data-rt/``; ``?format=csv|xlsx`` downloads the RT data the table
    shows, every page of it (`selectors.shown_observations`: the same search and filters)."""
    region = region_or_404(request, code)
    filters = selectors.RtFilters.from_query(request.GET, code)
    tq = TableQuery.from_query(request.GET, selectors.RT_TABLE, code)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        # A kecamatan chosen without a desa: the file is named after that kecamatan.
        where = tq.kecamatan if tq.kecamatan and not filters.desa else code
        header, rows = observations_of(selectors.shown_observations(code, filters, tq))
        return table_response(header, rows, fmt, export_name("observations", where, filters))
    table = selectors.rt_table(code, filters, table=tq)
    query = {**filters.query(), **tq.params()}
    export_query = {fmt: urlencode({**query, "format": fmt}) for fmt in FORMATS}
    context = {
        "region_code": code,
        "region": region,
        "table": table,
        "filters": filters,
        "export_query": export_query,
        "classes": list(SlumClass),
        "no_class": selectors.NO_CLASS,
        "can_edit_region": scope_of(request).can_edit(code),
        "return_notes": _return_notes(region, code, filters),
    }
    return render(request, "web/rtdata/table.html", context)


def _return_notes(region: Any, code: str, filters: selectors.RtFilters) -> list[Any]:
    """The reviewers' return notes waiting in the desa shown (the region itself or the desa
    filter), so the facilitator reads them where the work is done; none on wider lists."""
    desa = filters.desa or (code if region is not None and region.level == Level.DESA else None)
    return open_returns(desa, tahun=filters.tahun) if desa else []
