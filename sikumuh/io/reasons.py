"""The reasons of the readers' checks and of the engine's issues in the active language.

The checks speak English (logs, tests, the `score` command, which runs without Django); every
place a person reads a problem (the import wizards, the CLI's problem lines) shows it through
:func:`translated`, which knows each message's shape and writes its numbers the Indonesian way
("volume -10", "7,3"), not as the engine's canonical six-decimal text ("-10.000000"). A reason it
does not know is kept as it is (it is already translated, or it names the file's own words).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sikumuh.core.rows import Problem

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# A value the engine wrote (format_micro: six decimals), not a cell as the user wrote it.
_CANONICAL = re.compile(r"-?\d+\.\d{6,}")

# The groups that hold an amount (a volume, a denominator, a percentage): written in the active
# language's format. Rows, years and codes are left as they are.
_AMOUNTS = frozenset({"v", "d", "p"})

# (the English shape, the msgid): named groups become the msgid's parameters.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        # The engine (sikumuh.core.issues).
        (
            r"Criterion (?P<c>\w+): volume (?P<v>\S+) is negative;.*",
            gettext_noop(
                "criterion %(c)s: volume %(v)s is negative; a volume counts what is in bad "
                "condition"
            ),
        ),
        (
            r"Criterion (?P<c>\w+): denominator (?P<den>\w+) is missing\.",
            gettext_noop("criterion %(c)s: %(den)s is empty"),
        ),
        (
            r"Criterion (?P<c>\w+): denominator (?P<den>\w+) = (?P<d>\S+) is negative\.",
            gettext_noop("criterion %(c)s: %(den)s = %(d)s is negative"),
        ),
        (
            r"Criterion (?P<c>\w+): volume (?P<v>\S+) over a zero (?P<den>\w+);.*",
            gettext_noop("criterion %(c)s: volume %(v)s while %(den)s is 0"),
        ),
        (
            (
                r"Criterion (?P<c>\w+): volume (?P<v>\S+) is above its denominator (?P<den>\w+) = "
                r"(?P<d>\S+);.*"
            ),
            gettext_noop(
                "criterion %(c)s: volume %(v)s is above %(den)s = %(d)s; scored 5 and flagged"
            ),
        ),
        (
            r"Criterion (?P<c>\w+): given percentage (?P<p>\S+) is negative\.",
            gettext_noop("criterion %(c)s: percentage %(p)s is negative"),
        ),
        (
            r"Criterion (?P<c>\w+): given percentage (?P<p>\S+) is above 100; it scores 5\.",
            gettext_noop("criterion %(c)s: percentage %(p)s is above 100; scored 5"),
        ),
        (
            r"Criterion (?P<c>\w+): neither a volume nor a percentage is given\.",
            gettext_noop("criterion %(c)s: no volume given"),
        ),
        # Numbers (sikumuh.io.numbers).
        (r"not a number", gettext_noop("not a number")),
        (r"not a finite number", gettext_noop("not a number")),
        (r"not a number \((?P<kind>\w+) cell\)", gettext_noop("not a number")),
        (r"a true/false cell is not a number", gettext_noop("a true/false cell is not a number")),
        (
            r"too large for a survey value \(a trillion or more\)",
            gettext_noop("too large for a survey value (a trillion or more)"),
        ),
        (
            r"decimal comma in a file read with a decimal point",
            gettext_noop(
                "a decimal comma in a file whose numbers use a decimal point; write the file's "
                "numbers one way"
            ),
        ),
        (
            (
                r"not a number in this file's format: it writes decimals with a comma \(e\.g\. "
                r"(?P<example>.+)\), so a dot may only group thousands, as in 1\.218\.000,5"
            ),
            gettext_noop(
                "not a number in this file's format: it writes decimals with a comma (e.g. "
                "%(example)s), so a dot may only group thousands, as in 1.218.000,5"
            ),
        ),
        # The template (sikumuh.io.template, template_columns).
        (
            r"a count must be a whole number, 0 or more",
            gettext_noop("a count must be a whole number, 0 or more"),
        ),
        (r"a year must be four digits", gettext_noop("a year must be four digits")),
        (
            r"year outside (?P<low>\d+)–(?P<high>\d+)",
            gettext_noop("year outside %(low)s–%(high)s"),
        ),
        (r"empty; required", gettext_noop("empty; required")),
        (r"required column is missing", gettext_noop("required column is missing")),
        (r"duplicate column", gettext_noop("duplicate column")),
        (r"unknown column; it is ignored", gettext_noop("unknown column; it is ignored")),
        (
            (
                r"no column for criterion (?P<c>\w+): add (?P<v>\w+) \(volume\) or (?P<p>\w+) "
                r"\(percentage, legacy data\)"
            ),
            gettext_noop(
                "no column for criterion %(c)s: add %(v)s (volume) or %(p)s (percentage, "
                "legacy data)"
            ),
        ),
        (
            r"unknown rule set; known: (?P<known>.+)",
            gettext_noop("unknown rule set; known: %(known)s"),
        ),
        (r"unknown rule set", gettext_noop("unknown rule set")),
        (
            r"(?P<v>\w+) is given too; give the volume or the percentage, not both",
            gettext_noop("%(v)s is given too; give the volume or the percentage, not both"),
        ),
        (
            (
                r"criterion (?P<c>\w+) is not in rule set (?P<rules>\S+); leave it empty or use "
                r"rules (?P<legacy>\S+)"
            ),
            gettext_noop(
                "criterion %(c)s is not in rule set %(rules)s; leave it empty or use rules "
                "%(legacy)s"
            ),
        ),
        # The importer (sikumuh.io.importer).
        (r"unknown desa/kelurahan code", gettext_noop("unknown desa/kelurahan code")),
        (r"outside region (?P<region>\S+)", gettext_noop("outside region %(region)s")),
        (
            r"duplicate of row (?P<row>\S+) \(same kode_desa, lokasi, rt, tahun\)",
            gettext_noop("the same RT and year as row %(row)s"),
        ),
        (r"duplicate record id", gettext_noop("duplicate record id")),
        # motorkawanku's rejections by reason (sikumuh.io.motorkawanku).
        (
            r"stored figures not reproduced \(corrupt record\)",
            gettext_noop("stored figures not reproduced (corrupt record)"),
        ),
        (
            r"cannot be placed \(unknown RT or kawasan, kelurahan not resolved\)",
            gettext_noop("cannot be placed (unknown RT or kawasan, kelurahan not resolved)"),
        ),
        (r"negative volume in (?P<c>\w+)", gettext_noop("negative volume in %(c)s")),
    )
)


def number_text(text: str) -> str:
    """A number as the active language writes it, without the engine's trailing zeros:
    "-10.000000" → "-10", "7.30000000000000" → "7,3" (Indonesian); other text as it is."""
    if not _NUMBER.fullmatch(text):
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return text
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))  # "1E+1" → "10"
    return str(number_format(number, force_grouping=True))


def translated_reason(reason: str) -> str:
    """`reason` in the active language when its shape is known, else as it is."""
    for pattern, msgid in _SHAPES:
        match = pattern.fullmatch(reason)
        if match:
            values = {
                k: number_text(v) if k in _AMOUNTS else v for k, v in match.groupdict().items()
            }
            return _(msgid) % values
    return reason


def value_text(value: str | None) -> str | None:
    """A problem's value for a person: the engine's canonical decimals in the active language's
    format; a cell as the user wrote it stays as written."""
    if value is not None and _CANONICAL.fullmatch(value):
        return number_text(value)
    return value


def translated(problem: Problem) -> Problem:
    """The problem as a person reads it: reason translated, value in the language's format."""
    return replace(
        problem, reason=translated_reason(problem.reason), value=value_text(problem.value)
    )
