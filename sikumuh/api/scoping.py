"""The web's scope rules for API lookups: 404 outside the user's regions, 403 for a read-only
role on a write (`sikumuh.accounts.scope`; the same checks as `sikumuh.web.scoping`)."""

from __future__ import annotations

from django.http import HttpRequest

from sikumuh.accounts.scope import NATIONAL, Scope
from sikumuh.api.errors import Forbidden, NotFound
from sikumuh.regions.models import Region


def scope_of(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def region_or_404(request: HttpRequest, code: str) -> str:
    """`code` itself when the user may see it and it exists ("ID" for the nation)."""
    if not scope_of(request).can_view(code):
        raise NotFound
    if code != NATIONAL and not Region.objects.filter(code=code).exists():
        raise NotFound
    return code


def require_edit(request: HttpRequest, code: str) -> None:
    """404 outside the scope; 403 inside it for a role that may only read."""
    scope = scope_of(request)
    if not scope.can_view(code):
        raise NotFound
    if not scope.can_edit(code):
        raise Forbidden
