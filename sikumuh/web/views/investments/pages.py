"""The Investasi pages: the list of a region (or of one location or RT, `?lokasi=`/`?rt=`) with
its filters, totals and downloads; adding, changing and deleting one investment.

Scope: the list reads what the user may see; an investment is found (else 404) when its RT's
desa (else its location's) is in the user's scope, and changed only by a role that may edit
there (else 403); a facilitator is offered, and may post, only the locations and RTs of their
own desa; a list narrowed (`?lokasi=`/`?rt=`) to a place outside its region is 404. A locked
year is refused with the lock's wording.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.audit.versioning import StaleEdit
from sikumuh.core.criteria import RULE_SETS
from sikumuh.investments import selectors
from sikumuh.investments.checks import criterion_problem, rule_set_of_rt, rule_sets_in
from sikumuh.investments.edits import create_investment, delete_investment, update_investment
from sikumuh.investments.models import FundingSource, Investment, InvestmentStatus
from sikumuh.io import exporters
from sikumuh.io.tables import FORMATS
from sikumuh.regions.codes import inside
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.review import YearLocked
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.stale import CONFLICT, show_theirs
from sikumuh.web.tables import Column, TableQuery, TableSpec, region_choices
from sikumuh.web.views.exports import table_response
from sikumuh.web.views.investments.forms import InvestmentForm

PAGE_SIZE = 100


def region_of(inv: Investment) -> str:
    if inv.rt is not None:
        return inv.rt.desa_id
    return inv.location.desa_id or inv.location.kabupaten_id


def _investment_or_404(request: HttpRequest, pk: int, *, edit: bool = False) -> Investment:
    inv = Investment.objects.select_related("location", "rt").filter(pk=pk).first()
    scope = scope_of(request)
    if inv is None or not scope.can_view(region_of(inv)):
        raise Http404("investment not found")
    if edit and not scope.can_edit(region_of(inv)):
        raise PermissionDenied("read-only role")
    return inv


#: The investment list (sikumuh.web.tables): newest year first, as before the helper.
INVESTMENT_TABLE = TableSpec(
    columns=(
        Column("tahun", ("tahun", "location__code", "rt__rt", "criterion")),
        Column("lokasi", ("location__code", "rt__rt", "tahun")),
        Column("kriteria", ("criterion", "tahun")),
        Column("kegiatan", ("activity",)),
        Column("volume", ("volume",)),
        Column("biaya", ("cost",)),
        Column("sumber", ("funding_source", "tahun")),
        Column("status", ("status", "tahun")),
    ),
    default_sort="-tahun",
    search=("activity", "location__code", "location__name", "note", "rt__rt"),
    region_field="location__desa_id",
    tie_break=("id",),
    per_page=PAGE_SIZE,
)


@require_GET
@login_required
def investment_list(request: HttpRequest, code: str) -> HttpResponseBase:
    """``/wilayah/<code>/investasi/``; ``?format=csv|xlsx`` downloads the filtered list."""
    region = region_or_404(request, code)
    filters = selectors.Filters.from_query(request.GET)
    place = _place(filters, code)
    tq = TableQuery.from_query(request.GET, INVESTMENT_TABLE, code)
    fmt = request.GET.get("format")
    if fmt is not None:
        if fmt not in FORMATS:
            raise Http404("unknown format")
        # The download holds the rows the page lists: its filters, search and region.
        where = selectors.in_region(code) & filters.q() & tq.condition()
        header, table = exporters.investments(code, where=where)
        return table_response(header, table, fmt, f"sikumuh-investasi-{code}")
    rows = tq.filter(selectors.investments(code, filters))
    page = tq.paginate(tq.order(rows))
    totals = selectors.totals(rows)
    context = {
        "region": region,
        "region_code": code,
        "filters": filters,
        "page": page,
        "totals": totals,
        "grand_totals": selectors.grand_totals(totals),
        "years": selectors.years(code),
        "criteria": sorted(selectors.CRITERION_NAMES.items()),
        "sources": FundingSource.choices,
        "statuses": InvestmentStatus.choices,
        "can_edit": scope_of(request).can_edit(code),
        "place": place,
        "place_label": _place_label(place),
        "tq": tq,
        "choices": region_choices(
            Location.objects.filter(exporters.location_in_region(code)).values("desa_id")
        ),
        # The page's links keep the filters and the table's search, order and region.
        "table_query": "&".join(q for q in (filters.query_string(), urlencode(tq.params())) if q),
    }
    return render(request, "web/investments/list.html", context)


def _place(filters: selectors.Filters, code: str) -> Location | RtUnit | None:
    """The location or RT the list is narrowed to, for the heading; 404 when it is not in
    region `code` (whose scope the view has checked), so that no other region's name shows."""
    found: Location | RtUnit | None = None
    if filters.rt is not None:
        rts = RtUnit.objects.select_related("location").filter(inside(code, "desa__code"))
        found = rts.filter(pk=filters.rt).first()
    elif filters.lokasi is not None:
        locations = Location.objects.filter(exporters.location_in_region(code))
        found = locations.filter(pk=filters.lokasi).first()
    else:
        return None
    if found is None:
        raise Http404("no such location or RT in this region")
    return found


def _place_label(place: Location | RtUnit | None) -> str:
    """The place as people know it (as the add form offers it): ``L-01 Name · RT 004``."""
    if isinstance(place, RtUnit):
        return f"{place.location.code} {place.location.name} · RT {place.rt}"
    return "" if place is None else f"{place.code} {place.name}"


def _places(code: str, scope: Scope) -> list[tuple[str, str]]:
    """The locations and RTs of region `code` the user may add to: ``L<pk>`` or ``R<pk>``."""
    choices: list[tuple[str, str]] = []
    locations = Location.objects.filter(exporters.location_in_region(code)).order_by("code")
    for loc in locations.prefetch_related("rts"):
        if scope.can_edit(loc.desa_id or loc.kabupaten_id):
            choices.append((f"L{loc.pk}", f"{loc.code} {loc.name} ({_('whole location')})"))
        choices.extend(
            (f"R{rt.pk}", f"{loc.code} {loc.name} · RT {rt.rt}")
            for rt in loc.rts.all()
            if scope.can_edit(rt.desa_id)
        )
    return choices


def _resolve(place: str) -> tuple[Location, RtUnit | None]:
    kind, pk = place[0], int(place[1:])
    if kind == "R":
        rt = RtUnit.objects.select_related("location").get(pk=pk)
        return rt.location, rt
    return Location.objects.get(pk=pk), None


@require_http_methods(["GET", "POST"])
@login_required
def investment_create(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    require_edit(request, code)
    places = _places(code, scope_of(request))
    initial = {"place": request.GET.get("tempat", ""), "status": InvestmentStatus.REALISASI}
    form = InvestmentForm(
        request.POST or None, places=places, rule_sets=rule_sets_in(code), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        location, rt = _resolve(form.cleaned_data["place"])
        # The criteria offered are the region's; the one chosen must be its place's (the
        # import's rule, `investments.checks.rule_set_of`).
        refused = criterion_problem(rule_set_of_rt(rt), form.cleaned_data["criterion"])
        if refused is not None:
            form.add_error("criterion", refused)
        else:
            try:
                inv = create_investment(
                    actor=Actor.of(request.user), location=location, rt=rt, values=form.values()
                )
            except YearLocked as exc:
                form.add_error("tahun", str(exc))
            else:
                messages.success(request, _("Investment saved."))
                return redirect(_list_url(code, inv))
    status = 422 if request.method == "POST" else 200
    context = {"region": region, "region_code": code, "form": form, "investment": None}
    return render(request, "web/investments/form.html", context, status=status)


def _list_url(code: str, inv: Investment) -> str:
    from django.urls import reverse

    return f"{reverse('web:investments', kwargs={'code': code})}?lokasi={inv.location_id}"


@require_http_methods(["GET", "POST"])
@login_required
def investment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inv = _investment_or_404(request, pk, edit=True)
    code = region_of(inv)
    initial = {name: getattr(inv, name) for name in InvestmentForm.base_fields if name != "place"}
    rules = [rule_set_of_rt(inv.rt)]
    if inv.criterion not in rules[0].codes:  # stored under other data: still shown as it is
        rules += [r for r in RULE_SETS.values() if inv.criterion in r.codes][:1]
    form = InvestmentForm(request.POST or None, places=None, rule_sets=rules, initial=initial)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_investment(
                actor=Actor.of(request.user),
                investment=inv,
                values=form.values(),
                expected_version=form.expected_version(),
            )
        except YearLocked as exc:
            form.add_error("tahun", str(exc))
        except StaleEdit as exc:
            show_theirs(form, exc)
            status = CONFLICT
        else:
            messages.success(request, _("Investment saved.") if changed else _("Nothing changed."))
            return redirect(_list_url(code, inv))
    context: dict[str, Any] = {"region_code": code, "form": form, "investment": inv}
    return render(request, "web/investments/form.html", context, status=status)


@require_POST
@login_required
def investment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    inv = _investment_or_404(request, pk, edit=True)
    code = region_of(inv)
    reason = request.POST.get("reason", "").strip()[:500]
    if not reason:
        return HttpResponse(_("A reason is required to delete an investment."), status=400)
    try:
        delete_investment(actor=Actor.of(request.user), investment=inv, reason=reason)
    except YearLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Investment deleted."))
    return redirect(_list_url(code, inv))
