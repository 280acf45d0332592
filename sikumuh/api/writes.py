"""Writes: through the same audited actions as the web form and the CLI.

An observation lands as the web's entry form lands it (`surveys.actions.save_observation`): a
facilitator's change is a draft for the Pokja to review, a reviewer's or administrator's is
approved; a locked kabupaten-year is refused with the lock's own message (409). Investments go
through `investments.actions.import_investments`, the importer's validation and audit, as a
file of one row.
"""

# No `from __future__ import annotations`: ninja reads the parameter types at run time.

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from sikumuh.api.errors import Conflict, Invalid
from sikumuh.api.schemas import (
    ErrorOut,
    InvestmentIn,
    InvestmentReportOut,
    ObservationIn,
    ObservationOut,
)
from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import get_rule_set
from sikumuh.core.rows import InvestmentRow
from sikumuh.investments.actions import import_investments
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.actions import ObservationInvalid, save_observation
from sikumuh.surveys.models import Observation
from sikumuh.surveys.review import YearLocked
from sikumuh.web.scoping import require_edit, scope_of

router = Router(tags=["writes"])
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post("/observations", response={200: ObservationOut, **ERRORS})
def write_observation(request: HttpRequest, payload: ObservationIn) -> Any:
    """Create or change one RT-year (header and volumes); it is scored at once."""
    rt = RtUnit.objects.filter(pk=payload.rt).select_related("location").first()
    if rt is None:
        raise Http404
    require_edit(request, rt.desa_id)
    header = payload.header.model_dump()
    known = {criterion.code for criterion in get_rule_set(payload.rule_set).criteria}
    if unknown := sorted(set(payload.volumes) - known):
        raise Invalid(
            _("Volumes given for criteria that the rule set does not have."),
            [{"loc": ["body", "volumes", code]} for code in unknown],
        )
    try:
        obs, _result = save_observation(
            actor=Actor.of(request.user),
            rt=rt,
            tahun=payload.tahun,
            header=header,
            volumes=dict(payload.volumes),
            rule_set=payload.rule_set,
        )
    except YearLocked as exc:
        raise Conflict(str(exc)) from exc
    except ObservationInvalid as exc:
        raise Invalid(
            _("The values do not score."),
            [{"code": i.code, "message": i.message} for i in exc.result.errors],
        ) from exc
    return Observation.objects.select_related("rt", "score").get(pk=obs.pk)


def _location_or_404(request: HttpRequest, pk: int) -> Location:
    """A location the user sees: by its desa, or by its kabupaten when it has none."""
    location = Location.objects.filter(pk=pk).first()
    if location is None:
        raise Http404
    if not scope_of(request).can_view(location.desa_id or location.kabupaten_id):
        raise Http404
    return location


@router.post("/investments", response={201: InvestmentReportOut, **ERRORS})
def write_investment(request: HttpRequest, payload: InvestmentIn) -> Any:
    """Record one activity; the same activity sent again changes nothing (idempotent)."""
    location = _location_or_404(request, payload.location)
    rt = None
    if payload.rt is not None:
        rt = RtUnit.objects.filter(pk=payload.rt, location=location).first()
        if rt is None:
            raise Http404
    require_edit(request, rt.desa_id if rt else location.desa_id or location.kabupaten_id)
    row = InvestmentRow(
        file="api",
        row="1",
        kabupaten_code=location.kabupaten_id,
        lokasi=location.code,
        rt=rt.rt if rt else None,
        criterion=payload.criterion,
        tahun=payload.tahun,
        activity=payload.activity,
        volume=payload.volume,
        unit=payload.unit,
        funding_source=payload.funding_source,
        cost=payload.cost,
        source_ref=payload.source_ref,
    )
    report = import_investments([row], actor=Actor.of(request.user), context={"via": "api"})
    if not report.ok:
        raise Invalid(
            _("The activity was refused."),
            [{"loc": ["body", p.column or ""], "message": p.reason} for p in report.errors],
        )
    return Status(201, report.as_dict())
