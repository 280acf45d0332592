"""Breadcrumbs up the hierarchy, limited to what the user may see.

A facilitator of one desa gets no link to the kecamatan or kabupaten: regions outside the user's
scope are left out altogether (as their dashboards would answer 404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Region
from sikumuh.web.scoping import scope_of
from sikumuh.web.views.dashboard.labels import region_title


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None


def region_crumbs(request: HttpRequest, regions: Iterable[Region]) -> list[Crumb]:
    """Links to the national dashboard and to each of `regions` (outermost first) the user may
    see."""
    scope = scope_of(request)
    crumbs = []
    if scope.can_view(NATIONAL):
        crumbs.append(Crumb("Indonesia", reverse("web:dashboard", kwargs={"code": NATIONAL})))
    for region in regions:
        if scope.can_view(region.code):
            url = reverse("web:dashboard", kwargs={"code": region.code})
            crumbs.append(Crumb(region_title(region), url))
    return crumbs
