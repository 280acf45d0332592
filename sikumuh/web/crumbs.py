"""Breadcrumbs: one list of (label, link) per page, drawn by the one partial `web/_crumbs.html`.

Views put `crumbs` (a list of `Crumb`) in the context and `base.html` draws them; a page whose
crumbs are fixed strings builds them in the template with the `trail` tag. Regions outside the
user's scope are left out altogether (their pages would answer 404): a facilitator of one desa
gets no link to the kecamatan or kabupaten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Region, code_at_level
from sikumuh.web.scoping import scope_of


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None  # None: the page itself (or a step without a page of its own)


def region_crumbs(
    request: HttpRequest,
    regions: Iterable[Region],
    url_name: str = "web:dashboard",
    *,
    national: bool = True,
) -> list[Crumb]:
    """Links to the national page (when `national`) and to each of `regions` (outermost first)
    the user may see, each to the page `url_name` of that region."""
    # Imported here: the dashboard package imports this module.
    from sikumuh.web.views.dashboard.labels import region_title

    scope = scope_of(request)
    crumbs = []
    if national and scope.can_view(NATIONAL):
        crumbs.append(Crumb("Indonesia", reverse(url_name, kwargs={"code": NATIONAL})))
    for region in regions:
        if scope.can_view(region.code):
            url = reverse(url_name, kwargs={"code": region.code})
            crumbs.append(Crumb(region_title(region), url))
    return crumbs


def regions_above(request: HttpRequest, code: str) -> list[Region]:
    """The regions above and at `code` the reader may see, outermost first. One query."""
    if code == NATIONAL:
        return []
    codes = [c for level in range(1, 5) if (c := code_at_level(code, level))]
    scope = scope_of(request)
    visible = [c for c in codes if scope.can_view(c)]
    return list(Region.objects.filter(code__in=visible).order_by("level"))
