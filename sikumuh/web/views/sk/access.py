"""Who may read and change which SK, and which of its entries they see.

An SK Kumuh is the kabupaten's decree. Reading it:

* a user whose scope covers the kabupaten sees the whole decree and its audit history;
* a user whose roles lie *inside* the kabupaten (a facilitator of one desa) sees the decree's
  particulars and only the entries inside their own regions: the kabupaten's figures stay
  hidden from them, as everywhere else (accounts/scope.py), so totals are of what they see;
* anyone else gets 404, so the decree's existence does not leak.

Changing it (create, new version, corrections) is for administrators of the kabupaten: a
decree is the regent's act, entered by the regency's own administrator (403 for the others who
may read it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from sikumuh.accounts.scope import Scope
from sikumuh.regions.codes import NATIONAL, covers, location_inside
from sikumuh.regions.models import Level, Region, level_of
from sikumuh.slums.models import SkDecree
from sikumuh.web.scoping import region_or_404, scope_of


def kabupaten_of(code: str) -> str | None:
    """The kabupaten/kota holding `code`; None for a province or the whole country."""
    if code == NATIONAL or level_of(code) < Level.KABUPATEN:
        return None
    return code[:5]


def roots_inside(scope: Scope, kabupaten: str) -> list[str]:
    """The user's outermost regions that lie inside `kabupaten` (not the kabupaten itself)."""
    return [root for root in scope.roots if root != kabupaten and covers(kabupaten, root)]


def can_read_decree(scope: Scope, kabupaten: str) -> bool:
    return scope.can_view(kabupaten) or bool(roots_inside(scope, kabupaten))


def decree_or_404(request: HttpRequest, pk: int) -> SkDecree:
    decree = SkDecree.objects.select_related("kabupaten", "supersedes").filter(pk=pk).first()
    if decree is None or not can_read_decree(scope_of(request), decree.kabupaten_id):
        raise Http404("SK not found")
    return decree


def visible_entries(request: HttpRequest, kabupaten: str) -> Q | None:
    """Filter on ``SkLocation`` for the entries the user sees; None when they see them all."""
    scope = scope_of(request)
    if scope.can_view(kabupaten):
        return None
    condition = Q(pk__in=[])
    for root in roots_inside(scope, kabupaten):
        condition |= location_inside(root, "location__")
    return condition


def sees_whole_decree(request: HttpRequest, decree: SkDecree) -> bool:
    return scope_of(request).can_view(decree.kabupaten_id)


def nav_region(request: HttpRequest, kabupaten: str) -> str:
    """The region the main navigation links to from a decree page: the kabupaten, or the
    user's own region inside it."""
    scope = scope_of(request)
    if scope.can_view(kabupaten):
        return kabupaten
    inside = roots_inside(scope, kabupaten)
    return inside[0] if inside else kabupaten


def sk_admin_kabupaten(request: HttpRequest, code: str) -> Region:
    """The kabupaten/kota of `code` whose SK the user registers (upload, GIS layer): 404 outside
    the scope or above a kabupaten, 403 for one who may only read (`require_sk_admin`)."""
    region_or_404(request, code)
    kabupaten = kabupaten_of(code)
    if kabupaten is None:
        raise Http404("an SK belongs to a kabupaten/kota")
    require_sk_admin(request, kabupaten)
    return Region.objects.get(code=kabupaten)


def require_sk_admin(request: HttpRequest, kabupaten: str) -> None:
    """404 for a user who may not even read the kabupaten's SK; 403 for one who may only read."""
    scope = scope_of(request)
    if not can_read_decree(scope, kabupaten):
        raise Http404("not found")
    if not scope.can_admin(kabupaten):
        raise PermissionDenied("only the kabupaten's administrators register SK decrees")
