"""Data-quality issues (warnings and errors) as plain data.

An :class:`Issue` is what a form, an importer or a report shows beside a value. Codes are stable
(stored, filtered, translated by the interfaces); messages are English, for logs and tests.

Per criterion, the scoring code (per unit and batch alike) records the conditions it met as
:class:`CellFlag` bits; :func:`cell_issues` turns those bits into issues. Both paths share this
one function, so a row scored in batch reports exactly the issues :func:`score_unit` reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag

from sikumuh.core.decimals import format_micro

VOLUME_ABOVE_DENOMINATOR = "volume_above_denominator"
NEGATIVE_VOLUME = "negative_volume"
VOLUME_OVER_ZERO_DENOMINATOR = "volume_over_zero_denominator"
MISSING_VALUE = "missing_value"
MISSING_DENOMINATOR = "missing_denominator"
NEGATIVE_DENOMINATOR = "negative_denominator"
PERCENT_ABOVE_100 = "percent_above_100"
NEGATIVE_PERCENT = "negative_percent"
CANNOT_AGGREGATE_PERCENT = "cannot_aggregate_percent"
CANNOT_PROJECT_PERCENT = "cannot_project_percent"

#: Codes that leave the unit scored (shown flagged).
WARNING_CODES = frozenset(
    {VOLUME_ABOVE_DENOMINATOR, PERCENT_ABOVE_100, CANNOT_PROJECT_PERCENT},
)
#: Codes that leave the unit without a total and a class.
ERROR_CODES = frozenset(
    {
        NEGATIVE_VOLUME,
        VOLUME_OVER_ZERO_DENOMINATOR,
        MISSING_VALUE,
        MISSING_DENOMINATOR,
        NEGATIVE_DENOMINATOR,
        NEGATIVE_PERCENT,
        CANNOT_AGGREGATE_PERCENT,
    },
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about one value: ``field`` names the input (``volume``, ``percent`` or a
    header field), ``value`` its canonical 6-dp text."""

    code: str
    criterion: str | None
    field: str | None
    value: str | None
    message: str

    @property
    def is_error(self) -> bool:
        """True for codes that prevent a total and a class."""
        return self.code in ERROR_CODES


class CellFlag(IntFlag):
    """Conditions met while scoring one criterion of one unit (bit order = report order)."""

    NONE = 0
    NEGATIVE_VOLUME = 1
    MISSING_DENOMINATOR = 2
    NEGATIVE_DENOMINATOR = 4
    VOLUME_OVER_ZERO_DENOMINATOR = 8
    VOLUME_ABOVE_DENOMINATOR = 16
    NEGATIVE_PERCENT = 32
    PERCENT_ABOVE_100 = 64
    MISSING_VALUE = 128


WARNING_FLAGS = CellFlag.VOLUME_ABOVE_DENOMINATOR | CellFlag.PERCENT_ABOVE_100
ERROR_FLAGS = (
    CellFlag.NEGATIVE_VOLUME
    | CellFlag.MISSING_DENOMINATOR
    | CellFlag.NEGATIVE_DENOMINATOR
    | CellFlag.VOLUME_OVER_ZERO_DENOMINATOR
    | CellFlag.NEGATIVE_PERCENT
    | CellFlag.MISSING_VALUE
)


# The masks as plain ints: ``int & CellFlag.X`` would run IntFlag's slow ``__rand__``.
_NEGATIVE_VOLUME = int(CellFlag.NEGATIVE_VOLUME)
_MISSING_DENOMINATOR = int(CellFlag.MISSING_DENOMINATOR)
_NEGATIVE_DENOMINATOR = int(CellFlag.NEGATIVE_DENOMINATOR)
_VOLUME_OVER_ZERO_DENOMINATOR = int(CellFlag.VOLUME_OVER_ZERO_DENOMINATOR)
_VOLUME_ABOVE_DENOMINATOR = int(CellFlag.VOLUME_ABOVE_DENOMINATOR)
_NEGATIVE_PERCENT = int(CellFlag.NEGATIVE_PERCENT)
_PERCENT_ABOVE_100 = int(CellFlag.PERCENT_ABOVE_100)
_MISSING_VALUE = int(CellFlag.MISSING_VALUE)


def cell_issues(
    criterion: str,
    denominator: str,
    flags: int,
    volume_micro: int | None,
    denom_micro: int | None,
    percent_micro: int | None,
) -> tuple[list[Issue], list[Issue]]:
    """Warnings and errors for one criterion's flags, in :class:`CellFlag` bit order."""
    flags = int(flags)
    warnings: list[Issue] = []
    errors: list[Issue] = []
    vol = format_micro(volume_micro) if volume_micro is not None else None
    den = format_micro(denom_micro) if denom_micro is not None else None
    pct = format_micro(percent_micro) if percent_micro is not None else None
    if flags & _NEGATIVE_VOLUME:
        errors.append(
            Issue(
                NEGATIVE_VOLUME,
                criterion,
                "volume",
                vol,
                f"Criterion {criterion}: volume {vol} is negative; a volume counts what is in "
                "bad condition and cannot be below zero.",
            )
        )
    if flags & _MISSING_DENOMINATOR:
        errors.append(
            Issue(
                MISSING_DENOMINATOR,
                criterion,
                denominator,
                None,
                f"Criterion {criterion}: denominator {denominator} is missing.",
            )
        )
    if flags & _NEGATIVE_DENOMINATOR:
        errors.append(
            Issue(
                NEGATIVE_DENOMINATOR,
                criterion,
                denominator,
                den,
                f"Criterion {criterion}: denominator {denominator} = {den} is negative.",
            )
        )
    if flags & _VOLUME_OVER_ZERO_DENOMINATOR:
        errors.append(
            Issue(
                VOLUME_OVER_ZERO_DENOMINATOR,
                criterion,
                "volume",
                vol,
                f"Criterion {criterion}: volume {vol} over a zero {denominator}; "
                "the percentage is undefined.",
            )
        )
    if flags & _VOLUME_ABOVE_DENOMINATOR:
        warnings.append(
            Issue(
                VOLUME_ABOVE_DENOMINATOR,
                criterion,
                "volume",
                vol,
                f"Criterion {criterion}: volume {vol} is above its denominator "
                f"{denominator} = {den}; the percentage is above 100 and scores 5.",
            )
        )
    if flags & _NEGATIVE_PERCENT:
        errors.append(
            Issue(
                NEGATIVE_PERCENT,
                criterion,
                "percent",
                pct,
                f"Criterion {criterion}: given percentage {pct} is negative.",
            )
        )
    if flags & _PERCENT_ABOVE_100:
        warnings.append(
            Issue(
                PERCENT_ABOVE_100,
                criterion,
                "percent",
                pct,
                f"Criterion {criterion}: given percentage {pct} is above 100; it scores 5.",
            )
        )
    if flags & _MISSING_VALUE:
        errors.append(
            Issue(
                MISSING_VALUE,
                criterion,
                "volume",
                None,
                f"Criterion {criterion}: neither a volume nor a percentage is given.",
            )
        )
    return warnings, errors
