"""The registry's write pages, for the kabupaten's administrators: register an SK, register the
new version of one (starting from its entries), correct an SK's particulars. Every write goes
through an audited action of ``sikumuh.slums.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sikumuh.audit.actions import Actor
from sikumuh.audit.versioning import StaleEdit
from sikumuh.regions.models import Region
from sikumuh.slums.actions import (
    DecreeError,
    create_decree,
    new_decree_version,
    update_decree,
)
from sikumuh.slums.models import Location, SkDecree
from sikumuh.web.scoping import login_required, region_or_404
from sikumuh.web.stale import CONFLICT, show_theirs
from sikumuh.web.views.sk.access import decree_or_404, kabupaten_of, require_sk_admin
from sikumuh.web.views.sk.forms import DecreeEntriesForm, DecreeForm


def _locations(kabupaten: str) -> list[Location]:
    """Every location of the kabupaten, for the entry table (one query, polygons left out)."""
    return list(
        Location.objects.filter(kabupaten_id=kabupaten)
        .select_related("desa__parent")
        .defer("polygon")
        .order_by("code")
    )


def _kabupaten_region(region: Region | None, kabupaten: str) -> Region:
    if region is not None and region.code == kabupaten:
        return region
    return Region.objects.get(code=kabupaten)


def _particulars(form: DecreeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "number": data["number"],
        "year": data["year"],
        "date": data["date"],
        "title": data["title"],
        "note": data["note"],
    }


@require_http_methods(["GET", "POST"])
@login_required
def sk_create(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    kabupaten = kabupaten_of(code)
    if kabupaten is None:
        raise Http404("an SK belongs to a kabupaten/kota")
    require_sk_admin(request, kabupaten)
    form = DecreeEntriesForm(
        request.POST or None, kabupaten_code=kabupaten, locations=_locations(kabupaten)
    )
    if request.method == "POST" and form.is_valid():
        try:
            decree = create_decree(
                actor=Actor.of(request.user),
                kabupaten=_kabupaten_region(region, kabupaten),
                entries=form.cleaned_data["entries"],
                **_particulars(form),
            )
        except DecreeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("SK %(number)s registered.") % {"number": decree.number})
            return redirect("web:sk_detail", pk=decree.pk)
    return render(
        request,
        "web/sk/form.html",
        {"form": form, "region_code": code, "previous": None, "kabupaten_code": kabupaten},
    )


@require_http_methods(["GET", "POST"])
@login_required
def sk_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    previous = decree_or_404(request, pk)
    require_sk_admin(request, previous.kabupaten_id)
    successor = SkDecree.objects.filter(supersedes=previous).first()
    if successor is not None:
        messages.error(
            request,
            _("This SK is already superseded by SK %(number)s: start from the newest version.")
            % {"number": successor.number},
        )
        return redirect("web:sk_detail", pk=successor.pk)
    form = DecreeEntriesForm(
        request.POST or None,
        kabupaten_code=previous.kabupaten_id,
        locations=_locations(previous.kabupaten_id),
        previous_ha={e.location_id: e.luas_ha for e in previous.entries.all()},
        initial={"title": previous.title, "version": previous.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            decree = new_decree_version(
                actor=Actor.of(request.user),
                previous=previous,
                entries=form.cleaned_data["entries"],
                expected_version=form.expected_version(),
                **_particulars(form),
            )
        except DecreeError as exc:
            form.add_error(None, str(exc))
        except StaleEdit as exc:
            # The previous SK's particulars changed: its new values beside nothing of this
            # form (a new SK has its own particulars), so the message alone says it.
            show_theirs(form, exc, current={})
            status = CONFLICT
        else:
            messages.success(
                request,
                _("SK %(number)s registered as the new version of SK %(previous)s.")
                % {"number": decree.number, "previous": previous.number},
            )
            return redirect("web:sk_detail", pk=decree.pk)
    return render(
        request,
        "web/sk/form.html",
        {
            "form": form,
            "region_code": previous.kabupaten_id,
            "previous": previous,
            "kabupaten_code": previous.kabupaten_id,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decree = decree_or_404(request, pk)
    require_sk_admin(request, decree.kabupaten_id)
    form = DecreeForm(
        request.POST or None,
        kabupaten_code=decree.kabupaten_id,
        exclude_pk=decree.pk,
        initial={
            "number": decree.number,
            "date": decree.date,
            "year": decree.year,
            "title": decree.title,
            "note": decree.note,
            "version": decree.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            update_decree(
                actor=Actor.of(request.user),
                decree=decree,
                expected_version=form.expected_version(),
                **_particulars(form),
            )
        except DecreeError as exc:
            form.add_error(None, str(exc))
        except StaleEdit as exc:
            show_theirs(form, exc)
            status = CONFLICT
        else:
            messages.success(request, _("SK particulars saved."))
            return redirect("web:sk_detail", pk=decree.pk)
    return render(
        request,
        "web/sk/edit.html",
        {"form": form, "decree": decree, "region_code": decree.kabupaten_id},
        status=status,
    )
