"""The registry's read pages: the list of decrees, one decree, two versions compared, and the
draft list of locations that may leave the SK. Each answers ``?format=csv|xlsx`` with its table."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sikumuh.regions.codes import valid_year
from sikumuh.slums import selectors
from sikumuh.slums.sk_in_force import this_year
from sikumuh.surveys import sk_entries
from sikumuh.web.audit_rows import history
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.tables import Column, TableQuery, TableSpec, choices_from
from sikumuh.web.views.sk import exports
from sikumuh.web.views.sk.access import (
    decree_or_404,
    kabupaten_of,
    nav_region,
    sees_whole_decree,
    visible_entries,
)
from sikumuh.web.views.sk.labels import (
    AUTHORITY_LABELS,
    CHANGE_LABELS,
    SERVICE_LABELS,
    SERVICES,
)

#: The decree's own audit entries (creation, versions, corrections), newest first.
AUDIT_LIMIT = 50


#: The SK list: few rows (every version of the kabupaten's SK), searched and sorted in memory.
DECREE_TABLE = TableSpec(
    columns=(
        Column("tanggal", ("decree__date", "decree__number")),
        Column("nomor", ("decree__number",)),
        Column("judul", ("decree__title",)),
        Column("lokasi", ("locations",)),
        Column("luas", ("total_ha",)),
    ),
    default_sort="-tanggal",
    search=("decree__number", "decree__title", "decree__kabupaten__name"),
    tie_break=(),
    presorted=True,  # per kabupaten, newest first
)
#: The locations of one SK.
ENTRY_TABLE = TableSpec(
    columns=(
        Column("kode", ("code",)),
        Column("lokasi", ("name",)),
        Column("desa", ("desa_name",)),
        Column("kecamatan", ("kecamatan_name", "desa_name")),
        Column("luas", ("luas_ha",)),
    ),
    default_sort="kode",
    search=("code", "name", "desa_name", "kecamatan_name"),
    region_field="desa_code",
    tie_break=(),
    presorted=True,
)
#: The differences of two versions, one table: added, removed, then changed, each by code.
DIFF_TABLE = TableSpec(
    columns=(
        Column("perubahan", ("kind_order", "row__code")),
        Column("kode", ("row__code",)),
        Column("lokasi", ("row__name",)),
        Column("desa", ("row__desa_name",)),
        Column("kecamatan", ("row__kecamatan_name", "row__desa_name")),
        Column("sebelum", ("ha_before",)),
        Column("sesudah", ("ha_after",)),
        Column("selisih", ("change",)),
    ),
    default_sort="perubahan",
    search=("row__code", "row__name", "row__desa_name", "row__kecamatan_name"),
    region_field="row__desa_code",
    tie_break=(),
    presorted=True,  # the selector lists them in that order
)


@require_GET
@login_required
def sk_list(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    rows = selectors.decree_list(code)
    fmt = exports.wanted_format(request)
    if fmt:
        return exports.table_response(fmt, f"sk-kumuh-{code}", exports.decree_list_table(rows))
    kabupaten = kabupaten_of(code)
    tq = TableQuery.from_query(request.GET, DECREE_TABLE, code)
    return render(
        request,
        "web/sk/list.html",
        {
            "region": region,
            "region_code": code,
            "rows": tq.apply_rows(rows),
            "tq": tq,
            "kabupaten": kabupaten,
            "whole_kabupaten": kabupaten == code,
            "can_create": bool(kabupaten and scope_of(request).can_admin(kabupaten)),
        },
    )


@require_GET
@login_required
def sk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decree = decree_or_404(request, pk)
    rows = sk_entries.decree_entries(decree, visible_entries(request, decree.kabupaten_id))
    fmt = exports.wanted_format(request)
    if fmt:
        name = f"sk-{decree.kabupaten_id}-{decree.number}"
        return exports.table_response(fmt, name, exports.entries_table(rows))
    whole = sees_whole_decree(request, decree)
    chain = selectors.version_chain(decree)
    tq = TableQuery.from_query(request.GET, ENTRY_TABLE, decree.kabupaten_id)
    shown = tq.paginate(tq.apply_rows(rows))
    return render(
        request,
        "web/sk/detail.html",
        {
            "decree": decree,
            "region_code": nav_region(request, decree.kabupaten_id),
            "rows": rows,
            "shown": [(row, AUTHORITY_LABELS[row.authority]) for row in shown.object_list],
            "page": shown,
            "tq": tq,
            "choices": choices_from((r.desa_code, r.desa_name, r.kecamatan_name) for r in rows),
            "kecamatan_totals": sk_entries.kecamatan_totals(rows),
            "total_ha": sk_entries.total_ha(rows),
            "removable": sum(1 for row in rows if row.removable),
            "class_differences": [row for row in rows if row.class_differs],
            "chain": chain,
            "newest": chain[-1],
            "whole": whole,
            "can_admin": scope_of(request).can_admin(decree.kabupaten_id),
            # Its audit history (the shared panel), for those who see the whole decree: the
            # entries carry its totals.
            "audit_entries": (
                history(decree, scope=scope_of(request), limit=AUDIT_LIMIT) if whole else None
            ),
        },
    )


@require_GET
@login_required
def sk_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    first = decree_or_404(request, pk)
    second = decree_or_404(request, other)
    if first.kabupaten_id != second.kabupaten_id:
        # Only versions of one kabupaten's SK are compared.
        raise Http404("not versions of one SK")
    diff = sk_entries.decree_diff(first, second, visible_entries(request, first.kabupaten_id))
    fmt = exports.wanted_format(request)
    if fmt:
        name = f"sk-{diff.before.number}-{diff.after.number}"
        return exports.table_response(fmt, name, exports.diff_table(diff))
    differences = [*diff.added, *diff.removed, *diff.changed]
    # The kind of change is this table's own filter (beside the shared controls).
    kind = request.GET.get("perubahan", "")
    kind = kind if kind in CHANGE_LABELS else ""
    tq = TableQuery.from_query(request.GET, DIFF_TABLE, first.kabupaten_id)
    shown = tq.paginate(tq.apply_rows(d for d in differences if not kind or d.kind == kind))
    return render(
        request,
        "web/sk/diff.html",
        {
            "diff": diff,
            "region_code": nav_region(request, first.kabupaten_id),
            "whole": sees_whole_decree(request, first),
            "chain": selectors.version_chain(diff.after),
            "tq": tq,
            "page": shown,
            "shown": [(d, CHANGE_LABELS[d.kind]) for d in shown.object_list],
            "kind": kind,
            "choices": choices_from(
                (d.row.desa_code, d.row.desa_name, d.row.kecamatan_name) for d in differences
            ),
        },
    )


@require_GET
@login_required
def sk_removal(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    if kabupaten_of(code) is None:
        # An SK is a kabupaten's: the draft exists for a kabupaten and the regions inside it.
        raise Http404("choose a kabupaten/kota")
    # The draft compares with the SK in force in the year asked for (default: this year).
    tahun = valid_year(request.GET["tahun"]) if "tahun" in request.GET else None
    if tahun is None:
        tahun = this_year()
    draft = sk_entries.removal_draft(code, tahun)
    fmt = exports.wanted_format(request)
    if fmt:
        if draft is None:
            raise Http404("no SK")
        name = f"hapus-status-kumuh-{code}-{draft.decree.number}"
        return exports.table_response(fmt, name, exports.removal_table(draft))
    rows = []
    if draft is not None:
        for row in draft.rows:
            assert row.status is not None
            coverage = row.status.removal.coverage
            rows.append((row, [coverage[s] for s in SERVICES]))
    return render(
        request,
        "web/sk/removal.html",
        {
            "region": region,
            "region_code": code,
            "draft": draft,
            "rows": rows,
            "services": [SERVICE_LABELS[s] for s in SERVICES],
            "tahun": tahun,
        },
    )
