"""The RT page's kumuh akhir: which investments changed which criterion (volume before → after),
the projected total and class beside the measured ones, and — when the RT was surveyed again —
whether the works did what was planned (criteria.md §7; the rules in
`sikumuh.core.projection_check`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import RuleSet, SlumClass
from sikumuh.core.projection_check import did_what_was_planned
from sikumuh.investments.projection import rt_projection
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation
from sikumuh.web.views.dashboard.labels import class_label


def _klass(value: SlumClass | str | None) -> dict[str, Any]:
    """A class for the badge: its value ("" for none) and label."""
    klass = SlumClass(value) if value else None
    return {"klass": klass.value if klass else "", "label": class_label(klass)}


def rt_projection_context(
    observation: Observation, rt: RtUnit, later: Observation | None, rule_set: RuleSet
) -> dict[str, Any]:
    """The section's context (1 query: the RT's investments after the observation's year).
    ``later``: the RT's latest observation after that year, if any (already loaded)."""
    found = rt_projection(observation, rt)
    criteria = {c.code: c for c in rule_set.criteria}
    rows = [
        {"investment": inv, "step": step, "criterion": criteria.get(inv.criterion)}
        for inv, step in found.steps
    ]
    baseline, projected = found.item.projection.baseline, found.item.projection.projected
    counted = any(step.counted for _inv, step in found.steps)
    context: dict[str, Any] = {
        "rtp": found,
        "rtp_rows": rows,
        "rtp_counted": counted,
        "rtp_measured": {"total": baseline.total, **_klass(baseline.klass)},
        "rtp_projected": {"total": projected.total, **_klass(projected.klass)},
        "rtp_later": None,
    }
    if counted and later is not None:
        score = getattr(later, "score", None)
        measured = SlumClass(score.klass) if score and score.klass else None
        verdict = did_what_was_planned(projected.klass, measured)
        context["rtp_later"] = {
            "tahun": later.tahun,
            "total": score.total if score else None,
            **_klass(measured),
            "verdict": verdict,
            "text": {
                True: _("The works did what was planned."),
                False: _("The works did not do what was planned."),
                None: _("Cannot be judged: data errors."),
            }[verdict],
        }
    return context
