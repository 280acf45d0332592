"""The RT form's values: read as typed, scored by the core engine, issues placed by field.

A form value is one number typed by one person, so (unlike a file, :mod:`sikumuh.io.numbers`)
there is no file-wide convention to detect: a comma or a point is the decimal mark, and a number
that has both (``1.218,5``) is refused rather than guessed. Counts (buildings, people,
households) must be whole numbers, as in the template (a typed ``1.218`` meant as 1218 would
otherwise silently divide every building criterion by 1.218).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.core import issues as codes
from sikumuh.core.criteria import HEADER_FIELDS, Criterion, RuleSet
from sikumuh.core.decimals import to_decimal6
from sikumuh.core.issues import Issue
from sikumuh.core.scoring import UnitResult
from sikumuh.io.exporters import plain
from sikumuh.io.template_columns import COUNT_FIELDS
from sikumuh.surveys.scoring import score_values

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_LIMIT = Decimal(10) ** 12

#: The header's labels and units (criteria.md §1).
HEADER_LABELS = {
    "luas_ha": (gettext_lazy("Verified area"), "ha"),
    "jumlah_bangunan": (gettext_lazy("Buildings"), gettext_lazy("unit")),
    "jumlah_penduduk": (gettext_lazy("Population"), gettext_lazy("jiwa")),
    "jumlah_kk": (gettext_lazy("Households (KK)"), "KK"),
    "panjang_jalan_ideal_m": (gettext_lazy("Ideal neighbourhood road length"), "m"),
    "panjang_drainase_ideal_m": (gettext_lazy("Ideal neighbourhood drain length"), "m"),
}


def parse_value(text: str) -> Decimal | None:
    """A typed number (``0,59`` or ``0.59``), None when empty; ``ValueError`` with the reason."""
    text = text.strip().replace(" ", "")
    if not text or text == "-":
        return None
    if not _NUMBER.fullmatch(text):
        if "," in text and "." in text:
            raise ValueError(_("Use one decimal mark and no thousands separator: 1218,5"))
        raise ValueError(_("Not a number"))
    number = to_decimal6(text.replace(",", "."))
    assert number is not None
    if abs(number) >= _LIMIT:
        raise ValueError(_("Too large for a survey value"))
    return number


def display(value: Any) -> str:
    """A stored number as the form shows it: no trailing zeros, the language's decimal mark."""
    number = plain(value)
    if number is None:
        return ""
    text = format(number, "f")
    return text.replace(".", ",") if (translation.get_language() or "").startswith("id") else text


@dataclass
class Entry:
    """What the form holds: the texts as typed, the numbers read from them, and per input the
    problems found before scoring."""

    rule_set: RuleSet
    texts: dict[str, str]
    header: dict[str, Decimal | None]
    volumes: dict[str, Decimal | None]
    percents: dict[str, Decimal | None]
    input_errors: dict[str, str] = field(default_factory=dict)
    with_percents: bool = False

    @property
    def ok(self) -> bool:
        return not self.input_errors


def read_entry(data: Any, rule_set: RuleSet, *, with_percents: bool = False) -> Entry:
    """The header, volumes (``v_<code>``) and, for legacy data, percentages (``p_<code>``)."""
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}

    def read(name: str) -> Decimal | None:
        texts[name] = str(data.get(name, "") or "")
        try:
            return parse_value(texts[name])
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    header = {name: read(name) for name in HEADER_FIELDS}
    for name in COUNT_FIELDS:
        value = header[name]
        if value is not None and (value < 0 or value != value.to_integral_value()):
            errors[name] = _("A count must be a whole number, 0 or more")
    volumes = {c: read(f"v_{c}") for c in rule_set.codes}
    percents: dict[str, Decimal | None] = {}
    if with_percents:
        percents = {c: v for c in rule_set.codes if (v := read(f"p_{c}")) is not None}
    return Entry(rule_set, texts, header, volumes, percents, errors, with_percents)


def stored_entry(observation: Any, rule_set: RuleSet, *, header_only: bool = False) -> Entry:
    """An entry pre-filled from a stored observation (or only its header, for a new year)."""
    data: dict[str, str] = {}
    if observation is not None:
        data.update({name: display(getattr(observation, name)) for name in HEADER_FIELDS})
        if not header_only:
            data.update({f"v_{c}": display(v) for c, v in observation.volumes.items()})
            data.update({f"p_{c}": display(v) for c, v in observation.percents.items()})
    with_percents = bool(observation and not header_only and observation.percents)
    return read_entry(data, rule_set, with_percents=with_percents)


def differences(mine: Entry, theirs: Entry) -> dict[str, str]:
    """{input name: their text} for each input whose number differs (``1,50`` and ``1.5``
    are the same number); an empty stored value shows as a dash."""
    pairs = [
        *((name, mine.header.get(name), theirs.header.get(name)) for name in HEADER_FIELDS),
        *((f"v_{c}", mine.volumes.get(c), theirs.volumes.get(c)) for c in mine.rule_set.codes),
        *((f"p_{c}", mine.percents.get(c), theirs.percents.get(c)) for c in mine.rule_set.codes),
    ]
    return {
        name: theirs.texts.get(name) or "–"
        for name, own, other in pairs
        if own != other and not (name.startswith("p_") and not mine.with_percents)
    }


def with_theirs(view: ScoreView, theirs: dict[str, str]) -> ScoreView:
    """The view with someone else's differing values placed beside the inputs."""
    for h in view.header:
        h.theirs = theirs.get(h.name, "")
    for c in view.criteria:
        c.theirs = theirs.get(f"v_{c.criterion.code}", "")
        c.theirs_percent = theirs.get(f"p_{c.criterion.code}", "")
    return view


def score_entry(entry: Entry) -> UnitResult:
    return score_values(
        header=entry.header,
        volumes=entry.volumes,
        percents=entry.percents,
        rule_set_id=entry.rule_set.id,
    )


def _denominator(name: str | None) -> str:
    return str(HEADER_LABELS[name][0]) if name in HEADER_LABELS else str(name or "")


def issue_text(issue: Issue, criterion: Criterion | None = None) -> str:
    """An engine issue in the page's language (the engine's own messages are English)."""
    den = _denominator(criterion.denominator if criterion else issue.field)
    texts = {
        codes.NEGATIVE_VOLUME: _("The volume is negative: it counts what is in bad condition."),
        codes.VOLUME_OVER_ZERO_DENOMINATOR: _(
            "A volume above 0 while %(den)s is 0: fill in %(den)s or set the volume to 0."
        )
        % {"den": den},
        codes.VOLUME_ABOVE_DENOMINATOR: _(
            "The volume is above %(den)s: scored 5 and flagged; check both."
        )
        % {"den": den},
        codes.MISSING_VALUE: _("No value yet."),
        codes.MISSING_DENOMINATOR: _("%(den)s is empty.") % {"den": den},
        codes.NEGATIVE_DENOMINATOR: _("%(den)s is negative.") % {"den": den},
        codes.PERCENT_ABOVE_100: _("The percentage is above 100."),
        codes.NEGATIVE_PERCENT: _("The percentage is negative."),
    }
    return texts.get(issue.code, issue.message)


@dataclass
class CriterionView:
    criterion: Criterion
    volume: str
    percent_given: str
    percent: Decimal | None
    score: int | None
    errors: list[str]
    warnings: list[str]
    #: Someone else's stored value, when a save was refused as stale and it differs.
    theirs: str = ""
    theirs_percent: str = ""


@dataclass
class HeaderView:
    name: str
    label: str
    unit: str
    text: str
    errors: list[str]
    theirs: str = ""


@dataclass
class ScoreView:
    """Everything the form and its live-score partial show."""

    header: list[HeaderView]
    criteria: list[CriterionView]
    result: UnitResult
    missing: int  # criteria without a value yet
    error_count: int
    warning_count: int


def score_view(entry: Entry) -> ScoreView:
    """Score the entry and place every problem next to the input it is about."""
    result = score_entry(entry)
    by_criterion: dict[str, tuple[list[str], list[str]]] = {
        c: ([], []) for c in entry.rule_set.codes
    }
    header_errors: dict[str, list[str]] = {name: [] for name in HEADER_FIELDS}
    for name, reason in entry.input_errors.items():
        if name in header_errors:
            header_errors[name].append(reason)
        else:
            by_criterion[name[2:]][0].append(reason)
    missing = 0
    for issue in (*result.errors, *result.warnings):
        criterion = entry.rule_set.criterion(issue.criterion) if issue.criterion else None
        is_error = issue in result.errors
        if issue.field in header_errors:
            # A denominator's problem is said once at the header field too (the criteria
            # dividing by it repeat it in their rows).
            text = issue_text(issue)
            if text not in header_errors[issue.field]:
                header_errors[issue.field].append(text)
        if criterion is None:
            continue
        if issue.code == codes.MISSING_VALUE:
            missing += 1
            if by_criterion[criterion.code][0]:  # the typed text was not a number: said already
                continue
        target = by_criterion[criterion.code][0 if is_error else 1]
        target.append(issue_text(issue, criterion))
    header = [
        HeaderView(name, str(label), str(unit), entry.texts.get(name, ""), header_errors[name])
        for name, (label, unit) in HEADER_LABELS.items()
    ]
    criteria = [
        CriterionView(
            criterion=c,
            volume=entry.texts.get(f"v_{c.code}", ""),
            percent_given=entry.texts.get(f"p_{c.code}", ""),
            percent=result.percent.get(c.code),
            score=result.score.get(c.code),
            errors=by_criterion[c.code][0],
            warnings=by_criterion[c.code][1],
        )
        for c in entry.rule_set.criteria
    ]
    return ScoreView(
        header=header,
        criteria=criteria,
        result=result,
        missing=missing,
        error_count=len(result.errors) + len(entry.input_errors),
        warning_count=len(result.warnings),
    )
