"""The start page: the user's own regions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from sikumuh.regions.models import Region
from sikumuh.web.scoping import login_required, scope_of


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    roots = scope_of(request).roots
    if len(roots) == 1:
        return redirect("web:dashboard", code=roots[0])
    regions = Region.objects.filter(code__in=roots)
    return render(request, "web/home.html", {"regions": regions, "national": "ID" in roots})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own (on a PDF or a JSON answer, which
    link no icon): the static icon under its current hashed name. Temporary, since that name
    changes with each release."""
    return redirect(static("web/favicon.ico"))
