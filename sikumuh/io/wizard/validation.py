"""The import wizard's validation of a staged template file: where it runs, and what it keeps.

A file is parsed in a worker's job (``validate_rt_import``), never in the web process: the job
runs under the worker's memory limit, so a hostile file can fail its job but not the server
(issue 7, finding 2). The guard in front of calamine is no cheap check either (measured: 4.8 s
for a valid 200,000-row XLSX of 3.4 MB), so the web request only stores the file and checks its
size, suffix and first bytes. One exception keeps the demo and the tests snappy: a CSV no larger
than ``SIKUMUH_INLINE_IMPORT_BYTES`` is validated in the request (Python's csv module within the
readers' caps, measured at 1.4 s for 220 KB of template rows, hence a default of 128 KB; an
XLSX never is: calamine is native code, whose allocation failure aborts the process).

The validation is the importer's dry run (``import_rows(dry_run=True)``), whose report is kept
beside the staged file (``report.json``): the review page is drawn from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem
from sikumuh.io.importer import Progress, import_rows
from sikumuh.io.reasons import translated
from sikumuh.io.template import read_template_all
from sikumuh.io.wizard import uploads
from sikumuh.surveys.models import Source

KIND = "template"
#: Problems listed on a page; the counts always cover all of them.
SHOWN = 1000


class DesaRow(Protocol):
    """A row of an uploaded file that names its desa (RT data, investments)."""

    file: str
    row: str
    kode_desa: str


R = TypeVar("R", bound=DesaRow)


def within_scope(rows: list[R], scope: Scope) -> tuple[list[R], list[Problem]]:
    """Rows whose desa the user may edit, and one problem per other row (left out, so that not
    even "skip invalid rows" can store it). The importer checks the wizard's region as well."""
    kept: list[R] = []
    refused: list[Problem] = []
    for row in rows:
        if scope.can_edit(row.kode_desa):
            kept.append(row)
        else:
            reason = _("outside the regions you may edit")
            refused.append(Problem(row.file, row.row, "kode_desa", row.kode_desa, reason))
    return kept, refused


def run_import(
    upload: uploads.Upload,
    user: Any,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read the staged file and import it as ``user`` (or only check it, ``dry_run``);
    ``on_read`` hears how many rows were read, before they are checked."""
    rows, unusable, problems = read_template_all(upload.path, name=upload.file_name)
    scope = Scope.for_user(user)
    rows, refused = within_scope(rows, scope)
    # A row without a desa code says so already; checking its scope would add a second line.
    unusable, refused_too = within_scope([r for r in unusable if r.kode_desa], scope)
    if on_read is not None:
        on_read(len(rows))
    return import_rows(
        rows,
        actor=Actor.of(user),
        kind=KIND,
        source=Source.TEMPLATE,
        file_name=upload.file_name,
        parse_problems=[*problems, *refused, *refused_too],
        unusable=unusable,
        skip_invalid=skip_invalid,
        region_code=upload.region_code,
        file_sha256=upload.sha256,
        dry_run=dry_run,
        progress=progress,
        present=translated,
    )


def _row_key(problem: Problem) -> tuple[int, str]:
    return (int(problem.row), "") if problem.row.isdigit() else (1 << 62, problem.row)


def kept(report: ImportReport, fmt: str = "templat") -> dict[str, Any]:
    """What the review page shows of a dry run, small enough to keep beside the upload: the
    counts, and the first :data:`SHOWN` problems of each kind in row order; ``fmt`` is the
    format the file was read as (`formats.FORMATS`), so that no other wizard confirms it."""
    errors = sorted(report.errors, key=_row_key)
    warnings = sorted(report.warnings, key=_row_key)
    return {
        "format": fmt,
        "rows_total": report.rows_total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejected_rows),
        "new_locations": report.counts.get("new_locations", 0),
        "new_rts": report.counts.get("new_rts", 0),
        "error_count": len(errors),
        "warning_count": len(warnings),
        "errors": [p.as_dict() for p in errors[:SHOWN]],
        "warnings": [p.as_dict() for p in warnings[:SHOWN]],
        "changed_rows": report.extra.get("changed_rows", [])[:SHOWN],
        # The review page warns before approved data return to review (was lost when the
        # report began to be kept: the page read ``report.extra`` of the full report).
        "extra": {
            "returns_to_review": report.extra.get("returns_to_review", 0),
            # An ODK ZIP's photos: how many the submissions name, how many the ZIP holds.
            **{k: report.extra[k] for k in ("photos_named", "photos_in_zip") if k in report.extra},
        },
    }


def refusal(report: ImportReport) -> str:
    """The reason a file is refused whole (too large, not a table...): its one problem on row 1
    without a column, when no row could be read; "" otherwise."""
    if report.rows_total > len(report.rejected_rows) or len(report.errors) != 1:
        return ""
    problem = report.errors[0]
    return problem.reason if problem.row == "1" and problem.column is None else ""


def validate(
    upload: uploads.Upload,
    user: Any,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
    *,
    run: Callable[..., ImportReport] | None = None,
    fmt: str = "templat",
) -> str:
    """Check the staged file once (read as ``fmt`` by ``run``, the template's `run_import` by
    default) and keep its report beside it; the reason it is refused whole, or "" (then the
    report is kept)."""
    run = run or run_import
    report = run(upload, user, dry_run=True, progress=progress, on_read=on_read)
    reason = refusal(report)
    if not reason:
        uploads.save_report(upload, kept(report, fmt))
    return reason


def inline(upload: uploads.Upload) -> bool:
    """Whether the upload may be validated in the web request (see the module docstring)."""
    return upload.suffix == ".csv" and upload.path.stat().st_size <= settings.INLINE_IMPORT_BYTES
