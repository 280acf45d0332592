"""The kumuh akhir panel of the region dashboard (kabupaten and below) and of the location page:
slum hectares projected after the realised investments beside the measured ones, per class, in
a plain sentence, and — where a later survey exists — projected against measured per RT.

Computed by the read behind `sikumuh projection` (`sikumuh.investments.projection`), so the page
and the command give the same figures. The panel is its own URL, loaded by htmx after the page
(a kabupaten's projection rescores every RT twice; the dashboard's own queries and time stay
as they were); without JavaScript its link opens it as a page. Above the kabupaten (province,
national) there is no panel: those figures are sums over many kabupaten, each with its own
investment records, and rescoring every RT of a province per view is too slow.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from sikumuh.core.projection_check import Outcomes, RtOutcome
from sikumuh.investments.projection import (
    Place,
    ProjectionReport,
    later_survey,
    latest_investment_year,
    projection_report,
    years_with_data,
)
from sikumuh.regions.models import Level
from sikumuh.surveys import dashboard as selectors
from sikumuh.web.crumbs import Crumb, region_crumbs
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.templatetags.sikumuh import ha, num
from sikumuh.web.views.dashboard.labels import class_label, classes, region_title
from sikumuh.web.views.dashboard.units import location_or_404


def _year(request: HttpRequest, name: str) -> int | None:
    """``?dasar=YYYY`` / ``?sampai=YYYY``; absent → None (the default); anything else → 404."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise Http404("no such year")
    return int(raw)


@require_GET
@login_required
def region_projection(request: HttpRequest, code: str) -> HttpResponse:
    """``/wilayah/<code>/kumuh-akhir/``: the panel of a kabupaten/kota or a region inside one."""
    region = region_or_404(request, code)
    if region is None or region.level < Level.KABUPATEN:
        raise Http404("kumuh akhir is shown for a kabupaten/kota and below")
    title = region_title(region)
    crumbs = [
        *region_crumbs(request, [*selectors.ancestors(code), region]),
        Crumb(_("Kumuh akhir"), None),
    ]
    url = reverse("web:region_projection", kwargs={"code": code})
    return _respond(request, Place(code), url, title, crumbs)


@require_GET
@login_required
def location_projection(request: HttpRequest, pk: int) -> HttpResponse:
    """``/lokasi/<pk>/kumuh-akhir/``: the panel of one slum location (all its RTs)."""
    loc = location_or_404(request, pk)
    home = loc.desa or loc.kabupaten
    crumbs = [
        *region_crumbs(request, [*selectors.ancestors(home.code), home]),
        Crumb(loc.name, reverse("web:location", kwargs={"pk": loc.pk})),
        Crumb(_("Kumuh akhir"), None),
    ]
    url = reverse("web:location_projection", kwargs={"pk": loc.pk})
    return _respond(request, Place(home.code, loc.pk), url, loc.name, crumbs)


def _respond(
    request: HttpRequest, place: Place, url: str, title: str, crumbs: list[Crumb]
) -> HttpResponse:
    context = panel_context(request, place, url)
    if request.headers.get("HX-Request"):
        return render(request, "web/dashboard/_projection.html", context)
    return render(
        request,
        "web/dashboard/projection.html",
        {**context, "title": title, "crumbs": crumbs, "region_code": place.region_code},
    )


def panel_context(request: HttpRequest, place: Place, url: str) -> dict[str, Any]:
    """Everything the panel shows (5 queries: years, last investment year, RTs, investments,
    later survey; none per RT)."""
    years = years_with_data(place)
    context: dict[str, Any] = {"panel_url": url, "report": None, "years": years}
    if not years:
        return context
    base = _year(request, "dasar")
    if base is None:
        base = years[-1]
    elif base not in years:
        raise Http404("no RT data that year")
    last_investment = latest_investment_year(place)
    until_years = list(range(base, max(base, last_investment or base) + 1))
    until = _year(request, "sampai")
    if until is None:
        until = until_years[-1]
    elif until not in until_years:
        raise Http404("no such year")
    report = projection_report(place, base, until)
    later = next((y for y in reversed(years) if y > base), None)
    outcomes = later_survey(report, later) if later is not None else None
    context.update(
        {
            "report": report,
            "base": base,
            "until": until,
            "until_years": until_years,
            "sentence": projection_sentence(report),
            "location_note": _location_note(report),
            "class_rows": _class_rows(report),
            "outcomes": outcomes,
            "outcome_sentence": outcome_sentence(outcomes) if outcomes else "",
            "missed": _missed(request, outcomes) if outcomes else [],
        }
    )
    return context


def projection_sentence(report: ProjectionReport) -> str:
    """What the figures say, in one or two plain sentences."""
    projection = report.projection
    measured = _("From the RT data as of %(base)s, the slum area is %(ha)s.") % {
        "base": report.base_year,
        "ha": ha(report.measured_slum_ha),
    }
    if report.until == report.base_year or not projection.investments_counted:
        rest = _(
            "No realised investment in an RT after %(base)s is recorded yet, so kumuh akhir is "
            "the same figure."
        ) % {"base": report.base_year}
        return f"{measured} {rest}"
    years = (
        str(report.until)
        if report.until == report.base_year + 1
        else f"{report.base_year + 1}–{report.until}"
    )
    rts = sum(1 for item in projection.units if item.invested)
    change = report.measured_slum_ha - report.projected_slum_ha
    counted = ngettext(
        "Counting the %(n)s realised investment of %(years)s in %(rts)s RT",
        "Counting the %(n)s realised investments of %(years)s in %(rts)s RTs",
        projection.investments_counted,
    ) % {"n": num(projection.investments_counted), "years": years, "rts": num(rts)}
    if change > 0:
        effect = _("kumuh akhir is estimated at %(ha)s, %(change)s less.") % {
            "ha": ha(report.projected_slum_ha),
            "change": ha(change),
        }
    else:
        effect = _(
            "kumuh akhir is estimated at %(ha)s: the works lift no RT out of slum class yet."
        ) % {"ha": ha(report.projected_slum_ha)}
    caveat = _("This is an estimate; only a later survey measures the real condition.")
    return f"{measured} {counted}, {effect} {caveat}"


def _location_note(report: ProjectionReport) -> str:
    projection = report.projection
    if not projection.location_level:
        return ""
    return ngettext(
        "%(n)s investment recorded for a location but no RT counts in money and output, not "
        "in kumuh akhir.",
        "%(n)s investments recorded for a location but no RT count in money and output, not "
        "in kumuh akhir.",
        projection.location_level,
    ) % {"n": num(projection.location_level)}


def _class_rows(report: ProjectionReport) -> list[dict[str, Any]]:
    rows = [
        {"klass": value, "label": label, "figures": report.by_class[value]}
        for value, label in classes()
    ]
    unscored = report.by_class["unscored"]
    if unscored.measured_rt or unscored.projected_rt:
        rows.append({"klass": "", "label": _("no class (data errors)"), "figures": unscored})
    return rows


def outcome_sentence(outcomes: Outcomes) -> str:
    """ "Pekerjaan mencapai yang direncanakan di 31 dari 40 RT." and what could not be judged."""
    judged = len(outcomes.judged)
    if not outcomes.rts:
        return _(
            "The survey of %(later)s re-measured no RT with a realised investment after "
            "%(base)s: nothing to compare yet."
        ) % {"later": outcomes.later_year, "base": outcomes.base_year}
    text = ngettext(
        "The works did what was planned in %(n)s of %(judged)s RT (survey of %(later)s against "
        "kumuh akhir from %(base)s).",
        "The works did what was planned in %(n)s of %(judged)s RTs (survey of %(later)s against "
        "kumuh akhir from %(base)s).",
        judged,
    ) % {
        "n": num(outcomes.achieved),
        "judged": num(judged),
        "later": outcomes.later_year,
        "base": outcomes.base_year,
    }
    if outcomes.not_resurveyed:
        text += " " + ngettext(
            "%(n)s RT with investments has not been surveyed again yet.",
            "%(n)s RTs with investments have not been surveyed again yet.",
            outcomes.not_resurveyed,
        ) % {"n": num(outcomes.not_resurveyed)}
    if outcomes.unjudged:
        text += " " + ngettext(
            "%(n)s RT cannot be judged (data errors).",
            "%(n)s RTs cannot be judged (data errors).",
            outcomes.unjudged,
        ) % {"n": num(outcomes.unjudged)}
    return text


def _missed(request: HttpRequest, outcomes: Outcomes) -> list[dict[str, Any]]:
    """The RTs whose works did not do what was planned; linked when the reader may open them
    (a location may straddle desa, and a facilitator opens only their own desa's RTs)."""
    scope = scope_of(request)
    return [_missed_row(o, scope.can_view(o.item.figures.kode_desa)) for o in outcomes.missed]


def _missed_row(outcome: RtOutcome, linked: bool) -> dict[str, Any]:
    figures, projected = outcome.item.figures, outcome.item.projection.projected
    return {
        "figures": figures,
        "url": reverse("web:rt", kwargs={"pk": figures.key}) if linked else None,
        "projected_klass": projected.klass.value if projected.klass else "",
        "projected_label": class_label(projected.klass),
        "projected_total": projected.total,
        "measured": outcome.measured,
        "measured_klass": outcome.measured.klass.value if outcome.measured.klass else "",
        "measured_label": class_label(outcome.measured.klass),
        "invested": outcome.item.invested,
    }
