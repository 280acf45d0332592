"""The checklist as an XLSForm for ODK Collect and KoboCollect, with the uji petik's sample
pre-loaded as a choice list; written by :mod:`sikumuh.io.xlsform`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sikumuh.inspections.form import CHOICES, GROUPS, ITEM_LIST, QUESTIONS, Question
from sikumuh.inspections.identity import label_of
from sikumuh.inspections.models import SampleItem, UjiPetik
from sikumuh.io.tables import Target
from sikumuh.io.xlsform import EN, ID, FormSheet, write_form

SURVEY_HEADER = (
    "type",
    "name",
    f"label::{ID}",
    f"label::{EN}",
    f"hint::{ID}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "parameters",
)
CHOICES_HEADER = ("list_name", "name", f"label::{ID}", f"label::{EN}")
SETTINGS_HEADER = ("form_title", "form_id", "version", "default_language", "instance_name")


def form_id(uji_petik: UjiPetik) -> str:
    return f"sikumuh_uji_petik_{uji_petik.pk}"


def form_version(uji_petik: UjiPetik, item_count: int) -> str:
    """Changes whenever the choice list does (a purposive item added), as ODK Central needs a
    new version for a changed form; digits only, growing with time."""
    return f"{uji_petik.drawn_at:%Y%m%d%H%M}{item_count:04d}"


def _question_row(q: Question) -> list[Any]:
    return [
        q.type,
        q.name,
        q.label_id,
        q.label_en,
        q.hint_id,
        q.hint_en,
        "yes" if q.required else "",
        q.relevant,
        q.constraint,
        q.appearance,
        q.parameters,
    ]


def survey_rows() -> Iterator[list[Any]]:
    """The survey sheet: ungrouped questions as they come, grouped ones inside their group."""
    groups = {name: (label_id, label_en) for name, label_id, label_en in GROUPS}
    opened = ""
    for q in QUESTIONS:
        if q.group != opened:
            if opened:
                yield ["end_group", opened, *[""] * 9]
            if q.group:
                label_id, label_en = groups[q.group]
                yield ["begin_group", q.group, label_id, label_en, *[""] * 5, "field-list", ""]
            opened = q.group
        yield _question_row(q)
    if opened:
        yield ["end_group", opened, *[""] * 9]


def choice_rows(items: Sequence[SampleItem], names: dict[str, str]) -> Iterator[list[Any]]:
    for item in items:
        label = label_of(item, names)
        yield [ITEM_LIST, item.key, label, label]
    for list_name, options in CHOICES.items():
        for name, label_id, label_en in options:
            yield [list_name, name, label_id, label_en]


def write_xlsform(
    out: Target, uji_petik: UjiPetik, items: Sequence[SampleItem], names: dict[str, str]
) -> None:
    """Write the XLSForm of `uji_petik` (its `items`, with region `names`) to `out`."""
    if not items:
        raise ValueError("the uji petik has no sampled item")
    settings = [
        uji_petik.title,
        form_id(uji_petik),
        form_version(uji_petik, len(items)),
        ID,
        "concat(${item}, ' · ', ${surveyor})",
    ]
    write_form(
        out,
        survey=FormSheet(SURVEY_HEADER, survey_rows(), (22, 22, 40, 40, 30, 30, 9, 30, 12, 18, 16)),
        choices=FormSheet(CHOICES_HEADER, choice_rows(items, names), (10, 14, 60, 60)),
        settings=FormSheet(SETTINGS_HEADER, [settings], (40, 28, 16, 22, 36)),
    )
