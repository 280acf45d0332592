"""Reading numbers from spreadsheet cells, Indonesian style or plain.

Survey files come from Indonesian Excel (``1.218,50``: dot groups thousands, comma is the decimal
mark), from plain CSV exports (``1218.5``) and from XLSX cells that python-calamine hands back as
floats. Every value is quantized half-up to 6 decimals, the product's input precision
(:mod:`sikumuh.core.decimals`); a float goes through ``repr`` first so ``0.1`` reads as ``0.1``.

The ambiguous cell: the number format is chosen per FILE
    ``1.218`` is 1218 in Indonesian writing and 1.218 in plain writing. A single cell cannot tell,
    so the file decides: if any numeric cell of the file shows the Indonesian convention (a decimal
    comma, ``0,5`` or ``1.218,50``, or dot-grouped thousands such as ``1.218.000``), every dot in
    the file groups thousands and ``1.218`` is 1218; a dot that cannot group thousands
    (``1218.5``) is then an error, because the file mixes conventions. Otherwise the dot is the
    decimal mark and ``1.218`` is 1.218. A comma is never a thousands separator: ``1,218`` is
    1.218 and ``1,218.50`` is refused.

Other rules
    Empty cells and ``-`` are missing (``None``). Only ASCII digits, one optional leading sign.
    Values of a trillion or more are refused: no survey value comes near, and the batch scorer
    keeps every value in int64 micro-units.

:func:`parse_number` is the definition; :func:`parse_column` is its vectorised twin for whole
columns (NumPy over the cells' code points, exact integer arithmetic), and it hands every cell it
cannot read on the fast path to :func:`parse_number`, so both always agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sikumuh.core.batch import MISSING, to_micro_array
from sikumuh.core.decimals import to_decimal6, to_micro

I64 = NDArray[np.int64]

#: Values at or above this (in absolute value) are refused as garbage.
LIMIT = Decimal(10) ** 12

_PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_INDONESIAN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
# A cell that shows the Indonesian convention: a decimal comma, or two or more grouping dots.
_EVIDENCE = re.compile(
    r"\s*[+-]?(?:(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+|[0-9]{1,3}(?:\.[0-9]{3}){2,})\s*"
)
_EVIDENCE_IN = re.compile(r"(?:^|\x00)(" + _EVIDENCE.pattern + r")(?=\x00|$)")
_EMPTY = frozenset({"", "-"})
#: Longer cells go to the per-cell path: one long cell would widen the whole column's matrix.
MAX_FAST_LENGTH = 24


@dataclass(frozen=True)
class NumberFormat:
    """The file's convention: ``decimal_comma`` with the first cell that showed it."""

    decimal_comma: bool = False
    evidence: str | None = None


DOT_DECIMAL = NumberFormat()


class NumberError(ValueError):
    """A cell that is not a number; ``text`` is the cell as written, ``reason`` says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.text = text
        self.reason = reason


def cell_text(value: object) -> str:
    """A cell as text, for identity columns and messages: strings stripped, whole floats without
    ``.0`` (calamine reads the RT ``3`` as ``3.0``), other floats by ``repr``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shows_decimal_comma(text: str) -> bool:
    """True for a cell written the Indonesian way: ``0,5``, ``1.218,50`` or ``1.218.000``."""
    return _EVIDENCE.fullmatch(text) is not None


def detect_format(columns: Iterable[Sequence[object]]) -> NumberFormat:
    """The number format of a file from its numeric columns (see the module docstring)."""
    for cells in columns:
        texts = [c for c in cells if type(c) is str]
        joined = "\x00".join(texts)
        if joined.count("\x00") == max(len(texts) - 1, 0):
            # One C-level scan per column; cells are separated by a NUL no cell contains.
            match = _EVIDENCE_IN.search(joined)
            if match:
                return NumberFormat(decimal_comma=True, evidence=match.group(1).strip())
            continue
        for text in texts:  # a cell holds a NUL: judge cell by cell
            if _EVIDENCE.fullmatch(text):
                return NumberFormat(decimal_comma=True, evidence=text.strip())
    return DOT_DECIMAL


def parse_number(value: object, fmt: NumberFormat = DOT_DECIMAL) -> Decimal | None:
    """A cell as a Decimal quantized to 6 dp, ``None`` when empty; :class:`NumberError` else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(str(value), "a true/false cell is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise NumberError(repr(value), "not a finite number")
        number = to_decimal6(value)
    elif isinstance(value, str):
        text = value.strip()
        if text in _EMPTY:
            return None
        number = to_decimal6(_normalise(text, fmt))
    else:
        raise NumberError(cell_text(value), f"not a number ({type(value).__name__} cell)")
    assert number is not None
    if abs(number) >= LIMIT:
        raise NumberError(cell_text(value), "too large for a survey value (a trillion or more)")
    return number


def _normalise(text: str, fmt: NumberFormat) -> str:
    """``text`` in plain decimal-point writing, or :class:`NumberError`."""
    if not fmt.decimal_comma:
        if _PLAIN.fullmatch(text):
            return text
        if _INDONESIAN.fullmatch(text) and "," in text:
            raise NumberError(text, "decimal comma in a file read with a decimal point")
        raise NumberError(text, "not a number")
    if _INDONESIAN.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _PLAIN.fullmatch(text):
        raise NumberError(
            text,
            f"not a number in this file's format: it writes decimals with a comma (e.g. "
            f"{fmt.evidence!r}), so a dot may only group thousands, as in 1.218.000,5",
        )
    raise NumberError(text, "not a number")


@dataclass
class ParsedColumn:
    """A column in micro-units (:data:`MISSING` where empty or bad) and its bad cells."""

    micro: I64
    errors: dict[int, NumberError] = field(default_factory=dict)


def parse_column(cells: Sequence[object], fmt: NumberFormat = DOT_DECIMAL) -> ParsedColumn:
    """Every cell of a column, as :func:`parse_number` reads it, in integer micro-units."""
    n = len(cells)
    micro = np.full(n, MISSING, dtype=np.int64)
    errors: dict[int, NumberError] = {}
    kinds = set(map(type, cells))
    strings: list[str]
    if kinds <= {str}:
        strings, string_index = list(cells), None  # type: ignore[arg-type]  # all str
    else:
        is_str = [type(c) is str for c in cells]
        string_index = np.flatnonzero(is_str)
        strings = [str(cells[i]) for i in string_index.tolist()]
        is_float = np.fromiter((type(c) is float for c in cells), bool, n)
        floats = np.flatnonzero(is_float)
        float_cells = [cells[i] for i in floats.tolist()]
        fast = _floats_to_micro(np.array(float_cells, dtype=np.float64))
        micro[floats] = fast
        slow = [i for i in range(n) if not is_str[i] and not is_float[i]]
        slow.extend(floats[fast == MISSING].tolist())
        _slow(cells, slow, fmt, micro, errors)
    if strings:
        values, route = _strings_to_micro(strings, fmt)
        index = np.arange(n) if string_index is None else string_index
        micro[index] = values
        _slow(cells, index[route].tolist(), fmt, micro, errors)
    return ParsedColumn(micro, dict(sorted(errors.items())))


def _slow(
    cells: Sequence[object],
    index: Iterable[int],
    fmt: NumberFormat,
    micro: I64,
    errors: dict[int, NumberError],
) -> None:
    """The exact per-cell path, for the few cells the vectorised path does not read."""
    for i in index:
        try:
            number = parse_number(cells[i], fmt)
        except NumberError as exc:
            errors[i] = exc.with_traceback(None)  # no frames (and their columns) kept alive
            micro[i] = MISSING
            continue
        micro[i] = MISSING if number is None else to_micro(number)


def _floats_to_micro(x: NDArray[np.float64]) -> I64:
    """Finite floats below the limit through the batch scorer's exact float path; the rest
    :data:`MISSING`, for the per-cell path to judge."""
    out = np.full(x.shape, MISSING, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(x) & (np.abs(x) < 1e11)
    out[ok] = to_micro_array(x[ok])
    return out


def _strings_to_micro(strings: list[str], fmt: NumberFormat) -> tuple[I64, NDArray[np.bool_]]:
    """``(micro, route)`` of string cells; ``route`` marks cells left to the per-cell path."""
    n = len(strings)
    micro = np.full(n, MISSING, dtype=np.int64)
    route = np.zeros(n, dtype=bool)
    if "" in strings:  # empty cells are missing as they are; sparse columns (p_*) read fast
        todo = np.flatnonzero(np.fromiter(map(bool, strings), bool, n))
        subset = [strings[i] for i in todo.tolist()]
    else:
        todo, subset = np.arange(n), strings
    if subset:
        values, ok = _read_codes(subset, fmt)
        micro[todo[ok]] = values[ok]
        route[todo[~ok]] = True
    return micro, route


def _read_codes(strings: list[str], fmt: NumberFormat) -> tuple[I64, NDArray[np.bool_]]:
    """Read strings from their code points (:func:`parse_codes`): ``(micro, ok)``. A cell that
    is not ``ok`` may be empty, valid with 7+ decimals, or invalid: the per-cell path decides."""
    n = len(strings)
    text = np.strings.strip(np.array(strings, dtype=np.str_))
    width = text.dtype.itemsize // 4
    if width == 0 or width > MAX_FAST_LENGTH:
        # All blank; or one long cell would widen every row's matrix: leave it to the per-cell
        # path, row by row (rare: no number in a survey file is that long).
        if width == 0:
            return np.full(n, MISSING, dtype=np.int64), np.zeros(n, dtype=bool)
        short = np.strings.str_len(text) <= MAX_FAST_LENGTH
        values = np.full(n, MISSING, dtype=np.int64)
        ok = np.zeros(n, dtype=bool)
        index = np.flatnonzero(short)
        if index.size:
            # Stripped: a short number padded past the width would otherwise come back here
            # as wide as before, for ever.
            short_cells = [strings[i].strip() for i in index.tolist()]
            values[index], ok[index] = _read_codes(short_cells, fmt)
        return values, ok
    codes = np.ascontiguousarray(text.view(np.uint32).reshape(n, width).T)
    values, ok = parse_codes(codes, fmt)
    if "\x00" in "".join(strings):  # NumPy pads with NUL: a real NUL must not read as padding
        ok &= np.fromiter(("\x00" not in s for s in strings), bool, n)
    return values, ok


# Character classes: a digit its value (0–9), then these.
_MARK, _GROUP, _PAD, _OTHER, _SIGN = 10, 11, 12, 13, 14


def _classes(decimal_comma: bool) -> NDArray[np.uint8]:
    """Byte → class: digits 0–9 their value, the decimal mark, a grouping dot (a decimal-comma
    file's ``.``), the padding NUL, a sign, anything else."""
    table = np.full(256, _OTHER, dtype=np.uint8)
    table[ord("0") : ord("9") + 1] = np.arange(10)
    table[ord(",") if decimal_comma else ord(".")] = _MARK
    if decimal_comma:
        table[ord(".")] = _GROUP
    table[0] = _PAD
    table[[ord("+"), ord("-")]] = _SIGN
    return table


_CLASSES = {False: _classes(False), True: _classes(True)}
_MAX_INTEGER_DIGITS, _MAX_DECIMALS = 12, 6


def _step(state: tuple[Any, ...], c: int) -> tuple[Any, ...]:
    """The cell grammar of :func:`_normalise` (``_PLAIN``, and ``_INDONESIAN`` with its
    grouping dots) read one character class at a time, up to 12 integer digits and 6
    decimals (longer cells are left to the per-cell path). States: ``start``, ``sign``,
    ``int`` (digits), ``grouped`` (digits, digits since the last dot), ``decimals`` (count),
    ``end`` (decimals; only padding may follow) and ``dead``."""
    kind, *counts = state
    digit = c < _MARK
    if kind == "start":
        return ("int", 1) if digit else ("sign",) if c == _SIGN else ("dead",)
    if kind == "sign":
        return ("int", 1) if digit else ("dead",)
    if kind == "int":
        (n,) = counts
        if digit:
            return ("int", n + 1) if n < _MAX_INTEGER_DIGITS else ("dead",)
        if c == _GROUP:  # the first group: 1–3 digits
            return ("grouped", n, 0) if n <= 3 else ("dead",)
        return {_MARK: ("decimals", 0), _PAD: ("end", 0)}.get(c, ("dead",))
    if kind == "grouped":
        n, g = counts
        if digit:
            return ("grouped", n + 1, g + 1) if g < 3 and n < _MAX_INTEGER_DIGITS else ("dead",)
        if g != 3:  # a group is exactly 3 digits
            return ("dead",)
        return {_GROUP: ("grouped", n, 0), _MARK: ("decimals", 0), _PAD: ("end", 0)}.get(
            c, ("dead",)
        )
    if kind == "decimals":
        (f,) = counts
        if digit:
            return ("decimals", f + 1) if f < _MAX_DECIMALS else ("dead",)
        return ("end", f) if c == _PAD and f > 0 else ("dead",)
    if kind == "end":
        return state if c == _PAD else ("dead",)
    return ("dead",)


def _automaton() -> tuple[NDArray[np.uint16], NDArray[np.bool_], I64, int]:
    """The grammar as a table over PAIRS of classes (``state << 8 | a << 4 | b`` → state, two
    characters a step), the accepting states, their decimals, and the start state."""
    states: list[tuple[Any, ...]] = [("dead",), ("start",), ("sign",)]
    states += [("int", n) for n in range(1, _MAX_INTEGER_DIGITS + 1)]
    states += [("grouped", n, g) for n in range(1, _MAX_INTEGER_DIGITS + 1) for g in range(4)]
    states += [(kind, f) for kind in ("decimals", "end") for f in range(_MAX_DECIMALS + 1)]
    number = {state: k for k, state in enumerate(states)}
    table = np.zeros(len(states) << 8, dtype=np.uint16)
    for state in states:
        for a in range(16):
            for b in range(16):
                table[number[state] << 8 | a << 4 | b] = number[_step(_step(state, a), b)]
    ends = [state for state in states if state[0] == "end"]
    accept = np.isin(np.arange(len(states)), [number[s] for s in ends])
    decimals = np.zeros(len(states), dtype=np.int64)
    decimals[[number[s] for s in ends]] = [s[1] for s in ends]
    return table, accept, decimals, number[("start",)]


_STEP, _ACCEPT, _DECIMALS, _START = _automaton()


def _pairs() -> tuple[I64, I64]:
    """For two character classes ``a << 4 | b``: 10 to the power of their digit count, and the
    value of their digits (``3``, ``5`` → 100, 35; ``3``, mark → 10, 3)."""
    shift = np.ones(256, dtype=np.int64)
    value = np.zeros(256, dtype=np.int64)
    for a in range(16):
        for b in range(16):
            for c in (a, b):
                if c < _MARK:
                    shift[a << 4 | b] *= 10
                    value[a << 4 | b] = value[a << 4 | b] * 10 + c
    return shift, value


_PAIR_SHIFT, _PAIR_VALUE = _pairs()
_POW10 = 10 ** np.arange(19, dtype=np.int64)


def parse_codes(
    codes: NDArray[np.unsignedinteger[Any]], fmt: NumberFormat
) -> tuple[I64, NDArray[np.bool_]]:
    """Numbers from character codes laid out one cell per COLUMN (``codes[i, k]`` is character
    ``i`` of cell ``k``, 0-padded; cells stripped): ``(micro, ok)``. A cell that is not ``ok``
    is for the per-cell path. Column layout: each step reads whole rows of characters.

    Two characters a step, the automaton of :func:`_step` checks the cell's grammar while
    Horner's rule reads its digits (marks and padding skipped) as one integer N; with f
    decimals the value is N × 10^(6 - f) micro-units, exact in int64 (at most 18 digits).
    The padding ends each cell: no lengths needed.
    """
    width, n = codes.shape
    if codes.dtype != np.uint8:
        codes = np.minimum(codes, 255).astype(np.uint8)  # beyond ASCII is "other" anyway
    cls = _CLASSES[fmt.decimal_comma].take(codes)
    state = np.full(n, _START, dtype=np.uint16)
    number = np.zeros(n, dtype=np.int64)
    for i in range(0, width, 2):
        # Classes are below 16: a pair of them is one byte (the last one padded if need be).
        pair = cls[i] << np.uint8(4)
        pair |= cls[i + 1] if i + 1 < width else np.uint8(_PAD)
        number *= _PAIR_SHIFT.take(pair)
        number += _PAIR_VALUE.take(pair)
        state <<= 8
        state |= pair
        state = _STEP.take(state)
    if width % 2 == 0:  # the cell must be followed by padding: one more step over it
        state <<= 8
        state |= np.uint16(_PAD << 4 | _PAD)
        state = _STEP.take(state)
    values = number * _POW10.take(6 - _DECIMALS.take(state))
    np.negative(values, out=values, where=codes[0] == ord("-"))
    return values, _ACCEPT.take(state)
