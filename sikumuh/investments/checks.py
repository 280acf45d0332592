"""The checks of an investment file against the RT's own data (the strict mode of
`actions.validate_investments`).

Decisions
    * A volume of zero is an error here (a warning for the motorkawanku export, whose zeros we
      keep as the programme wrote them): a row typed by hand with no volume reduces nothing.
    * The criterion must belong to the rule set of the RT's latest data, and the unit must be
      that criterion's unit (`core.criteria`): an investment of 120 "KK" against road length
      would move a projection by the wrong quantity (criteria.md §7).
    * A volume more than twice the RT's latest observed volume of that criterion is a WARNING,
      not an error: the money was spent and the record is true (a road built longer than the
      damaged stretch), while the projection caps what it removes at the observed volume. A
      positive volume against an RT whose data show none of that deficiency is a warning too.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, RULE_SETS, RuleSet, get_rule_set
from sikumuh.core.rows import Problem
from sikumuh.investments.planning_data import observations_in
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation

if TYPE_CHECKING:
    from sikumuh.investments.actions import _Resolved

#: Above this multiple of the RT's own observed volume an investment is flagged.
VOLUME_WARNING_FACTOR = Decimal(2)


def latest_observations(rt_ids: Iterable[int]) -> dict[int, Observation]:
    """The latest observation of each of these RTs (those with data). One query."""
    latest: dict[int, Observation] = {}
    for obs in Observation.objects.filter(rt_id__in=set(rt_ids)).order_by("rt_id", "tahun"):
        latest[obs.rt_id] = obs
    return latest


def rule_set_of(latest: Observation | None) -> RuleSet:
    """The rule set whose criteria an investment may reduce, for the import and the form alike:
    that of its RT's latest data; the default for a location as a whole or an RT without data
    (``latest``: the RT's latest observation, or None)."""
    return get_rule_set(latest.rule_set if latest is not None else DEFAULT_RULE_SET_ID)


def rule_set_of_rt(rt: RtUnit | None) -> RuleSet:
    """:func:`rule_set_of` one place (an RT, or None for a location as a whole)."""
    return rule_set_of(latest_observations([rt.pk]).get(rt.pk) if rt is not None else None)


def rule_sets_in(region_code: str) -> list[RuleSet]:
    """The rule sets a place of the region may call for (the add form's choice of criteria,
    before the place is chosen): the default, and those of the region's RT data."""
    used = Observation.objects.filter(observations_in(region_code)).order_by()
    ids = {DEFAULT_RULE_SET_ID, *used.values_list("rule_set", flat=True).distinct()}
    return [get_rule_set(i) for i in sorted(ids) if i in RULE_SETS]


def criterion_problem(rules: RuleSet, code: str) -> str | None:
    """Why ``code`` may not be reduced under ``rules``, or None."""
    if code in rules.codes:
        return None
    return _("criterion %(code)s is not in the rule set %(rules)s of the RT's data") % {
        "code": code,
        "rules": rules.short_title,
    }


def check_against_data(
    valid: list[_Resolved], col: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of resolved rows against their desa and their RT's latest data."""
    latest = latest_observations(v.rt.pk for v in valid if v.rt is not None)
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def problem(v: _Resolved, column: str, value: Any, reason: str, severity: str) -> None:
        text = None if value is None else str(value)
        found = Problem(v.row.file, v.row.row, col[column], text, reason, severity)
        (errors if severity == "error" else warnings).append(found)

    for v in valid:
        row = v.row
        if row.volume == 0:
            problem(v, "volume", row.volume, _("volume 0: the investment reduces nothing"), "error")
        desa = v.rt.desa_id if v.rt is not None else v.location.desa_id
        if row.kode_desa and desa and desa != row.kode_desa:
            reason = _("the location or RT lies in desa %(desa)s, not in this desa") % {
                "desa": desa
            }
            problem(v, "kode_desa", row.kode_desa, reason, "error")
        obs = latest.get(v.rt.pk) if v.rt is not None else None
        rules = rule_set_of(obs)
        refused = criterion_problem(rules, row.criterion)
        if refused is not None:
            problem(v, "criterion", row.criterion, refused, "error")
            continue
        criterion = rules.criterion(row.criterion)
        if row.unit != criterion.unit:
            reason = _("the unit of criterion %(code)s is %(unit)s") % {
                "code": criterion.code,
                "unit": criterion.unit,
            }
            problem(v, "unit", row.unit, reason, "error")
        if obs is None or row.volume <= 0:
            continue
        observed = obs.volumes.get(row.criterion)
        own = Decimal(str(observed)).normalize() if observed not in (None, "") else None
        if own is not None and row.volume > VOLUME_WARNING_FACTOR * own:
            reason = _("more than twice the RT's own volume of %(own)s %(unit)s in %(tahun)s") % {
                "own": f"{own:f}",
                "unit": criterion.unit,
                "tahun": obs.tahun,
            }
            problem(v, "volume", f"{row.volume.normalize():f}", reason, "warning")
    return errors, warnings
