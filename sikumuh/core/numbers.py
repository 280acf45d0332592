"""Figures as pages print them: rounded half-up, thousands grouped ("1.234,57" in Bahasa Indonesia).

`group_number` gives exactly what Django's ``floatformat(value, "<places>g")`` gives under a
locale grouping by three, which is what the number filters of the pages and reports showed
first; it is here because that filter costs about ten times more (it builds the text digit by
digit, then looks the separators up again) and the dashboards print thousands of figures a
second under load. The rules it keeps, all of floatformat's:

- A float goes through ``str`` (its shortest repr), so ``2.675`` rounds to ``2.68``, not to its
  binary expansion's ``2.67``.
- ``places`` > 0: exactly that many decimals. ``places`` ≤ 0: a whole number prints with no
  decimals, any other with ``abs(places)`` decimals (``num:-2``: "3" but "3,50").
- Rounding half-up (away from zero) on the exact decimal value; a value that rounds to zero
  loses its minus sign ("0,00", never "-0,00").

Anything else — other types, NaN or infinities, more than 200 digits, more than
`MAX_PLACES` decimals — answers ``None``: the caller then uses floatformat itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

#: Beyond this many decimals the caller falls back to floatformat (no page asks for that many).
MAX_PLACES = 20
#: floatformat prints values with more digits (plus exponent) than this "as is".
_MAX_DIGITS = 200
# Wide enough that quantizing any value under the digit cut-off to MAX_PLACES never overflows.
_CONTEXT = Context(prec=2 * _MAX_DIGITS + MAX_PLACES + 1, rounding=ROUND_HALF_UP)
_INT_LIMIT = 10**_MAX_DIGITS
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(MAX_PLACES + 1)}


def group_number(value: object, places: int, decimal_sep: str, thousand_sep: str) -> str | None:
    """``value`` rounded to ``places`` as floatformat does, thousands grouped by three with
    ``thousand_sep``, decimals after ``decimal_sep``; None when floatformat must do it."""
    kind = type(value)
    if kind is int:  # not bool, whose str is "True"
        if places <= 0 and -_INT_LIMIT < value < _INT_LIMIT:
            return _separate(f"{value:,}", decimal_sep, thousand_sep)
        number = Decimal(value)  # type: ignore[arg-type]  # an int, checked above
    elif kind is Decimal:
        number = value  # type: ignore[assignment]  # a Decimal, checked above
    elif kind is float:
        number = Decimal(str(value))
    else:
        return None
    if not number.is_finite() or abs(places) > MAX_PLACES:
        return None
    _, digits, exponent = number.as_tuple()
    if len(digits) + abs(exponent) > _MAX_DIGITS:  # type: ignore[arg-type]  # finite: an int
        return None
    if places <= 0 and number == number.to_integral_value():
        return _separate(f"{int(number):,}", decimal_sep, thousand_sep)
    rounded = number.quantize(_QUANTUM[abs(places)], ROUND_HALF_UP, _CONTEXT)
    if not rounded:
        rounded = rounded.copy_abs()  # "-0.00" → "0.00"
    return _separate(f"{rounded:,f}", decimal_sep, thousand_sep)


def _separate(text: str, decimal_sep: str, thousand_sep: str) -> str:
    """Python's "1,234.5" with the locale's separators, both swapped at once (str.replace
    three times: a third of what str.translate takes on such short texts)."""
    return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", thousand_sep)
