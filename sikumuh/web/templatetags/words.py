"""Words for codes and for the engine's English notes, where a person reads them.

``{{ run.status|label:"run_status" }}`` shows a code's label (`sikumuh.io.labels`, one table per
kind of code); ``{{ note|sample_note }}`` the sampling engine's note in the active language
(`sikumuh.core.sampling` speaks English: it runs without Django); ``{{ moment|waktu:code }}`` a
date and time in the region's own zone ("7 Desember 2026 19.27 WITA").
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sikumuh.io import labels
from sikumuh.regions.timezones import tzinfo, zone_named, zone_of

register = template.Library()


@register.filter
def label(code: str | None, table: str) -> str:
    """The label of ``code`` in the table named ``table`` (the code itself when unknown)."""
    return labels.label(code, table)


_NOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            (
                r"n = (?P<n>\d+) is below the (?P<needed>\d+) items the minimum of "
                r"(?P<minimum>\d+) per stratum needs; the sample has (?P<has>\d+) random items"
            ),
            gettext_noop(
                "n = %(n)s is below the %(needed)s items the minimum of %(minimum)s per stratum "
                "needs; the sample has %(has)s random items"
            ),
        ),
        (
            r"n = (?P<n>\d+) is above the population of (?P<total>\d+): every item is taken",
            gettext_noop("n = %(n)s is above the population of %(total)s: every item is taken"),
        ),
        (
            r"no item has a cost: the rest was allocated by stratum size",
            gettext_noop("no item has a cost: the rest was allocated by stratum size"),
        ),
    )
)


@register.filter
def sample_note(note: str) -> str:
    """A note of the sampling engine in the active language (as it is when unknown)."""
    for pattern, msgid in _NOTES:
        match = pattern.fullmatch(note)
        if match:
            return _(msgid) % match.groupdict()
    return note


@register.filter
def waktu(value: dt.datetime | None, region_code: str | None = None) -> str:
    """A moment as Indonesians read it, in the region's own time zone (`regions.timezones`):
    "7 Desember 2026 19.27 WITA"; the server's zone when the region has none (the nation)."""
    if value is None:
        return "–"
    zone = zone_of(region_code) or zone_named(settings.TIME_ZONE)
    local = timezone.localtime(value, tzinfo(zone)) if timezone.is_aware(value) else value
    return f"{date_filter(local, 'j F Y')} {local:%H.%M} {zone.abbreviation}"


@register.filter
def audit_action(action: str) -> str:
    """An audit action as a sentence ("Data RT diajukan untuk ditinjau")."""
    from sikumuh.web.audit_labels import action_label

    return action_label(action)
