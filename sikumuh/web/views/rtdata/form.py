"""The RT entry form: one RT in one year, scored live as the facilitator types, saved through
the audited ``save_observation``; and adding an RT to a location (``create_rt``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sikumuh.accounts.scope import EDIT_ROLES
from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, RULE_SETS, RuleSet, get_rule_set
from sikumuh.regions.codes import NATIONAL, valid_year
from sikumuh.slums.actions import RtExists, create_rt
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.actions import ObservationInvalid, save_observation
from sikumuh.web.scoping import login_required, require_edit, scope_of
from sikumuh.web.views.rtdata import selectors
from sikumuh.web.views.rtdata.entry import Entry, read_entry, score_view, stored_entry

#: Unprocessable: the form came back with problems (nothing was stored).
INVALID = 422


def _form_data(request: HttpRequest, pk: int, tahun: int) -> selectors.RtFormData:
    if valid_year(tahun) is None:
        raise Http404("year outside 2000–2100")
    try:
        return selectors.rt_form_data(pk, tahun, scope_of(request).q("desa__code"))
    except RtUnit.DoesNotExist as exc:
        raise Http404("RT not found") from exc


def _rule_set(data: selectors.RtFormData, posted: str | None = None) -> RuleSet:
    """The stored observation's rule set; a new year is entered under the current one."""
    if posted is not None and posted in RULE_SETS:
        return get_rule_set(posted)
    if data.observation is not None and data.observation.rule_set in RULE_SETS:
        return get_rule_set(data.observation.rule_set)
    return get_rule_set(DEFAULT_RULE_SET_ID)


def _render(
    request: HttpRequest,
    data: selectors.RtFormData,
    tahun: int,
    entry: Entry,
    *,
    status: int = 200,
    save_error: str = "",
) -> HttpResponse:
    rt = data.rt
    editable = scope_of(request).can_edit(rt.desa_id)
    context: dict[str, Any] = {
        "region_code": rt.desa_id,
        "rt": rt,
        "tahun": tahun,
        "data": data,
        "entry": entry,
        "view": score_view(entry),
        "editable": editable,
        "prefilled_from": (
            data.previous.tahun if data.observation is None and data.previous else None
        ),
        "save_error": save_error,
        "other_years": [y for y in data.years if y != tahun],
        "next_year": selectors.next_year_after(data.years),
    }
    return render(request, "web/rtdata/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def rt_form(request: HttpRequest, pk: int, tahun: int) -> HttpResponse:
    data = _form_data(request, pk, tahun)
    if request.method == "GET":
        rule_set = _rule_set(data)
        if data.observation is not None:
            entry = stored_entry(data.observation, rule_set)
        else:
            entry = stored_entry(data.previous, rule_set, header_only=True)
        return _render(request, data, tahun, entry)

    require_edit(request, data.rt.desa_id)
    rule_set = _rule_set(data, request.POST.get("rules"))
    with_percents = bool(data.observation and data.observation.percents)
    entry = read_entry(request.POST, rule_set, with_percents=with_percents)
    if not entry.ok:
        return _render(
            request, data, tahun, entry, status=INVALID, save_error=_("Correct the marked values.")
        )
    try:
        _obs, result = save_observation(
            actor=Actor.of(request.user),
            rt=data.rt,
            tahun=tahun,
            header=entry.header,
            volumes=entry.volumes,
            percents=entry.percents,
            rule_set=rule_set.id,
        )
    except ObservationInvalid:
        return _render(
            request,
            data,
            tahun,
            entry,
            status=INVALID,
            save_error=_("Not saved: every value is needed and none may be wrong."),
        )
    assert result.klass is not None  # save_observation refuses a unit with errors
    messages.success(
        request,
        _("RT %(rt)s, %(tahun)s saved: total %(total)s, %(klass)s.")
        % {"rt": data.rt.rt, "tahun": tahun, "total": result.total, "klass": result.klass.label_id},
    )
    return redirect("web:rt_form", pk=pk, tahun=tahun)


@require_POST
@login_required
def rt_form_score(request: HttpRequest, pk: int, tahun: int) -> HttpResponse:
    """The live score (htmx): every criterion's %, score and issues, the total and class, from
    the values as typed. Nothing is saved, so anyone who may see the RT may ask."""
    data = _form_data(request, pk, tahun)
    rule_set = _rule_set(data, request.POST.get("rules"))
    with_percents = bool(data.observation and data.observation.percents)
    entry = read_entry(request.POST, rule_set, with_percents=with_percents)
    context = {"view": score_view(entry), "oob": True}
    return render(request, "web/rtdata/_score.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def rt_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an RT to a location (editors of the location's desa, or of its kabupaten when the
    location has no desa); then open its form."""
    scope = scope_of(request)
    try:
        location = selectors.location_in_scope(
            pk, scope.q("desa__code") | scope.q("kabupaten__code")
        )
    except Location.DoesNotExist as exc:
        raise Http404("location not found") from exc
    require_edit(request, location.desa_id or location.kabupaten_id)
    choices = selectors.desa_choices(location.kabupaten_id, _edit_filter(request))
    tahun = valid_year(request.POST.get("tahun") or request.GET.get("tahun"))
    tahun = tahun or selectors.next_year_after([])
    label = request.POST.get("rt", "").strip()
    desa_code = request.POST.get("desa") or location.desa_id or ""
    values = {"rt": label, "desa": desa_code, "tahun": tahun}
    error = ""
    if request.method == "POST":
        desa = next((d for d in choices if d.code == desa_code), None)
        if not label:
            error = _("Give the RT's number or name.")
        elif desa is None:
            error = _("Choose a desa/kelurahan you may edit.")
        else:
            try:
                unit = create_rt(
                    actor=Actor.of(request.user), location=location, rt=label, desa=desa
                )
            except RtExists:
                error = _("This location already has RT %(rt)s.") % {"rt": label}
            except ValueError as exc:
                error = str(exc)
            else:
                messages.success(request, _("RT %(rt)s added.") % {"rt": unit.rt})
                return redirect("web:rt_form", pk=unit.pk, tahun=tahun)
    context = {
        "region_code": location.desa_id or location.kabupaten_id,
        "location": location,
        "choices": choices,
        "values": values,
        "error": error,
    }
    return render(request, "web/rtdata/rt_create.html", context, status=INVALID if error else 200)


def _edit_filter(request: HttpRequest) -> Q:
    """A filter on ``Region.code``: the regions where the user may edit."""
    condition = Q(pk__in=[])
    for holder, role in scope_of(request).grants:
        if role in EDIT_ROLES:
            if holder == NATIONAL:
                return Q()
            condition |= Q(code=holder) | Q(code__startswith=holder + ".")
    return condition
