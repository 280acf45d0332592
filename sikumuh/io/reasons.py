"""The reasons of the template's checks and of the engine's issues in the active language.

The checks speak English (logs, tests, the template's CLI); an importer whose users read
Indonesian (the phone survey's, whose surveyors meet these messages) shows them through
:func:`translated`, which knows each message's shape. A reason it does not know is kept as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sikumuh.io.rows import Problem

# (the English shape, the msgid): named groups become the msgid's parameters.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            r"Criterion (?P<c>\w+): volume \S+ is negative;.*",
            gettext_noop(
                "criterion %(c)s: the volume is negative; it counts what is in bad condition"
            ),
        ),
        (
            r"Criterion (?P<c>\w+): denominator (?P<den>\w+) is missing\.",
            gettext_noop("criterion %(c)s: %(den)s is empty"),
        ),
        (
            r"Criterion (?P<c>\w+): denominator (?P<den>\w+) = \S+ is negative\.",
            gettext_noop("criterion %(c)s: %(den)s is negative"),
        ),
        (
            r"Criterion (?P<c>\w+): volume \S+ over a zero (?P<den>\w+);.*",
            gettext_noop("criterion %(c)s: a volume above 0 while %(den)s is 0"),
        ),
        (
            r"Criterion (?P<c>\w+): volume \S+ is above its denominator (?P<den>\w+) = \S+;.*",
            gettext_noop("criterion %(c)s: the volume is above %(den)s; scored 5 and flagged"),
        ),
        (
            r"Criterion (?P<c>\w+): neither a volume nor a percentage is given\.",
            gettext_noop("criterion %(c)s: no volume given"),
        ),
        (r"not a number", gettext_noop("not a number")),
        (
            r"a count must be a whole number, 0 or more",
            gettext_noop("a count must be a whole number, 0 or more"),
        ),
        (r"a year must be four digits", gettext_noop("a year must be four digits")),
        (
            r"year outside (?P<low>\d+)–(?P<high>\d+)",
            gettext_noop("year outside %(low)s–%(high)s"),
        ),
        (r"unknown desa/kelurahan code", gettext_noop("unknown desa/kelurahan code")),
        (r"outside region (?P<region>\S+)", gettext_noop("outside region %(region)s")),
        (
            r"duplicate of row (?P<row>\S+) \(same kode_desa, lokasi, rt, tahun\)",
            gettext_noop("the same RT and year as row %(row)s"),
        ),
    )
)


def translated_reason(reason: str) -> str:
    """`reason` in the active language when its shape is known, else as it is."""
    for pattern, msgid in _SHAPES:
        match = pattern.fullmatch(reason)
        if match:
            return _(msgid) % match.groupdict()
    return reason


def translated(problem: Problem) -> Problem:
    return replace(problem, reason=translated_reason(problem.reason))
