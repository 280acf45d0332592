"""Import the RT survey's submissions (:mod:`sikumuh.io.rt_survey_form`) from an ODK Central or
KoboToolbox CSV export as draft observations for the Pokja to review.

Each submission is mapped onto a row of the product's template (question names are template
column names; group prefixes are dropped by :mod:`sikumuh.io.odk_csv`), read by the template's
own reader (:func:`sikumuh.io.template.read_template_sheet`) and stored through the one commit
path (:func:`sikumuh.io.importer.import_rows`): the checks, the report and the recorded run are
every import's. Problems name the export's own column (``aspek_1-v_1a``) and row.

Idempotent by instance id: a submission repeated in the file is stored once (a warning names
the repeat), and re-importing an export changes nothing; the instance id is the observation's
``source_ref``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.core.rows import ImportReport, ObservationRow, Problem, Refuse
from sikumuh.io import guard, odk_csv, odk_export, odk_media
from sikumuh.io.importer import Progress, import_rows
from sikumuh.io.readers import Sheet
from sikumuh.io.reasons import translated
from sikumuh.io.rt_survey_form import RULE_SET_ID
from sikumuh.io.template import read_template_sheet
from sikumuh.io.template_columns import IDENTITY_COLUMNS

KIND = "odk"
VOLUME_COLUMNS = tuple(f"v_{code}" for code in get_rule_set(RULE_SET_ID).codes)
TEMPLATE_HEADER = (*IDENTITY_COLUMNS, "rules", *HEADER_FIELDS, *VOLUME_COLUMNS)
_QUESTIONS = frozenset(TEMPLATE_HEADER)


def import_rt_submissions(
    data: bytes | Path,
    *,
    actor: Actor,
    file_name: str,
    region_code: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
    refuse: Refuse | None = None,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
    max_unpacked: int | None = None,
) -> ImportReport:
    """Validate every submission in the export (a CSV, or a ZIP with the photos: the bytes or
    its path), then store them at once as drafts, each with its GPS point and photos.

    ``dry_run`` only checks (the web wizard's review); ``refuse`` takes out the rows the user
    may not write (the wizard's scope), with a problem each; ``on_read`` hears how many rows
    were read, before they are checked; ``max_unpacked`` bounds what a ZIP unpacks to
    (:func:`odk_export.open_export`)."""
    from sikumuh.surveys.models import Source

    # The CSV, or the ZIP "CSV with media" holding it and the photos (sikumuh.io.odk_export).
    export = odk_export.open_export(data, file_name, max_unpacked=max_unpacked)
    if export.refused is None:
        rows, problems, extra, shown = _read(export.csv, file_name)
    else:
        rows, problems, extra, shown = [], [_refused(file_name, export.refused)], {}, {}
    if refuse is not None:
        rows, refused = refuse(rows)
        problems = [*problems, *refused]
    if on_read is not None:
        on_read(len(rows))
    # The GPS point and the photos (sikumuh.io.odk_media): warnings now, kept after the commit.
    media = odk_media.check(rows, export)

    report = import_rows(
        rows,
        actor=actor,
        kind=KIND,
        source=Source.ODK,
        file_name=file_name,
        parse_problems=[*problems, *media.problems],
        skip_invalid=skip_invalid,
        region_code=region_code,
        file_sha256=export.sha256,
        extra={**extra, **media.counts},
        draft=True,
        dry_run=dry_run,
        progress=progress,
        present=lambda p: translated(replace(p, column=shown.get(p.column or "", p.column))),
    )
    if report.ok and not dry_run:
        report.extra |= media.keep(report.rejected_rows, actor=actor)
    return report


def _read(
    data: bytes, file_name: str
) -> tuple[list[ObservationRow], list[Problem], dict[str, str], dict[str, str]]:
    """The submissions as template rows, the problems found reading them, the report's extra
    facts and the file's name of each template column."""
    try:
        header, raw_rows = odk_csv.read_csv(data, file_name)
    except guard.FileRefused as exc:
        return [], [_refused(file_name, exc)], {}, {}
    extra = {"source": "kobo" if odk_csv.is_kobo(header) else "odk"}
    columns = [odk_csv.column_name(h, _QUESTIONS) for h in header]
    index = odk_csv.first_index(columns)
    missing = [c for c in ("kode_desa", "lokasi", "rt", "tahun") if c not in index]
    if not any(c in index for c in odk_csv.INSTANCE_COLUMNS):
        missing.append("meta-instanceID")
    if missing:
        reason = _(
            "the file lacks the column(s) %(columns)s: it is not an export of the RT survey form"
        ) % {"columns": ", ".join(missing)}
        return [], [Problem(file_name, "1", ", ".join(missing), None, reason)], extra, {}
    problems: list[Problem] = []
    kept: list[tuple[int, list[str], str]] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(raw_rows, start=2):
        instance = odk_csv.instance_id(cells, index)
        if not instance:
            problems.append(
                Problem(
                    file_name,
                    str(number),
                    "meta-instanceID",
                    "",
                    _("the submission has no instance id"),
                )
            )
            continue
        first = seen.setdefault(instance, number)
        if first != number:
            problems.append(
                Problem(
                    file_name,
                    str(number),
                    "meta-instanceID",
                    instance,
                    _("the same submission as row %(row)s: ignored") % {"row": first},
                    "warning",
                )
            )
            continue
        kept.append((number, cells, instance))
    sheet = Sheet(
        file_name,
        list(TEMPLATE_HEADER),
        [number for number, _cells, _id in kept],
        [
            [
                RULE_SET_ID if name == "rules" else odk_csv.cell(cells, index, name)
                for _n, cells, _i in kept
            ]
            for name in TEMPLATE_HEADER
        ],
    )
    rows, template_problems = read_template_sheet(sheet)
    instances = {str(number): instance for number, _cells, instance in kept}
    for row in rows:
        row.source_ref = instances[row.row]
    # Problems name the export's own column (with its group prefix), not the template's.
    shown = {name: header[position].strip().lstrip("\ufeff") for name, position in index.items()}
    problems += template_problems
    return rows, sorted(problems, key=lambda p: int(p.row)), extra, shown


def _refused(file_name: str, refusal: guard.FileRefused) -> Problem:
    return Problem(file_name, "1", None, None, refusal.translated())
