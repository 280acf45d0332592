"""The RT entry form: one RT in one year, scored live as the facilitator types, saved through
the audited ``save_observation``; and adding an RT to a location (``create_rt``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sikumuh.accounts.scope import EDIT_ROLES
from sikumuh.audit.actions import Actor
from sikumuh.audit.versioning import NOT_STORED, StaleEdit
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, RULE_SETS, RuleSet, get_rule_set
from sikumuh.regions.codes import NATIONAL, valid_year
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.actions import RtExists, create_rt
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys import review
from sikumuh.surveys.actions import ObservationInvalid, save_observation
from sikumuh.surveys.models import ReviewEvent, YearLock
from sikumuh.surveys.review_selectors import open_returns
from sikumuh.surveys.submission_selectors import submission_media
from sikumuh.web.scoping import login_required, require_edit, scope_of
from sikumuh.web.stale import CONFLICT, posted_version, stale_message
from sikumuh.web.views.rtdata import selectors
from sikumuh.web.views.rtdata.entry import (
    Entry,
    differences,
    read_entry,
    score_view,
    stored_entry,
    with_theirs,
)

#: Unprocessable: the form came back with problems (nothing was stored).
INVALID = 422
#: Conflict: the year is locked, so nothing may be stored whatever the values.
LOCKED = CONFLICT
#: The checkbox that confirms a change taking approved data back to review.
CONFIRM_FIELD = "confirm_review"


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


@dataclass(frozen=True)
class ReviewState:
    """Where the RT-year stands in the review, as the form tells it: the lock that makes it
    read-only, whether a save by this user takes approved data back to review, and the
    reviewer's return note waiting for the facilitator."""

    lock: YearLock | None
    returns_to_review: bool
    return_note: ReviewEvent | None

    @property
    def lock_text(self) -> str:
        return review.lock_text(self.lock) if self.lock else ""


def _review_state(request: HttpRequest, data: selectors.RtFormData, tahun: int) -> ReviewState:
    rt, stored = data.rt, data.observation
    lock = review.active_lock(code_at_level(rt.desa_id, Level.KABUPATEN) or "", tahun)
    status = stored.status if stored else None
    # The note stays until the desa-year is submitted again, also on RTs already corrected
    # (drafts again): the Pokja returned the desa's year, not one RT.
    note = next(iter(open_returns(rt.desa_id, tahun=tahun)), None)
    return ReviewState(
        lock=lock,
        returns_to_review=review.returns_to_review(Actor.of(request.user), rt.desa_id, status),
        return_note=note,
    )


def _render(
    request: HttpRequest,
    data: selectors.RtFormData,
    tahun: int,
    entry: Entry,
    *,
    status: int = 200,
    save_error: str = "",
    version: int | None = None,
    theirs: dict[str, str] | None = None,
) -> HttpResponse:
    """The form; `version` is the one it saves against (default: the stored row's), `theirs`
    someone else's values after a stale save."""
    rt = data.rt
    state = _review_state(request, data, tahun)
    if version is None:
        version = data.observation.version if data.observation else NOT_STORED
    may_edit = scope_of(request).can_edit(rt.desa_id)
    context: dict[str, Any] = {
        "region_code": rt.desa_id,
        "rt": rt,
        "tahun": tahun,
        "data": data,
        "media": submission_media(data.observation),
        "entry": entry,
        "view": with_theirs(score_view(entry), theirs or {}),
        "version": version,
        "editable": may_edit and state.lock is None,
        "may_edit": may_edit,
        "review": state,
        "confirm_field": CONFIRM_FIELD,
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
    expected = posted_version(request.POST)
    refused = _refusal(request, data, tahun, entry, expected)
    if refused is not None:
        return refused
    try:
        _obs, result = save_observation(
            actor=Actor.of(request.user),
            rt=data.rt,
            tahun=tahun,
            header=entry.header,
            volumes=entry.volumes,
            percents=entry.percents,
            rule_set=rule_set.id,
            expected_version=expected,
        )
    except StaleEdit as exc:
        theirs = differences(entry, stored_entry(exc.obj, rule_set))
        return _render(
            request,
            data,
            tahun,
            entry,
            status=CONFLICT,
            save_error=stale_message(exc),
            version=exc.version,
            theirs=theirs,
        )
    except review.YearLocked as exc:  # locked between the check above and the save
        return _render(
            request, data, tahun, entry, status=LOCKED, save_error=str(exc), version=expected
        )
    except ObservationInvalid:
        return _render(
            request,
            data,
            tahun,
            entry,
            status=INVALID,
            save_error=_("Not saved: every value is needed and none may be wrong."),
            version=expected,
        )
    assert result.klass is not None  # save_observation refuses a unit with errors
    messages.success(
        request,
        _("RT %(rt)s, %(tahun)s saved: total %(total)s, %(klass)s.")
        % {"rt": data.rt.rt, "tahun": tahun, "total": result.total, "klass": result.klass.label_id},
    )
    return redirect("web:rt_form", pk=pk, tahun=tahun)


def _refusal(
    request: HttpRequest,
    data: selectors.RtFormData,
    tahun: int,
    entry: Entry,
    version: int | None,
) -> HttpResponse | None:
    """The form again (still saving against the version it was opened on), saying why nothing
    was stored: a locked year, a change to approved data not confirmed, values with problems.
    None when the save may go ahead."""
    state = _review_state(request, data, tahun)
    if state.lock is not None:
        message = _("Not saved: %(reason)s") % {"reason": state.lock_text}
        return _render(
            request, data, tahun, entry, status=LOCKED, save_error=message, version=version
        )
    if state.returns_to_review and request.POST.get(CONFIRM_FIELD) != "on":
        message = _(
            "Not saved: these data are approved. Tick the confirmation to send them back to"
            " review with your change."
        )
        return _render(
            request, data, tahun, entry, status=INVALID, save_error=message, version=version
        )
    if not entry.ok:
        message = _("Correct the marked values.")
        return _render(
            request, data, tahun, entry, status=INVALID, save_error=message, version=version
        )
    return None


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
