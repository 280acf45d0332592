"""Uji petik pages: the list and draw form of a region, the detail of one uji petik (plan,
sample, estimates, reliability, findings), the XLSForm download and the ODK/Kobo upload."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import SlumClass
from sikumuh.core.estimates import ProportionEstimate
from sikumuh.inspections.actions.sample import SampleError, add_purposive, draw_sample
from sikumuh.inspections.models import ChecklistSource, FollowUpStatus, SampleItem, UjiPetik
from sikumuh.inspections.population import INVESTMENTS, RTS, population, strata_field_label
from sikumuh.inspections.selectors import (
    IndicatorEstimate,
    ResurveyRow,
    findings_of,
    follow_ups_of,
    items_in_region,
    redraw_matches,
    reliability_of,
    sample_view,
    uji_petik_list,
)
from sikumuh.investments.models import Investment
from sikumuh.io.ujipetik.odk_import import import_submissions
from sikumuh.io.ujipetik.xlsform import write_xlsform
from sikumuh.regions.models import Level, level_of
from sikumuh.surveys.models import Observation
from sikumuh.web.scoping import login_required, region_or_404, require_review, scope_of
from sikumuh.web.tables import Column, TableQuery, TableSpec
from sikumuh.web.views.ujipetik.common import require_inspect, uji_petik_or_404
from sikumuh.web.views.ujipetik.forms import (
    CloseFollowUpForm,
    DrawForm,
    FindingForm,
    FollowUpForm,
    PurposiveForm,
    SubmissionsForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _percent(value: float | Fraction | None) -> Decimal | None:
    """A share (0–1) as a percentage with 2 decimals, for the `pct` filter."""
    if value is None:
        return None
    return (Decimal(float(value)) * 100).quantize(Decimal("0.01"))


# --- List and draw -----------------------------------------------------------------------------


def _years(kabupaten: str) -> list[int]:
    """Fiscal years with activities or RT data in the kabupaten (two queries)."""
    invested = Investment.objects.filter(location__kabupaten_id=kabupaten).values_list(
        "tahun", flat=True
    )
    surveyed = Observation.objects.filter(rt__location__kabupaten_id=kabupaten).values_list(
        "tahun", flat=True
    )
    return sorted(set(invested) | set(surveyed))


def _render_list(
    request: HttpRequest, code: str, form: DrawForm | None = None, status: int = 200
) -> HttpResponse:
    region = region_or_404(request, code)
    level = 0 if code == "ID" else level_of(code)
    scope = scope_of(request)
    context: dict[str, Any] = {"region": region, "region_code": code, "level": level}
    if level >= Level.KECAMATAN:
        context["items"] = items_in_region(code)
        context["kabupaten_visible"] = scope.can_view(code[:5])
    else:
        context["uji_petik_list"] = list(uji_petik_list(code).filter(scope.q("kabupaten__code")))
    if level == Level.KABUPATEN and scope.can_review(code):
        context["form"] = form or DrawForm(years=_years(code))
        context["purposive_groups"] = _purposive_candidates(code)
        chosen = context["form"].data.getlist("purposive") if form is not None else []
        context["purposive_chosen"] = {
            part.strip() for value in chosen for part in value.split(",") if part.strip()
        }
    return render(request, "web/ujipetik/list.html", context, status=status)


def _purposive_candidates(code: str) -> list[tuple[str, Any, list[tuple[int, str]]]]:
    """(population kind, label, [(id, label)]) of every activity and RT of the kabupaten, for
    the draw form's purposive picker (the draw checks the chosen ids against its population)."""
    years = _years(code)
    investments = population(INVESTMENTS, code, years)
    activities = dict(
        Investment.objects.filter(pk__in=[u.id for u in investments]).values_list("pk", "activity")
    )
    rts = population(RTS, code, years)
    return [
        (
            INVESTMENTS,
            _("Activities (investments)"),
            [
                (u.id, f"{activities.get(u.id, '')} · {u.location} · {u.tahun} (#{u.id})")
                for u in investments
            ],
        ),
        (RTS, _("RTs"), [(u.id, f"{u.location} · {u.desa} (#{u.id})") for u in rts]),
    ]


@require_http_methods(["GET", "POST"])
@login_required
def uji_petik_list_view(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET":
        return _render_list(request, code)
    region = region_or_404(request, code)
    if region is None or region.level != Level.KABUPATEN:
        raise Http404("samples are drawn for a kabupaten/kota")
    require_review(request, code)
    form = DrawForm(request.POST, years=_years(code))
    if not form.is_valid():
        return _render_list(request, code, form, status=400)
    data = form.cleaned_data
    try:
        uji_petik = draw_sample(
            actor=Actor.of(request.user),
            kabupaten=region,
            tahun=data["tahun"],
            n=data["n"],
            seed=data["seed"],
            population_kind=data["population"],
            strata_fields=data["strata"],
            minimum=data["minimum"],
            allocation=data["allocation"],
            purposive=data["purposive"],
            purposive_reason=data["purposive_reason"],
            title=data["title"],
            note=data["note"],
        )
    except SampleError as exc:
        form.add_error(None, str(exc))
        return _render_list(request, code, form, status=400)
    messages.success(
        request,
        _("Sample drawn: %(n)s items, seed %(seed)s.")
        % {"n": uji_petik.items.count(), "seed": uji_petik.seed},
    )
    return redirect("web:uji_petik_detail", pk=uji_petik.pk)


# --- Detail ------------------------------------------------------------------------------------


@dataclass
class EstimateDisplay:
    code: str
    label: Any
    estimate: ProportionEstimate
    p: Decimal | None
    low: Decimal | None
    high: Decimal | None
    purposive_answered: int
    purposive_yes: int
    strata: list[dict[str, Any]]


def _estimate_display(item: IndicatorEstimate, labels: dict[str, str]) -> EstimateDisplay:
    e = item.estimate
    return EstimateDisplay(
        code=item.code,
        label=item.label,
        estimate=e,
        p=_percent(e.p),
        low=_percent(e.low),
        high=_percent(e.high),
        purposive_answered=item.purposive_answered,
        purposive_yes=item.purposive_yes,
        strata=[
            {
                "label": labels.get(s.key, s.key),
                "N": s.population,
                "n": s.answered,
                "yes": s.positive,
                "p": _percent(s.p),
                "low": _percent(s.low),
                "high": _percent(s.high),
                "conservative": s.conservative,
            }
            for s in e.strata
        ],
    )


def _purposive_choices(uji_petik: UjiPetik, items: list[SampleItem]) -> list[tuple[int, str]]:
    """Population members not yet in the sample, for the purposive form (one or two queries)."""
    taken = {i.investment_id or i.rt_id for i in items}
    units = population(uji_petik.population, uji_petik.kabupaten_id, uji_petik.tahun)
    if uji_petik.population == "investments":
        activities = dict(
            Investment.objects.filter(pk__in=[u.id for u in units]).values_list("pk", "activity")
        )
        return [
            (u.id, f"{u.id} · {activities.get(u.id, '')} · {u.location} · {u.tahun}")
            for u in units
            if u.id not in taken
        ]
    return [(u.id, f"{u.id} · {u.location} · {u.desa}") for u in units if u.id not in taken]


#: The sample's items (a few dozen, read with the page): searched and sorted in memory.
ITEM_TABLE = TableSpec(
    columns=(
        Column("no", ("item__position",)),
        Column("item", ("label", "item__position")),
        Column("strata", ("item__stratum_label", "item__position")),
        Column("fungsi", ("checklist__function", "item__position")),
    ),
    default_sort="no",
    search=("label", "item__stratum_label", "item__key", "item__purposive_reason"),
    tie_break=(),
    presorted=True,
)


def render_detail(
    request: HttpRequest,
    uji_petik: UjiPetik,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request)
    code = uji_petik.kabupaten_id
    view = sample_view(uji_petik)
    labels = {s["key"]: s["label"] for s in view.strata}
    reliability = reliability_of(uji_petik)
    inspect = scope.can_edit(code) or scope.can_review(code)
    review = scope.can_review(code)
    forms = forms or {}
    findings = findings_of(uji_petik)
    follow_ups = follow_ups_of(uji_petik)
    tq = TableQuery.from_query(request.GET, ITEM_TABLE)
    context: dict[str, Any] = {
        "tq": tq,
        "item_rows": tq.apply_rows(view.rows),
        "uji_petik": uji_petik,
        "region_code": code,
        "view": view,
        "estimates": [_estimate_display(e, labels) for e in view.estimates],
        "redraw_same": redraw_matches(uji_petik),
        "reliability": reliability,
        "reliability_overall": _percent(reliability.summary.overall.share),
        "reliability_groups": [
            (
                _("Per facilitator"),
                [(r, _percent(r.share), r.label) for r in reliability.summary.by_facilitator],
            ),
            (
                _("Per desa"),
                [
                    (r, _percent(r.share), view.names.get(r.label, r.label))
                    for r in reliability.summary.by_desa
                ],
            ),
        ],
        "findings": findings,
        "follow_ups": follow_ups,
        # Said on the closed section's summary: what needs doing.
        "open_follow_ups": sum(1 for f in follow_ups if f.status == FollowUpStatus.OPEN),
        "overdue_follow_ups": sum(1 for f in follow_ups if f.overdue),
        "can_inspect": inspect,
        "can_review": review,
        "finding_form": forms.get("finding") or (FindingForm() if inspect else None),
        "follow_up_form": FollowUpForm() if inspect else None,
        "close_form": CloseFollowUpForm() if inspect else None,
        "submissions_form": forms.get("submissions") or (SubmissionsForm() if inspect else None),
        "purposive_form": forms.get("purposive")
        or (
            PurposiveForm(choices=_purposive_choices(uji_petik, [r.item for r in view.rows]))
            if review
            else None
        ),
        "errors_for": forms.get("errors_for"),
        "is_demo": any(r.checklist and r.checklist.source == "demo" for r in view.rows),
        "purposive_count": sum(1 for r in view.rows if r.item.purposive),
        "strata_fields": [strata_field_label(f) for f in uji_petik.strata_fields],
        "strata_rows": [
            {**s, "weight": Decimal(float(Fraction(s["weight"]))).quantize(Decimal("0.0001"))}
            for s in view.strata
        ],
        "resurvey_rows": [_resurvey_row(row, view.names) for row in reliability.rows],
    }
    return render(request, "web/ujipetik/detail.html", context, status=status)


_CLASS_LABELS = {c.value: c.label_id for c in SlumClass}


def _resurvey_row(row: ResurveyRow, names: dict[str, str]) -> dict[str, Any]:
    record = row.record
    return {
        "item": row.item,
        "rt": f"{record.rt} · {names.get(record.desa, record.desa)}",
        "facilitator": record.facilitator,
        "before": _CLASS_LABELS.get(record.class_reported or "", ""),
        "after": _CLASS_LABELS.get(record.class_found or "", ""),
        "pairs": [(c, v, record.reported.get(c)) for c, v in sorted(record.found.items())],
    }


@require_GET
@login_required
def uji_petik_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, uji_petik_or_404(request, pk))


@require_GET
@login_required
def xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    uji_petik = uji_petik_or_404(request, pk)
    view = sample_view(uji_petik)
    if not view.rows:
        raise Http404("no sampled item")
    buffer = io.BytesIO()
    write_xlsform(buffer, uji_petik, [r.item for r in view.rows], view.names)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="uji-petik-{pk}-xlsform.xlsx"'
    return response


@require_POST
@login_required
def submissions(request: HttpRequest, pk: int) -> HttpResponse:
    uji_petik = uji_petik_or_404(request, pk)
    require_inspect(request, uji_petik.kabupaten_id)
    form = SubmissionsForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            try:
                report = import_submissions(
                    upload.read(),
                    actor=Actor.of(request.user),
                    file_name=upload.name,
                    uji_petik=uji_petik,
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not a UTF-8 CSV file."))
            else:
                source = report.extra.get("source", "")
                context = {
                    "uji_petik": uji_petik,
                    "region_code": uji_petik.kabupaten_id,
                    # The form server by name ("KoboToolbox"), not its code.
                    "source_label": dict(ChecklistSource.choices).get(source, source or "–"),
                }
                return render(
                    request, "web/ujipetik/import_result.html", {**context, "report": report}
                )
    return render_detail(
        request, uji_petik, forms={"submissions": form, "errors_for": "submissions"}, status=400
    )


@require_POST
@login_required
def purposive(request: HttpRequest, pk: int) -> HttpResponse:
    uji_petik = uji_petik_or_404(request, pk)
    require_review(request, uji_petik.kabupaten_id)
    items = list(uji_petik.items.all())
    form = PurposiveForm(request.POST, choices=_purposive_choices(uji_petik, items))
    if form.is_valid():
        try:
            item = add_purposive(
                actor=Actor.of(request.user),
                uji_petik=uji_petik,
                object_id=form.cleaned_data["object_id"],
                reason=form.cleaned_data["reason"],
            )
        except SampleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Added purposively: %(key)s.") % {"key": item.key})
            return redirect("web:uji_petik_detail", pk=pk)
    return render_detail(
        request, uji_petik, forms={"purposive": form, "errors_for": "purposive"}, status=400
    )
