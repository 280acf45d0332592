"""Lookups and permissions shared by the uji petik views.

An uji petik belongs to its kabupaten/kota; a sampled item lies in its desa (so that the
facilitator of a desa can fill the checklists there). Every lookup is scoped and answers 404
outside the reader's regions. Filling a checklist or recording a finding is fieldwork: the
editors (facilitators) and the reviewers (Pokja) may do it, a viewer may not. Drawing a sample
belongs to the Pokja (review role): the facilitators whose work is checked do not choose it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from sikumuh.inspections.models import Finding, FollowUp, SampleItem, UjiPetik
from sikumuh.web.scoping import scope_of


def require_inspect(request: HttpRequest, code: str) -> None:
    """404 outside the scope; 403 inside it for a role that may neither edit nor review."""
    scope = scope_of(request)
    if not scope.can_view(code):
        raise Http404("not found")
    if not (scope.can_edit(code) or scope.can_review(code)):
        raise PermissionDenied("read-only role")


def uji_petik_or_404(request: HttpRequest, pk: int) -> UjiPetik:
    found = (
        UjiPetik.objects.filter(scope_of(request).q("kabupaten__code"), pk=pk)
        .select_related("kabupaten")
        .first()
    )
    if found is None:
        raise Http404("not found")
    return found


def item_or_404(request: HttpRequest, pk: int) -> SampleItem:
    found = (
        SampleItem.objects.filter(scope_of(request).q("desa_code"), pk=pk)
        .select_related("uji_petik__kabupaten", "investment__location", "rt__location")
        .first()
    )
    if found is None:
        raise Http404("not found")
    return found


def finding_or_404(request: HttpRequest, pk: int) -> Finding:
    """A finding the reader sees: in their kabupaten, or about an item in their desa."""
    scope = scope_of(request)
    found = (
        Finding.objects.filter(
            scope.q("uji_petik__kabupaten__code") | scope.q("sample_item__desa_code"), pk=pk
        )
        .select_related("uji_petik", "sample_item")
        .first()
    )
    if found is None:
        raise Http404("not found")
    return found


def follow_up_or_404(request: HttpRequest, pk: int) -> FollowUp:
    found = (
        FollowUp.objects.filter(scope_of(request).q("uji_petik__kabupaten__code"), pk=pk)
        .select_related("uji_petik", "finding")
        .first()
    )
    if found is None:
        raise Http404("not found")
    return found
