"""Data-collection progress pages: sosialisasi per kecamatan, FGD per desa, their attachments.

Every record is looked up through the reader's scope (a sosialisasi lies in its kecamatan, an
FGD in its desa) and answers 404 outside it; attachments are served by `attachment` after that
check, never from a public media URL, because minutes and photos show people's names and faces.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.audit.versioning import StaleEdit
from sikumuh.fieldwork.actions import (
    FieldworkError,
    create_fgd,
    create_sosialisasi,
    delete_meeting,
    update_meeting,
)
from sikumuh.fieldwork.models import Fgd, Sosialisasi
from sikumuh.fieldwork.selectors import fieldwork_progress
from sikumuh.regions.codes import inside
from sikumuh.regions.models import Level, Region, code_at_level, level_of
from sikumuh.web.audit_rows import history
from sikumuh.web.crumbs import region_crumbs, regions_above
from sikumuh.web.scoping import login_required, region_or_404, require_edit, scope_of
from sikumuh.web.stale import CONFLICT, show_theirs
from sikumuh.web.views.fieldwork_forms import (
    FgdEditForm,
    FgdForm,
    MeetingEditForm,
    MeetingForm,
    SosialisasiForm,
)

KINDS: dict[str, tuple[type[Sosialisasi] | type[Fgd], str]] = {
    "sosialisasi": (Sosialisasi, "kecamatan"),
    "fgd": (Fgd, "desa"),
}


def _choices(
    request: HttpRequest, code: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kecamatan, desa) inside `code` where the reader may record meetings. One query."""
    scope = scope_of(request)
    # Meetings are recorded from a kabupaten page or below: a national or provincial page
    # would list tens of thousands of desa.
    if code == "ID" or level_of(code) < Level.KABUPATEN or not scope.can_view(code):
        return [], []
    regions = Region.objects.filter(
        inside(code, "code"), level__in=(Level.KECAMATAN, Level.DESA)
    ).only("code", "name", "level")
    names: dict[str, str] = {}
    kecamatan: list[tuple[str, str]] = []
    desa: list[tuple[str, str]] = []
    for region in regions:
        names[region.code] = region.name
        if not scope.can_edit(region.code):
            continue
        if region.level == Level.KECAMATAN:
            kecamatan.append((region.code, region.name))
        else:
            parent = names.get(code_at_level(region.code, Level.KECAMATAN) or "")
            label = f"{parent} › {region.name}" if parent else region.name
            desa.append((region.code, label))
    return kecamatan, desa


def _render_progress(
    request: HttpRequest,
    code: str,
    *,
    sosialisasi_form: SosialisasiForm | None = None,
    fgd_form: FgdForm | None = None,
    status: int = 200,
) -> HttpResponse:
    region = region_or_404(request, code)
    kecamatan, desa = _choices(request, code)
    if kecamatan and sosialisasi_form is None:
        sosialisasi_form = SosialisasiForm(choices=kecamatan)
    if desa and fgd_form is None:
        fgd_form = FgdForm(choices=desa)
    context: dict[str, Any] = {
        "region": region,
        "region_code": code,
        "crumbs": region_crumbs(
            request, regions_above(request, code), "web:fieldwork", national=False
        ),
        "progress": fieldwork_progress(code),
        "sosialisasi_form": sosialisasi_form if kecamatan else None,
        "fgd_form": fgd_form if desa else None,
    }
    return render(request, "web/fieldwork/progress.html", context, status=status)


@require_GET
@login_required
def progress(request: HttpRequest, code: str) -> HttpResponse:
    return _render_progress(request, code)


@require_POST
@login_required
def create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    region_or_404(request, code)
    kecamatan, desa = _choices(request, code)
    choices = kecamatan if kind == "sosialisasi" else desa
    if not choices:
        raise PermissionDenied("no region here where this user may record meetings")
    form: SosialisasiForm | FgdForm
    if kind == "sosialisasi":
        form = SosialisasiForm(request.POST, request.FILES, choices=choices)
    else:
        form = FgdForm(request.POST, request.FILES, choices=choices)
    if form.is_valid():
        data = form.cleaned_data
        actor = Actor.of(request.user)
        common = {
            "date": data["date"],
            "place": data["place"],
            "participants": data["participants"],
            "notes": data["notes"],
            "attachment": data["attachment"],
        }
        try:
            if isinstance(form, SosialisasiForm):
                meeting: Sosialisasi | Fgd = create_sosialisasi(
                    actor=actor, kecamatan=Region.objects.get(code=data["kecamatan"]), **common
                )
            else:
                meeting = create_fgd(
                    actor=actor,
                    desa=Region.objects.get(code=data["desa"]),
                    delineation_agreed=data["delineation_agreed"],
                    **common,
                )
        except FieldworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded: %(meeting)s.") % {"meeting": meeting})
            return redirect("web:fieldwork", code=code)
    if isinstance(form, SosialisasiForm):
        return _render_progress(request, code, sosialisasi_form=form, status=400)
    return _render_progress(request, code, fgd_form=form, status=400)


def _meeting_or_404(request: HttpRequest, kind: str, pk: int) -> Sosialisasi | Fgd:
    model, region_field = KINDS[kind]
    meeting = (
        model.objects.filter(scope_of(request).q(f"{region_field}__code"), pk=pk)
        .select_related(region_field)
        .first()
    )
    if meeting is None:
        raise Http404("not found")
    return meeting


def _edit_form(meeting: Sosialisasi | Fgd, data: Any = None, files: Any = None) -> MeetingEditForm:
    initial = {
        "date": meeting.date,
        "place": meeting.place,
        "participants": meeting.participants,
        "notes": meeting.notes,
        "version": meeting.version,
    }
    if isinstance(meeting, Fgd):
        initial["delineation_agreed"] = meeting.delineation_agreed
        return FgdEditForm(data, files, initial=initial)
    return MeetingEditForm(data, files, initial=initial)


def _render_detail(
    request: HttpRequest,
    kind: str,
    meeting: Sosialisasi | Fgd,
    form: MeetingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request)
    code = meeting.region_code
    editable = scope.can_edit(code)
    context = {
        "kind": kind,
        "meeting": meeting,
        "place_region": meeting.kecamatan if isinstance(meeting, Sosialisasi) else meeting.desa,
        "region_code": code,
        "crumbs": region_crumbs(
            request, regions_above(request, code), "web:fieldwork", national=False
        ),
        "form": (form or _edit_form(meeting)) if editable else None,
        "audit_entries": history(meeting, scope=scope),
    }
    return render(request, "web/fieldwork/detail.html", context, status=status)


@require_GET
@login_required
def detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _render_detail(request, kind, _meeting_or_404(request, kind, pk))


@require_POST
@login_required
def update(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, kind, pk)
    require_edit(request, meeting.region_code)
    form = _edit_form(meeting, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in ("date", "place", "participants", "notes")}
        if isinstance(meeting, Fgd):
            values["delineation_agreed"] = data["delineation_agreed"]
        try:
            update_meeting(
                actor=Actor.of(request.user),
                meeting=meeting,
                values=values,
                attachment=data["attachment"],
                remove_attachment=data["remove_attachment"],
                expected_version=form.expected_version(),
            )
        except FieldworkError as exc:
            form.add_error(None, str(exc))
        except StaleEdit as exc:
            show_theirs(form, exc)
            # The record as stored now, not as this person's values left the instance.
            stored = _meeting_or_404(request, kind, pk)
            return _render_detail(request, kind, stored, form=form, status=CONFLICT)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"web:fieldwork_{kind}", pk=meeting.pk)
    return _render_detail(request, kind, meeting, form=form, status=400)


@require_POST
@login_required
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, kind, pk)
    code = meeting.region_code
    require_edit(request, code)
    label = str(meeting)
    delete_meeting(actor=Actor.of(request.user), meeting=meeting)
    messages.success(request, _("Deleted: %(meeting)s.") % {"meeting": label})
    # Back to the widest progress page the reader sees (the kabupaten's, for its Pokja).
    scope = scope_of(request)
    back = next(
        (c for level in range(2, 5) if (c := code_at_level(code, level)) and scope.can_view(c)),
        code,
    )
    return redirect("web:fieldwork", code=back)


@require_GET
@login_required
def attachment(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    if kind not in KINDS:
        raise Http404("not found")
    meeting = _meeting_or_404(request, kind, pk)
    if not meeting.attachment:
        raise Http404("no attachment")
    try:
        handle = meeting.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404("attachment file missing") from exc
    # Always a download, never rendered inline: the file came from a user.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=meeting.attachment_name or meeting.attachment.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
