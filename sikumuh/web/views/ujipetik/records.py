"""The checklist form of a sampled work, findings, follow-ups, re-surveys and their files.

Files (finding photos, closing evidence) are served by `attachment` after the scope check, never
from a public media URL: photos show people and places.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.audit.actions import Actor, json_value
from sikumuh.audit.versioning import NOT_STORED, StaleEdit, stale_edit
from sikumuh.core.criteria import get_rule_set
from sikumuh.inspections.actions.checklists import (
    CHECKLIST_FIELDS,
    FOLLOW_UP_FIELDS,
    add_follow_up,
    close_follow_up,
    record_finding,
    save_checklist,
)
from sikumuh.inspections.actions.resurvey import facilitator_of, reported_observation, save_resurvey
from sikumuh.inspections.identity import identity_of
from sikumuh.inspections.models import Checklist, FollowUp, FollowUpStatus, Resurvey, SampleItem
from sikumuh.web.scoping import login_required, scope_of
from sikumuh.web.stale import CONFLICT, posted_version, show_theirs, stale_message
from sikumuh.web.views.ujipetik.common import (
    finding_or_404,
    follow_up_or_404,
    item_or_404,
    require_inspect,
    uji_petik_or_404,
)
from sikumuh.web.views.ujipetik.forms import (
    ChecklistForm,
    CloseFollowUpForm,
    FindingForm,
    FollowUpForm,
    ResurveyForm,
)
from sikumuh.web.views.ujipetik.pages import render_detail


def _checklist_of(item: SampleItem) -> Checklist | None:
    try:
        return item.checklist
    except Checklist.DoesNotExist:
        return None


def _render_checklist(
    request: HttpRequest,
    item: SampleItem,
    form: ChecklistForm | None = None,
    finding_form: FindingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    checklist = _checklist_of(item)
    editable = _can_inspect(request, item.desa_code)
    if form is None:
        # Decimals as entered ("5", not the stored "5.0000").
        initial: dict[str, Any] = (
            {name: json_value(getattr(checklist, name)) for name in CHECKLIST_FIELDS}
            if checklist
            else {}
        )
        initial["version"] = checklist.version if checklist else NOT_STORED
        form = ChecklistForm(initial=initial)
    context: dict[str, Any] = {
        "item": item,
        "uji_petik": item.uji_petik,
        "region_code": item.desa_code,
        "identity": checklist.identity if checklist else identity_of(item),
        "checklist": checklist,
        "form": form,
        "editable": editable,
        "finding_form": (finding_form or FindingForm(initial={"item": item.pk}))
        if editable
        else None,
        "findings": list(item.findings.prefetch_related("follow_ups").order_by("id")),
        "kabupaten_visible": scope_of(request).can_view(item.uji_petik.kabupaten_id),
    }
    return render(request, "web/ujipetik/checklist.html", context, status=status)


def _can_inspect(request: HttpRequest, code: str) -> bool:
    scope = scope_of(request)
    return scope.can_edit(code) or scope.can_review(code)


@require_http_methods(["GET", "POST"])
@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    if request.method == "GET":
        return _render_checklist(request, item)
    require_inspect(request, item.desa_code)
    form = ChecklistForm(request.POST)
    if not form.is_valid():
        return _render_checklist(request, item, form, status=400)
    values = {name: form.cleaned_data.get(name) for name in CHECKLIST_FIELDS}
    if not values["surveyor"]:
        values["surveyor"] = request.user.get_username()
    try:
        _saved, changed = save_checklist(
            actor=Actor.of(request.user),
            item=item,
            values=values,
            expected_version=form.expected_version(),
        )
    except StaleEdit as exc:
        show_theirs(form, exc)
        return _render_checklist(request, item, form, status=CONFLICT)
    if changed:
        messages.success(request, _("Checklist %(key)s saved.") % {"key": item.key})
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("web:uji_petik_checklist", pk=item.pk)


@require_POST
@login_required
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding of the uji petik `pk`, about one of its items (field `item`) or in general."""
    form = FindingForm(request.POST, request.FILES)
    item_id = request.POST.get("item") or ""
    item: SampleItem | None = None
    if item_id:
        # About one item: looked up in the reader's desa scope (a facilitator records findings
        # on the works of their desa without seeing the whole kabupaten).
        if not item_id.isdigit():
            raise Http404("not found")
        item = item_or_404(request, int(item_id))
        if item.uji_petik_id != pk:
            raise Http404("not found")
        uji_petik = item.uji_petik
    else:
        uji_petik = uji_petik_or_404(request, pk)
    require_inspect(request, item.desa_code if item else uji_petik.kabupaten_id)
    if form.is_valid():
        data = form.cleaned_data
        record_finding(
            actor=Actor.of(request.user),
            uji_petik=uji_petik,
            sample_item=item,
            severity=data["severity"],
            description=data["description"],
            photo=data["photo"],
        )
        messages.success(request, _("Finding recorded."))
        if item is not None:
            return redirect("web:uji_petik_checklist", pk=item.pk)
        return redirect("web:uji_petik_detail", pk=uji_petik.pk)
    if item is not None:
        return _render_checklist(request, item, finding_form=form, status=400)
    return render_detail(
        request, uji_petik, forms={"finding": form, "errors_for": "finding"}, status=400
    )


@require_POST
@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    found = finding_or_404(request, pk)
    require_inspect(request, found.uji_petik.kabupaten_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        add_follow_up(
            actor=Actor.of(request.user),
            finding=found,
            action=data["action"],
            responsible=data["responsible"],
            deadline=data["deadline"],
        )
        messages.success(request, _("Follow-up added."))
    else:
        messages.error(request, _("The follow-up needs an action and a person responsible."))
    return redirect(f"{_detail_url(found.uji_petik_id)}#finding-{found.pk}")


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    item = follow_up_or_404(request, pk)
    require_inspect(request, item.uji_petik.kabupaten_id)
    expected = posted_version(request.POST)
    if expected is not None and expected != item.version:
        # Closed or carried by someone since the page was opened: say who, not just "not open".
        return _stale_close(request, item, stale_edit(item, fields=FOLLOW_UP_FIELDS))
    if item.status != FollowUpStatus.OPEN:
        messages.error(request, _("Only an open follow-up can be closed."))
        return redirect(_detail_url(item.uji_petik_id))
    form = CloseFollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            close_follow_up(
                actor=Actor.of(request.user),
                follow_up=item,
                evidence=form.cleaned_data["evidence"] or "",
                file=form.cleaned_data["file"],
                expected_version=expected,
            )
        except StaleEdit as exc:
            return _stale_close(request, item, exc)
        messages.success(request, _("Follow-up closed."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors)
            or _("The evidence file is not valid."),
        )
    return redirect(_detail_url(item.uji_petik_id))


def _stale_close(request: HttpRequest, item: FollowUp, exc: StaleEdit) -> HttpResponse:
    """The uji petik page again (409): its row shows the follow-up as it is now."""
    messages.error(request, stale_message(exc))
    return render_detail(request, item.uji_petik, status=CONFLICT)


def _detail_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("web:uji_petik_detail", kwargs={"pk": pk})


@require_http_methods(["GET", "POST"])
@login_required
def resurvey(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    observation = reported_observation(item)
    if observation is None:
        raise Http404("no RT data to compare with")
    rules = get_rule_set(observation.rule_set)
    criteria = [(c.code, f"{c.code} {c.name} ({c.unit})") for c in rules.criteria]
    try:
        stored: Resurvey | None = item.resurvey
    except Resurvey.DoesNotExist:
        stored = None
    editable = _can_inspect(request, item.desa_code)
    if request.method == "POST":
        require_inspect(request, item.desa_code)
        form = ResurveyForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                _save_resurvey(request, item, form)
            except StaleEdit as exc:
                show_theirs(form, exc, current=_resurvey_fields(exc.current, form))
                status = CONFLICT
            else:
                messages.success(request, _("Re-survey saved."))
                return redirect("web:uji_petik_resurvey", pk=item.pk)
        else:
            status = 400
    else:
        initial: dict[str, Any] = {
            "facilitator": stored.facilitator if stored else facilitator_of(observation),
            "measured_by": stored.measured_by if stored else request.user.get_username(),
            "measured_on": stored.measured_on if stored else timezone.localdate(),
            "notes": stored.notes if stored else "",
            "version": stored.version if stored else NOT_STORED,
        }
        for code, value in (stored.volumes_found if stored else {}).items():
            initial[f"v_{code}"] = value
        form = ResurveyForm(initial=initial, criteria=criteria)
        status = 200
    rows = [
        (code, label, observation.volumes.get(code), form[f"v_{code}"]) for code, label in criteria
    ]
    context = {
        "item": item,
        "uji_petik": item.uji_petik,
        "region_code": item.desa_code,
        "observation": observation,
        "form": form,
        "rows": rows,
        "editable": editable,
        "stored": stored,
    }
    return render(request, "web/ujipetik/resurvey.html", context, status=status)


def _save_resurvey(request: HttpRequest, item: SampleItem, form: ResurveyForm) -> None:
    data = form.cleaned_data
    save_resurvey(
        actor=Actor.of(request.user),
        item=item,
        volumes_found=form.volumes(),
        facilitator=data["facilitator"],
        measured_by=data["measured_by"],
        measured_on=data["measured_on"],
        notes=data["notes"],
        expected_version=form.expected_version(),
    )


def _resurvey_fields(current: dict[str, Any], form: ResurveyForm) -> dict[str, Any]:
    """A stored re-survey's values under the form's field names (a volume per criterion, None
    where it was not measured)."""
    fields = {name: value for name, value in current.items() if name != "volumes_found"}
    found = current.get("volumes_found") or {}
    return fields | {f"v_{code}": found.get(code) for code, _label in form.criteria}


@require_GET
@login_required
def attachment(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """A finding's photo or a follow-up's closing evidence, after the scope check."""
    if kind == "temuan":
        stored = finding_or_404(request, pk).photo
    elif kind == "bukti":
        stored = follow_up_or_404(request, pk).closing_file
    else:
        raise Http404("not found")
    if not stored:
        raise Http404("no file")
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:  # the record outlived its file (a restored DB, a lost disk)
        raise Http404("file missing") from exc
    name = stored.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
