"""Aggregation above the RT: locations, desa, kecamatan, kabupaten, province.

criteria.md §5 (programme practice under Permen PUPR 14/2018): a larger unit is scored from the
**sum of its units' volumes and denominators**, then percentage → score → class as for an RT;
never from an average of scores (averaging scores hides a criterion that is bad in one RT and
absent elsewhere, and cannot be reconciled with the volumes that investments reduce).

Slum area (luas kumuh) of a region is the sum of ``luas_ha`` of its units whose class is not
Tidak Kumuh: when a unit's class drops to Tidak Kumuh its area leaves the slum area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.core.decimals import micro_to_decimal, to_micro
from sikumuh.core.issues import CANNOT_AGGREGATE_PERCENT, Issue
from sikumuh.core.scoring import UnitInput

#: Classes counted in the slum area.
SLUM_CLASSES = frozenset({SlumClass.BERAT, SlumClass.SEDANG, SlumClass.RINGAN})


def _sum(values: list[Decimal | None]) -> Decimal | None:
    """Exact sum, or None when any part is unknown (an unknown part makes the sum unknown)."""
    if any(v is None for v in values):
        return None
    return micro_to_decimal(sum(to_micro(v) for v in values if v is not None))


def aggregate_inputs(units: Iterable[UnitInput]) -> UnitInput:
    """One input for a group of units: header fields and volumes summed, criterion by criterion.

    A criterion given only as a percentage in some unit cannot be summed (its volume is
    unknown): the aggregate has no value for it and carries a ``cannot_aggregate_percent`` error,
    which :func:`score_unit` reports. A missing header value or volume in any unit leaves the
    sum missing (scoring then reports it). Volumes are summed as given: negative volumes should
    be fixed at unit level first, the sum only shows up as an error if it is itself negative.
    Input issues of the parts (e.g. of a desa aggregated into a kecamatan) are carried over.
    """
    parts = list(units)
    if not parts:
        raise ValueError("cannot aggregate zero units")
    header = {
        name: _sum([u.header.get(name) for u in parts])
        for name in HEADER_FIELDS
        if any(name in u.header for u in parts)
    }
    codes = sorted({c for u in parts for c in (*u.volumes, *u.percents)})
    volumes: dict[str, Decimal | None] = {}
    issues: list[Issue] = []
    for part in parts:
        issues.extend(i for i in part.issues if i not in issues)
    for code in codes:
        percent_only = sum(
            1 for u in parts if u.volumes.get(code) is None and u.percents.get(code) is not None
        )
        if percent_only:
            volumes[code] = None
            issues.append(
                Issue(
                    CANNOT_AGGREGATE_PERCENT,
                    code,
                    "percent",
                    None,
                    f"Criterion {code}: {percent_only} of {len(parts)} units give only a "
                    "percentage; percentages cannot be summed, so the aggregate has no value.",
                )
            )
        else:
            volumes[code] = _sum([u.volumes.get(code) for u in parts])
    return UnitInput(header=header, volumes=volumes, issues=tuple(issues))


@dataclass(frozen=True)
class SlumAreaSummary:
    """Slum area of a region from its units' areas and classes (all areas in ha, 6 dp).

    ``slum_ha``: units classed Kumuh Berat/Sedang/Ringan. ``assessed_ha``: units with a class.
    ``unscored_*``: units whose scoring had errors (no class), counted apart, never as slum or
    as not slum.
    """

    slum_ha: Decimal
    slum_count: int
    assessed_ha: Decimal
    assessed_count: int
    ha_by_class: dict[SlumClass, Decimal]
    count_by_class: dict[SlumClass, int]
    unscored_ha: Decimal
    unscored_count: int

    @property
    def total_ha(self) -> Decimal:
        """Area of every unit, assessed or not."""
        return self.assessed_ha + self.unscored_ha


def slum_area(units: Iterable[tuple[Decimal, SlumClass | None]]) -> SlumAreaSummary:
    """Sum ``(luas_ha, class)`` pairs into a :class:`SlumAreaSummary`; None class = unscored."""
    micro_by_class = dict.fromkeys(SlumClass, 0)
    count_by_class = dict.fromkeys(SlumClass, 0)
    unscored_micro = unscored_count = 0
    for luas_ha, klass in units:
        micro = to_micro(luas_ha)
        if micro < 0:
            raise ValueError(f"negative unit area {luas_ha} ha")
        if klass is None:
            unscored_micro += micro
            unscored_count += 1
        else:
            micro_by_class[klass] += micro
            count_by_class[klass] += 1
    slum_micro = sum(micro_by_class[k] for k in SLUM_CLASSES)
    return SlumAreaSummary(
        slum_ha=micro_to_decimal(slum_micro),
        slum_count=sum(count_by_class[k] for k in SLUM_CLASSES),
        assessed_ha=micro_to_decimal(sum(micro_by_class.values())),
        assessed_count=sum(count_by_class.values()),
        ha_by_class={k: micro_to_decimal(m) for k, m in micro_by_class.items()},
        count_by_class=count_by_class,
        unscored_ha=micro_to_decimal(unscored_micro),
        unscored_count=unscored_count,
    )
