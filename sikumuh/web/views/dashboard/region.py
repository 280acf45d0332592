"""The region dashboard (kabupaten → kecamatan → desa, up to province and national) and its map
data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sikumuh.regions.codes import NATIONAL
from sikumuh.regions.models import Level
from sikumuh.reports.common import coverage_text
from sikumuh.surveys import dashboard as selectors
from sikumuh.web.crumbs import Crumb, region_crumbs
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.views.dashboard.labels import (
    CHILD_HEADINGS,
    class_label,
    classes,
    region_title,
    trend_chart,
    unapproved_notices,
)


def year_param(request: HttpRequest) -> int | None:
    """``?tahun=YYYY``; absent → None (the latest year); anything else → 404."""
    raw = request.GET.get("tahun")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise Http404("no such year")
    return int(raw)


@require_GET
@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    region = region_or_404(request, code)
    try:
        data = selectors.region_dashboard(code, year_param(request))
    except selectors.UnknownYear as exc:
        raise Http404("no RT data that year") from exc
    above = selectors.ancestors(code)
    level = selectors.level(code)
    scope = scope_of(request)
    title = region_title(region)
    crumbs = [*region_crumbs(request, above), Crumb(title, None)]
    if code == NATIONAL:
        crumbs = crumbs[-1:]
    # The reduction against the kabupaten's SK total is a kabupaten figure: shown only to those
    # who may read the kabupaten (a facilitator of one desa may not; accounts/scope.py).
    kabupaten = next((r for r in [*above, region] if r and r.level == Level.KABUPATEN), None)
    sk_base_visible = level < Level.KABUPATEN or (
        kabupaten is not None and scope.can_view(kabupaten.code)
    )
    children = data.children
    hidden_children = 0
    if level < Level.KABUPATEN:
        children = [c for c in data.children if c.has_data]
        hidden_children = len(data.children) - len(children)
    return render(
        request,
        "web/dashboard/region.html",
        {
            "region": region,
            "region_code": code,
            "code": code,
            "level": level,
            "title": title,
            "crumbs": crumbs,
            "data": data,
            "kabupaten": kabupaten,
            "kabupaten_title": region_title(kabupaten) if kabupaten else "",
            "sk_base_visible": sk_base_visible,
            "children": children,
            "hidden_children": hidden_children,
            "child_heading": CHILD_HEADINGS[level],
            "child_is_location": level == Level.DESA,
            "show_locations": selectors.has_location_classes(code) and level != Level.DESA,
            "show_map": selectors.has_location_classes(code),
            "classes": classes(),
            "class_rows": _class_rows(data),
            "unclassed_locations": (data.location_classes or {}).get("", 0),
            "chart": trend_chart(data.years),
            "map_url": _map_url(code, data.tahun),
            # Kumuh akhir from a kabupaten/kota down, loaded after the page (projection.py).
            "projection_url": reverse("web:region_projection", kwargs={"code": code})
            if level >= Level.KABUPATEN
            else None,
            # criteria.md §9: each year as of itself, with its coverage in words; the page
            # opens on the latest complete year and offers later ones as provisional.
            "coverage_note": coverage_text(data.current_coverage) if data.current_coverage else "",
            "provisional_years": data.provisional_years,
            # The figures count RT data whatever their review status; the notice says how much
            # is not approved yet, linking reviewers to each year on the review page.
            "unapproved": unapproved_notices(
                selectors.unapproved_years(code), code if scope.can_review(code) else None
            ),
        },
    )


def _class_rows(data: selectors.RegionDashboard) -> list[dict[str, Any]]:
    """Locations, RTs and hectares per class in the year shown (and the RTs without a class)."""
    current = data.current
    rows = []
    for value, label in classes():
        area = current.by_class[value] if current else None
        rows.append(
            {
                "klass": value,
                "label": label,
                "locations": None
                if data.location_classes is None
                else data.location_classes[value],
                "rt": area.rt if area else None,
                "ha": area.ha if area else None,
            }
        )
    return rows


def _map_url(code: str, tahun: int | None) -> str:
    url = reverse("web:map_data", kwargs={"code": code})
    return f"{url}?tahun={tahun}" if tahun else url


def location_features(code: str, tahun: int | None) -> list[dict[str, Any]]:
    """GeoJSON features of the region's locations that have a polygon, coloured by their class
    of ``tahun`` (the dashboard's map and the planner's)."""
    locations = selectors.map_locations(code, tahun) if tahun is not None else []
    return [
        {
            "type": "Feature",
            "id": loc.id,
            "geometry": loc.geometry,
            "properties": {
                "id": loc.id,
                "code": loc.code,
                "name": loc.name,
                "desa": loc.desa_name or "",
                "klass": loc.klass.value if loc.klass else None,
                "klass_label": class_label(loc.klass),
                "slum_ha": _number(loc.slum_ha),
                "url": reverse("web:location", kwargs={"pk": loc.id}),
            },
        }
        for loc in locations
    ]


@require_GET
@login_required
def map_data(request: HttpRequest, code: str) -> JsonResponse:
    """GeoJSON FeatureCollection (RFC 7946: EPSG:4326, lon/lat) of the region's locations that
    have a polygon, coloured by their class of the year (latest by default)."""
    region_or_404(request, code)
    tahun = year_param(request) or selectors.latest_year(code)
    body = {
        "type": "FeatureCollection",
        "tahun": tahun,
        # A foreign member (RFC 7946 §6.1): the year's RT data not approved by the Pokja yet.
        "unapproved": _unapproved(code, tahun),
        "features": location_features(code, tahun),
    }
    return JsonResponse(body, content_type="application/geo+json")


def _unapproved(code: str, tahun: int | None) -> dict[str, int] | None:
    """Counts of the year's RT-years not approved, by status (zeros: all approved)."""
    if tahun is None:
        return None
    found = selectors.unapproved_years(code, tahun)
    return (found[0] if found else selectors.Unapproved(tahun)).as_dict()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))
