"""Region scoping for views: every lookup goes through here and answers 404 outside the scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from sikumuh.accounts.scope import Scope
from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Region

# HttpResponseBase: downloads answer with streaming and file responses too.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def scope_of(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def region_or_404(request: HttpRequest, code: str) -> Region | None:
    """The region if the user may see it (None for the national level), else 404."""
    scope = scope_of(request)
    if not scope.can_view(code):
        raise Http404("region not found")
    if code == NATIONAL:
        return None
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404("region not found") from exc


def require_edit(request: HttpRequest, code: str) -> None:
    """404 outside the scope; 403 inside it for a role that may only read."""
    scope = scope_of(request)
    if not scope.can_view(code):
        raise Http404("not found")
    if not scope.can_edit(code):
        raise PermissionDenied("read-only role")


def require_review(request: HttpRequest, code: str) -> None:
    scope = scope_of(request)
    if not scope.can_view(code):
        raise Http404("not found")
    if not scope.can_review(code):
        raise PermissionDenied("not a reviewer here")


def login_required(view: View) -> View:
    """Like Django's, but typed for our views."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
