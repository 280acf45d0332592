"""Exact decimal arithmetic for survey values and percentages.

Input precision
    Every input value (volume, denominator, given percentage) is first quantized to 6 decimal
    places, ROUND_HALF_UP. Six decimals is the product's input precision: the programme data
    carry areas to the m² in hectares (0.000001 ha = 0.01 m²) and float noise such as
    ``-0.004623000000000044`` that must read as ``-0.004623``. After quantizing, a value is an
    integer number of *micro-units* (value × 10⁶), and all further arithmetic is integer
    arithmetic, which is exact.

Percentages
    Percentage = volume / denominator × 100, rounded half-up to 2 decimals on the *exact*
    rational value (Permen PUPR 14/2018 scores the percentage; binary floats turn 3.125 into
    3.12 and 24.995 into 24.99, which changes scores). A percentage is held as an integer number
    of hundredths (7756 = 77.56 %) or as a 2-dp ``Decimal``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

#: One micro-unit: the input precision (6 decimal places).
QUANTUM = Decimal("0.000001")
MICRO = 1_000_000
#: Hundredths in 100 %: a percentage in hundredths is ``volume × HUNDREDTHS_PER_RATIO / denom``.
HUNDREDTHS_PER_RATIO = 10_000

# Wide enough that quantizing any realistic value never loses integer digits.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)

RawValue = str | int | float | Decimal | None


def to_decimal6(value: RawValue) -> Decimal | None:
    """Parse a raw value to a Decimal quantized to 6 dp (ROUND_HALF_UP); ``None``/blank → None.

    Floats go through ``repr`` (the shortest string that round-trips), so ``0.1`` reads as
    ``0.1`` and not as its binary expansion. NaN and infinities raise ``ValueError``: a missing
    value must be ``None``, never a NaN that compares false with everything.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a survey value")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"cannot read {type(value).__name__} as a number")
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number.quantize(QUANTUM, context=_CONTEXT)


def to_micro(value: Decimal) -> int:
    """Integer micro-units of a value (quantized to 6 dp first): ``Decimal("1.5")`` → 1500000."""
    quantized = value.quantize(QUANTUM, context=_CONTEXT)
    return int(quantized.scaleb(6, context=_CONTEXT))


def parse_micro(value: RawValue) -> int | None:
    """:func:`to_decimal6` then :func:`to_micro`; ``None`` for a missing value."""
    number = to_decimal6(value)
    return None if number is None else to_micro(number)


def micro_to_decimal(micro: int) -> Decimal:
    """The 6-dp Decimal of a micro-unit count: 1500000 → ``Decimal("1.500000")``."""
    return Decimal(micro).scaleb(-6, context=_CONTEXT)


def format_micro(micro: int) -> str:
    """Canonical text of a micro-unit value (6 dp, no negative zero), used in issue values."""
    return str(micro_to_decimal(micro))


def round_half_up(numer: int, denom: int) -> int:
    """``numer / denom`` rounded to the nearest integer, ties away from zero, exactly.

    Symmetric for negatives (-2.5 → -3), so a negative volume rounds like its positive mirror.
    """
    if denom == 0:
        raise ZeroDivisionError("round_half_up with a zero denominator")
    if denom < 0:
        numer, denom = -numer, -denom
    quotient, remainder = divmod(abs(numer), denom)
    if 2 * remainder >= denom:
        quotient += 1
    return quotient if numer >= 0 else -quotient


def percent_hundredths(volume_micro: int, denom_micro: int) -> int:
    """Percentage in hundredths of ``volume / denom × 100``, rounded half-up on the exact value.

    ``percent_hundredths(3_125_000, 100_000_000)`` → 313 (3.125 % → 3.13 %).
    """
    return round_half_up(volume_micro * HUNDREDTHS_PER_RATIO, denom_micro)


def micro_percent_to_hundredths(percent_micro: int) -> int:
    """A given percentage in micro-units (6 dp) rounded half-up to hundredths (2 dp)."""
    return round_half_up(percent_micro, MICRO // 100)


def hundredths_to_decimal(hundredths: int) -> Decimal:
    """A percentage in hundredths as a 2-dp Decimal: 7756 → ``Decimal("77.56")``."""
    return Decimal(hundredths).scaleb(-2, context=_CONTEXT)


def decimal_to_hundredths(value: Decimal) -> int:
    """A percentage Decimal quantized to 6 dp, then rounded half-up to hundredths."""
    return micro_percent_to_hundredths(to_micro(value))


def mean_hundredths(values: list[int]) -> int:
    """Mean of percentages in hundredths, rounded half-up to hundredths (exact)."""
    if not values:
        raise ValueError("mean of no values")
    return round_half_up(sum(values), len(values))
