"""The page of one slum location and the page of one RT (its class explained)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sikumuh.core.criteria import RuleSet, SlumClass, get_rule_set
from sikumuh.core.decimals import hundredths_to_decimal
from sikumuh.core.handling import (
    BASIC_SERVICE_ASPECTS,
    authority_for_area,
    handling_pattern,
    removal_eligibility,
)
from sikumuh.core.whatif import WhatIf, band_of
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys import dashboard as selectors
from sikumuh.surveys.models import Source
from sikumuh.surveys.submission_selectors import submission_media
from sikumuh.web.audit_rows import history
from sikumuh.web.crumbs import Crumb, region_crumbs
from sikumuh.web.scoping import login_required, scope_of
from sikumuh.web.views.dashboard.labels import (
    AUTHORITY_LABELS,
    HEADER_LABELS,
    SERVICE_LABELS,
    WARNING_LABELS,
    class_label,
    classes,
    region_title,
    trend_chart,
    unapproved_notices,
)
from sikumuh.web.views.dashboard.region import year_param
from sikumuh.web.views.dashboard.rt_projection import rt_projection_context
from sikumuh.web.views.rtdata.selectors import next_year_after


def location_or_404(request: HttpRequest, pk: int) -> Location:
    """The location if the user's scope covers its desa (its kabupaten when it has none)."""
    location = Location.objects.select_related("desa", "kabupaten").filter(pk=pk).first()
    if location is None or not scope_of(request).can_view(
        location.desa_id or location.kabupaten_id
    ):
        raise Http404("location not found")
    return location


def _location_crumbs(request: HttpRequest, location: Location) -> list[Crumb]:
    home = location.desa or location.kabupaten
    regions = [*selectors.ancestors(home.code), home]
    return region_crumbs(request, regions)


@require_GET
@login_required
def location(request: HttpRequest, pk: int) -> HttpResponse:
    loc = location_or_404(request, pk)
    detail = selectors.location_detail(loc)
    result = detail.latest_result
    klass = result.klass if result else None
    rule_set = get_rule_set(result.rule_set_id) if result else None
    patterns = None
    if klass is not None and klass is not SlumClass.TIDAK_KUMUH:
        patterns = {
            "legal": handling_pattern(klass, True).label_id,
            "not_legal": handling_pattern(klass, False).label_id,
        }
    area = detail.area_ha
    authority = authority_for_area(area) if area is not None else None
    removal = None
    if result is not None and rule_set is not None:
        eligibility = removal_eligibility(result.total, rule_set, result.percent)
        removal = {
            "eligibility": eligibility,
            "services": [
                (SERVICE_LABELS[s], eligibility.coverage[s]) for s in BASIC_SERVICE_ASPECTS
            ],
        }
    years = [
        {
            "area": year,
            "result": detail.results.get(year.tahun),
            "klass_label": class_label(
                detail.results[year.tahun].klass if year.tahun in detail.results else None
            ),
        }
        for year in detail.years
    ]
    home = loc.desa or loc.kabupaten
    review_code = detail.review_code
    if review_code is not None and not scope_of(request).can_review(review_code):
        review_code = None
    return render(
        request,
        "web/dashboard/location.html",
        {
            "location": loc,
            "region_code": home.code,
            "home_title": region_title(home),
            "crumbs": [*_location_crumbs(request, loc), Crumb(loc.name, None)],
            "audit_entries": history(loc, scope=scope_of(request)),
            "detail": detail,
            "result": result,
            "klass": klass,
            "klass_label": class_label(klass),
            "patterns": patterns,
            "area": area,
            "area_from_sk": detail.sk_ha is not None,
            "authority": AUTHORITY_LABELS[authority] if authority else None,
            "removal": removal,
            "years": years,
            "year_list": [y.tahun for y in detail.years],
            "rt_rows": [
                (row, [row.years.get(y.tahun) for y in detail.years]) for row in detail.rts
            ],
            "classes": classes(),
            "chart": trend_chart(detail.years),
            "feature": _feature(loc, klass),
            "projection_url": reverse("web:location_projection", kwargs={"pk": loc.pk}),
            "unapproved": unapproved_notices(detail.unapproved, review_code),
        },
    )


def _feature(loc: Location, klass: SlumClass | None) -> dict[str, Any] | None:
    """The location's polygon as a FeatureCollection for the page's small map."""
    geometry = selectors.geometry_of(loc.polygon)
    if geometry is None:
        return None
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": loc.pk,
                "geometry": geometry,
                "properties": {
                    "id": loc.pk,
                    "code": loc.code,
                    "name": loc.name,
                    "klass": klass.value if klass else None,
                    "klass_label": class_label(klass),
                    "url": reverse("web:location", kwargs={"pk": loc.pk}),
                },
            }
        ],
    }


def _whatif_context(whatif: WhatIf | None, rule_set: RuleSet) -> dict[str, Any]:
    """The what-if tables: each step beside its criterion (for the name)."""
    if whatif is None:
        return {"whatif": None}
    by_code = {c.code: c for c in rule_set.criteria}
    return {
        "whatif": whatif,
        "whatif_targets": [
            (target, [(s, by_code[s.code]) for s in target.plan]) for target in whatif.targets
        ],
        "whatif_next": [(s, by_code[s.code]) for s in whatif.next_steps],
    }


def _rt_or_404(request: HttpRequest, pk: int) -> RtUnit:
    rt = RtUnit.objects.select_related("location", "desa").filter(pk=pk).first()
    if rt is None or not scope_of(request).can_view(rt.desa_id):
        raise Http404("RT not found")
    return rt


@require_GET
@login_required
def rt(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _rt_or_404(request, pk)
    detail = selectors.rt_detail(unit)
    tahun = year_param(request)
    observation = detail.at(tahun)
    if observation is None and (tahun is not None or detail.observations):
        raise Http404("no observation that year")
    context: dict[str, Any] = {
        "rt": unit,
        "location": unit.location,
        "region_code": unit.desa_id,
        "crumbs": [
            *region_crumbs(request, [*selectors.ancestors(unit.desa_id), unit.desa]),
            Crumb(unit.location.name, reverse("web:location", kwargs={"pk": unit.location_id})),
            Crumb(f"RT {unit.rt}", None),
        ],
        "detail": detail,
        "observation": observation,
        "classes": classes(),
        "is_demo": any(o.source == Source.DEMO for o in detail.observations),
        # The next survey round, offered to editors beside the form of the shown year.
        "next_year": next_year_after([o.tahun for o in detail.observations]),
        "history": [
            (o, getattr(o, "score", None), class_label(getattr(o.score, "klass", None)))
            for o in detail.observations
        ],
    }
    if observation is not None:
        score = getattr(observation, "score", None)
        rule_set = get_rule_set(observation.rule_set)
        klass = SlumClass(score.klass) if score and score.klass else None
        context.update(
            {
                "score": score,
                "rule_set": rule_set,
                "klass": klass,
                "klass_label": class_label(klass),
                "band": band_of(rule_set, klass) if klass else None,
                "rows": [
                    {
                        "row": row,
                        "denominator_label": HEADER_LABELS[row.criterion.denominator],
                        "warnings": [WARNING_LABELS.get(w, w) for w in row.warnings],
                    }
                    for row in selectors.criteria_rows(observation)
                ],
                "score_bands": [
                    (hundredths_to_decimal(minimum), points)
                    for minimum, points in rule_set.score_bands
                ],
                **_whatif_context(selectors.what_if(observation), rule_set),
                "audit_entries": history(observation, scope=scope_of(request)),
                "media": submission_media(observation),
                **rt_projection_context(
                    observation,
                    unit,
                    next(
                        (o for o in reversed(detail.observations) if o.tahun > observation.tahun),
                        None,
                    ),
                    rule_set,
                ),
            }
        )
    return render(request, "web/dashboard/rt.html", context)
