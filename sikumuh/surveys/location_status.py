"""Each location's status from its RT data: its class scored from the sum of its RTs and
whether it may leave the SK (hapus status kumuh). Survey reads, used by the SK registry
(`sikumuh.surveys.sk_entries`) and the removal draft."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from sikumuh.core.criteria import HEADER_FIELDS, SlumClass, get_rule_set
from sikumuh.core.handling import RemovalEligibility, removal_eligibility
from sikumuh.core.scoring import UnitResult
from sikumuh.surveys.asof import ALL, StatusFilter, as_of_observations
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import score_observations


@dataclass(frozen=True)
class LocationStatus:
    """A location scored from the sum of its RTs as of a year (criteria.md §5, §9), and whether
    it may leave the SK (hapus status kumuh). ``tahun``: the latest year of the data counted."""

    tahun: int
    result: UnitResult
    removal: RemovalEligibility

    @property
    def klass(self) -> SlumClass | None:
        return self.result.klass


def score_location_rows(rows: Iterable[dict[str, Any]]) -> dict[int, LocationStatus]:
    """Pure part of :func:`location_statuses`: observation value rows → status per location
    (the core's one rule, `core.location.score_location`)."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["location_id"]].append(row)
    statuses: dict[int, LocationStatus] = {}
    for location_id, observations in grouped.items():
        scored = score_observations(observations)
        rule_set = get_rule_set(scored.choice.rule_set_id)
        result = scored.result
        statuses[location_id] = LocationStatus(
            tahun=max(o["tahun"] for o in observations),
            result=result,
            removal=removal_eligibility(result.total, rule_set, result.percent),
        )
    return statuses


def location_statuses(
    location_ids: Sequence[int], tahun: int | None = None, status: StatusFilter = ALL
) -> dict[int, LocationStatus]:
    """Each location's status as of `tahun` (None: as of its latest data) from all its RTs,
    each with its latest observation up to then (criteria.md §9: the class and the removal
    eligibility come from all its RTs as of the year). One query."""
    if not location_ids:
        return {}
    inside = Observation.objects.filter(rt__location_id__in=location_ids)
    rows = as_of_observations(inside, tahun, status).values(
        "rt_id",
        "tahun",
        "rule_set",
        "volumes",
        "percents",
        *HEADER_FIELDS,
        location_id=F("rt__location_id"),
    )
    return score_location_rows(rows)
