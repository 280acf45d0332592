"""Scoring one unit (RT, location, desa, ...): percentages, scores, total, class.

Permen PUPR 14/2018 Lampiran (penilaian tingkat kekumuhan): for each criterion the share of the
unit in bad condition, ``volume / denominator × 100``, is scored 0/1/3/5 by the rule set's bands;
the total of the scores gives the class. The rules for bad data are the product's (criteria.md §2):

* a volume above its denominator is kept as computed (> 100 %, not capped), scores 5, warning;
* a negative volume is an error; its percentage and score are still computed (a negative
  percentage scores 0, as the programme's stored scores show) but the unit gets no total/class;
* zero volume over a zero denominator is 0 %; a non-zero volume over zero is an error;
* a missing value, or a missing or negative denominator, is an error;
* legacy data may give a percentage instead of a volume ("percentage only"): it is used for
  that criterion (a volume, when present, wins); above 100 warns, below 0 is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sikumuh.core.criteria import HEADER_FIELDS, PERMEN_PUPR_14_2018, RuleSet, SlumClass
from sikumuh.core.decimals import (
    MICRO,
    RawValue,
    decimal_to_hundredths,
    hundredths_to_decimal,
    mean_hundredths,
    micro_percent_to_hundredths,
    percent_hundredths,
    to_decimal6,
    to_micro,
)
from sikumuh.core.issues import CellFlag, Issue, cell_issues

#: The cap applied to percentages before averaging them into aspect means (0–100 %).
_CAP_HUNDREDTHS = 100 * 100


@dataclass(frozen=True)
class UnitInput:
    """What is known of one unit: header denominators, volumes and/or given percentages.

    Values are Decimals (quantized to 6 dp when scored) or ``None`` for missing. ``issues`` are
    findings made while building the input (aggregation, projection); scoring reports them.
    """

    header: Mapping[str, Decimal | None]
    volumes: Mapping[str, Decimal | None]
    percents: Mapping[str, Decimal | None] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.header) - set(HEADER_FIELDS))
        if unknown:
            raise ValueError(f"unknown header field(s): {', '.join(unknown)}")
        # Private copies: a frozen input must not change when the caller's dict does.
        object.__setattr__(self, "header", dict(self.header))
        object.__setattr__(self, "volumes", dict(self.volumes))
        object.__setattr__(self, "percents", dict(self.percents))

    @classmethod
    def from_values(
        cls,
        *,
        header: Mapping[str, RawValue],
        volumes: Mapping[str, RawValue],
        percents: Mapping[str, RawValue] | None = None,
    ) -> UnitInput:
        """Build an input from raw values (str/int/float/Decimal/None), quantized to 6 dp."""
        return cls(
            header={k: to_decimal6(v) for k, v in header.items()},
            volumes={k: to_decimal6(v) for k, v in volumes.items()},
            percents={k: to_decimal6(v) for k, v in (percents or {}).items()},
        )


@dataclass(frozen=True)
class UnitResult:
    """Scores of one unit under one rule set; ``total``/``klass`` are None when it has errors.

    ``aspect_means`` (rata-rata kondisi per aspek) average the aspect's percentages after
    capping each to 0–100, rounded half-up to 2 dp; ``None`` when a percentage is unknown. The
    programme data clip negatives to 0 but do not cap above 100; capping both keeps every mean
    inside 0–100 so it reads as a share of the unit. ``sectoral_mean`` (rata-rata kekumuhan
    sektoral) is the mean of the aspect means. Both average the displayed 2-dp percentages, so a
    reader can recompute them from the table.
    """

    rule_set_id: str
    percent: dict[str, Decimal | None]
    score: dict[str, int | None]
    total: int | None
    klass: SlumClass | None
    aspect_means: dict[int, Decimal | None]
    sectoral_mean: Decimal | None
    warnings: tuple[Issue, ...]
    errors: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when the unit has no error (it then has a total and a class)."""
        return not self.errors


def score_cell(
    volume_micro: int | None,
    denom_micro: int | None,
    percent_micro: int | None,
    rule_set: RuleSet,
) -> tuple[int | None, int | None, int]:
    """Percentage (hundredths), score and :class:`CellFlag` bits of one criterion of one unit.

    This is the scalar definition of the rules in the module docstring; ``batch.score_batch``
    is its vectorised twin and is tested against it.
    """
    flags = CellFlag.NONE
    if volume_micro is not None:
        if volume_micro < 0:
            flags |= CellFlag.NEGATIVE_VOLUME
        if denom_micro is None:
            return None, None, flags | CellFlag.MISSING_DENOMINATOR
        if denom_micro < 0:
            return None, None, flags | CellFlag.NEGATIVE_DENOMINATOR
        if denom_micro == 0:
            if volume_micro != 0:
                return None, None, flags | CellFlag.VOLUME_OVER_ZERO_DENOMINATOR
            hundredths = 0
        else:
            hundredths = percent_hundredths(volume_micro, denom_micro)
            if volume_micro > denom_micro:
                flags |= CellFlag.VOLUME_ABOVE_DENOMINATOR
    elif percent_micro is not None:
        hundredths = micro_percent_to_hundredths(percent_micro)
        if percent_micro < 0:
            flags |= CellFlag.NEGATIVE_PERCENT
        if percent_micro > 100 * MICRO:
            flags |= CellFlag.PERCENT_ABOVE_100
    else:
        return None, None, CellFlag.MISSING_VALUE
    return hundredths, rule_set.score_for_hundredths(hundredths), int(flags)


def score_percent(percent: Decimal, rule_set: RuleSet = PERMEN_PUPR_14_2018) -> int:
    """Score of a percentage (rounded half-up to 2 dp first): 75.995 → 76.00 → 5."""
    return rule_set.score_for_hundredths(decimal_to_hundredths(percent))


def classify(total: int, rule_set: RuleSet = PERMEN_PUPR_14_2018) -> SlumClass:
    """Class of a total score under a rule set (2018: 60 berat, 38 sedang, 16 ringan)."""
    if not 0 <= total <= rule_set.max_total:
        raise ValueError(f"total {total} outside 0–{rule_set.max_total} for {rule_set.id}")
    return rule_set.class_for_total(total)


def _micro(value: Decimal | None) -> int | None:
    if value is None:
        return None
    number = to_decimal6(value)
    return None if number is None else to_micro(number)


def check_codes(codes: set[str], rule_set: RuleSet, what: str) -> None:
    """Refuse values for criteria the rule set does not have (data scored with the wrong set)."""
    unknown = sorted(codes - set(rule_set.codes))
    if unknown:
        raise ValueError(f"{what} for criteria not in {rule_set.id}: {', '.join(unknown)}")


def aspect_means_hundredths(
    hundredths: Mapping[str, int | None], rule_set: RuleSet
) -> tuple[dict[int, int | None], int | None]:
    """Aspect means and their mean (hundredths) from per-criterion percentages, capped 0–100."""
    means: dict[int, int | None] = {}
    for aspect, criteria in rule_set.aspects.items():
        values = [hundredths[c.code] for c in criteria]
        capped = [min(max(v, 0), _CAP_HUNDREDTHS) for v in values if v is not None]
        means[aspect] = mean_hundredths(capped) if len(capped) == len(values) else None
    known = [m for m in means.values() if m is not None]
    sectoral = mean_hundredths(known) if len(known) == len(means) else None
    return means, sectoral


def score_unit(unit: UnitInput, rule_set: RuleSet = PERMEN_PUPR_14_2018) -> UnitResult:
    """Score one unit under a rule set (Permen PUPR 14/2018 unless told otherwise)."""
    check_codes(set(unit.volumes), rule_set, "volumes")
    check_codes(set(unit.percents), rule_set, "percentages")
    warnings = [i for i in unit.issues if not i.is_error]
    errors = [i for i in unit.issues if i.is_error]
    # A criterion an input error already explains (e.g. cannot_aggregate_percent) is not
    # reported a second time as missing.
    explained = {i.criterion for i in errors}
    hundredths: dict[str, int | None] = {}
    score: dict[str, int | None] = {}
    header = {name: _micro(unit.header.get(name)) for name in HEADER_FIELDS}
    for criterion in rule_set.criteria:
        code = criterion.code
        volume = _micro(unit.volumes.get(code))
        denom = header[criterion.denominator]
        percent = _micro(unit.percents.get(code))
        h, s, flags = score_cell(volume, denom, percent, rule_set)
        if flags == CellFlag.MISSING_VALUE and code in explained:
            flags = CellFlag.NONE
        hundredths[code], score[code] = h, s
        if flags:
            w, e = cell_issues(code, criterion.denominator, flags, volume, denom, percent)
            warnings.extend(w)
            errors.extend(e)
    total: int | None = None
    klass: SlumClass | None = None
    if not errors:
        total = sum(s for s in score.values() if s is not None)
        klass = rule_set.class_for_total(total)
    means, sectoral = aspect_means_hundredths(hundredths, rule_set)
    return UnitResult(
        rule_set_id=rule_set.id,
        percent={c: None if h is None else hundredths_to_decimal(h) for c, h in hundredths.items()},
        score=score,
        total=total,
        klass=klass,
        aspect_means={a: None if m is None else hundredths_to_decimal(m) for a, m in means.items()},
        sectoral_mean=None if sectoral is None else hundredths_to_decimal(sectoral),
        warnings=tuple(warnings),
        errors=tuple(errors),
    )
