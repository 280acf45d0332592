"""XLSForms (survey, choices, settings) for ODK Collect and KoboCollect, written the one way.

Written through the one XLSX renderer (`sikumuh.io.tables.write_xlsx`): names in choice lists
come from user data, so a name starting with "=" must not become a formula. pyxform (the
converter ODK Central and KoboToolbox run) adds the ``meta/instanceID`` every submission
carries; the importers match submissions by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sikumuh.io.tables import Target, write_xlsx

#: The languages of our forms' labels (XLSForm's ``label::<language>`` columns).
ID, EN = "Bahasa Indonesia (id)", "English (en)"


@dataclass(frozen=True)
class FormSheet:
    """One sheet of an XLSForm: its header, rows and column widths."""

    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int]


def group_rows(kind: str, name: str, width: int) -> tuple[list[Any], list[Any]]:
    """The ``begin_<kind>``/``end_<kind>`` rows of a group or repeat (`width` survey columns);
    the begin row's label and appearance are the caller's to fill."""
    return [f"begin_{kind}", name, *[""] * (width - 2)], [f"end_{kind}", name, *[""] * (width - 2)]


def write_form(out: Target, *, survey: FormSheet, choices: FormSheet, settings: FormSheet) -> None:
    """Write an XLSForm's three sheets to `out`."""
    write_xlsx(
        out,
        [
            ("survey", survey.header, survey.rows),
            ("choices", choices.header, choices.rows),
            ("settings", settings.header, settings.rows),
        ],
        widths=[survey.widths, choices.widths, settings.widths],
    )
