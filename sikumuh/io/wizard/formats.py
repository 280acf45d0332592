"""The files the RT data import wizard takes: the product's template, an ODK Central or
KoboToolbox CSV export of the RT survey form (`sikumuh import odk`) and a SIM KOTAKU export
(`sikumuh import simkotaku`: the profil layer, and optionally the status layer beside it).

Each format names the endings it accepts and how a staged upload is imported (or only checked,
``dry_run``) as a user: within the regions that user may edit (`validation.within_scope`), by
the format's own importer, whose report is every importer's. The wizard's steps (its pages in
`web.views.rtdata`), its check in a job for large files and its import job (`jobs.kinds.
imports`) are the same for all of them, and so is the staging of the file between them
(:func:`stage`, :func:`staged`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem, Refuse
from sikumuh.io import staging
from sikumuh.io.guard import limits
from sikumuh.io.importer import Progress
from sikumuh.io.investment_file import import_investment_file
from sikumuh.io.odk_rt_import import import_rt_submissions
from sikumuh.io.simkotaku.importer import KIND as SIMKOTAKU_KIND
from sikumuh.io.simkotaku.importer import import_simkotaku
from sikumuh.io.simkotaku.layers import CSV_SUFFIXES, GEO_SUFFIXES, SimkotakuError
from sikumuh.io.staging import Upload, attachment, save_options
from sikumuh.io.wizard import uploads, validation
from sikumuh.io.wizard.validation import within_scope

#: The role of the SIM KOTAKU status layer kept beside its profil layer (`staging.attach`).
STATUS = "status"
#: The SIM KOTAKU upload's check box: negative percentages scored as 0 (`import_simkotaku`).
NEGATIVES_AS_ZERO = "negatives_as_zero"


class Runner(Protocol):
    def __call__(
        self,
        upload: Upload,
        user: Any,
        *,
        dry_run: bool,
        skip_invalid: bool = False,
        progress: Progress | None = None,
        on_read: Callable[[int], None] | None = None,
    ) -> ImportReport: ...


@dataclass(frozen=True)
class ImportFormat:
    slug: str  # in the wizard's URLs and its jobs' parameters
    title: str | Promise
    suffixes: tuple[str, ...]
    run: Runner
    status_suffixes: tuple[str, ...] = ()  # a second, optional file (SIM KOTAKU's status)
    options: tuple[str, ...] = ()  # the upload form's check boxes this format reads

    @property
    def accept(self) -> str:
        return ",".join(self.suffixes)

    @property
    def status_accept(self) -> str:
        return ",".join(self.status_suffixes)


def _refuser(user: Any) -> Refuse:
    scope = Scope.for_user(user)
    return lambda rows: within_scope(rows, scope)


def run_template(
    upload: Upload,
    user: Any,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """The product's template (`validation.run_import`, looked up at each call)."""
    return validation.run_import(
        upload,
        user,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        on_read=on_read,
    )


def run_odk(
    upload: Upload,
    user: Any,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """An ODK/Kobo export of the RT survey, the CSV or the ZIP "CSV with media": its
    submissions as draft observations, the ZIP's photos stored with them as the CLI stores
    them. The ZIP is read from its staged path (a photo at a time, never whole); what it may
    unpack to is the uploads' bound, as for a workbook (`guard.Limits.max_inflated_bytes`)."""
    return import_rt_submissions(
        upload.path,
        actor=Actor.of(user),
        file_name=upload.file_name,
        region_code=upload.region_code,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        refuse=_refuser(user),
        progress=progress,
        on_read=on_read,
        max_unpacked=limits().max_inflated_bytes,
    )


def _named(path: Path, name: str, folder: str) -> Path:
    """The staged file under the name its uploader gave it (problems cite the file's name)."""
    link = Path(folder) / Path(name).name
    link.symlink_to(path.resolve())
    return link


def run_simkotaku(
    upload: Upload,
    user: Any,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """A SIM KOTAKU profil layer (and its status layer, when one was uploaded beside it). A
    file the importer cannot use at all is a report with that one problem."""
    status = attachment(upload, STATUS)
    with tempfile.TemporaryDirectory() as folder:
        profil = _named(upload.path, upload.file_name, folder)
        status_path = None
        if status is not None:
            status_folder = Path(folder) / STATUS
            status_folder.mkdir()
            status_path = _named(status[0], status[1], str(status_folder))
        try:
            return import_simkotaku(
                profil,
                status_path,
                region_code=upload.region_code,
                actor=Actor.of(user),
                skip_invalid=skip_invalid,
                negatives_as_zero=staging.options(upload).get(NEGATIVES_AS_ZERO, False),
                dry_run=dry_run,
                refuse=_refuser(user),
                progress=progress,
                on_read=on_read,
            )
        except SimkotakuError as exc:
            problem = Problem(upload.file_name, "1", None, None, str(exc))
            return ImportReport(kind=SIMKOTAKU_KIND, file_name=upload.file_name, errors=[problem])


def run_investments(
    upload: Upload,
    user: Any,
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """An investment file (docs/investments.md), the investment wizard's (not an RT data
    format: it is kept out of :data:`FORMATS`). Its importer reports no progress of its own."""
    scope = Scope.for_user(user)
    return import_investment_file(
        upload.path.read_bytes(),
        file_name=upload.file_name,
        region_code=upload.region_code,
        actor=Actor.of(user),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        refuse=lambda rows: within_scope(rows, scope),
    )


TEMPLATE = ImportFormat("templat", _("the RT data template"), (".csv", ".xlsx"), run_template)
#: The investment wizard's file: staged, checked (in the request or a job) and imported (in the
#: request or a job) as the RT data formats are, on its own pages.
INVESTMENTS = ImportFormat("investasi", _("an investment file"), (".csv", ".xlsx"), run_investments)
#: The RT data formats (the RT wizard's; its URLs name them).
FORMATS = {
    f.slug: f
    for f in (
        TEMPLATE,
        ImportFormat(
            "odk",
            _("an ODK or KoboToolbox export of the RT survey"),
            (".csv", ".zip"),  # the CSV, or the ZIP "CSV with media" with the photos
            run_odk,
        ),
        ImportFormat(
            "simkotaku",
            _("a SIM KOTAKU export"),
            tuple(sorted(GEO_SUFFIXES | CSV_SUFFIXES)),
            run_simkotaku,
            status_suffixes=tuple(sorted(GEO_SUFFIXES | CSV_SUFFIXES)),
            options=(NEGATIVES_AS_ZERO,),
        ),
    )
}


#: Every format a wizard's job may read (by the slug in its parameters).
ALL_FORMATS = {**FORMATS, INVESTMENTS.slug: INVESTMENTS}


def staged(fmt: ImportFormat, upload_id: str, *, user_id: int, region_code: str) -> Upload | None:
    """The upload ``upload_id`` staged for ``fmt``, if it is this user's, for this region and
    of an ending the format takes (`staging.load`)."""
    if fmt is TEMPLATE:
        return uploads.load(upload_id, user_id=user_id, region_code=region_code)
    return staging.load(upload_id, user_id=user_id, region_code=region_code, suffixes=fmt.suffixes)


def stage(
    fmt: ImportFormat,
    file: UploadedFile,
    *,
    status: UploadedFile | None = None,
    options: dict[str, bool] | None = None,
    user_id: int,
    region_code: str,
) -> Upload:
    """Keep the file posted for ``fmt`` (and, for SIM KOTAKU, the ``status`` layer beside it,
    and the ``options`` the format reads); `staging.UploadRefused` for a file of another type or
    too large (nothing is kept then)."""
    if fmt is TEMPLATE:
        return uploads.store(file, user_id=user_id, region_code=region_code)
    upload = staging.store(
        file,
        user_id=user_id,
        region_code=region_code,
        suffixes=fmt.suffixes,
        max_bytes=uploads.MAX_BYTES,
    )
    if not staging.has_magic(upload):  # a ".zip" that is none: refused before any job
        staging.discard(upload)
        raise staging.UploadRefused(upload.file_name, "type")
    if status is not None and fmt.status_suffixes:
        try:
            staging.attach(
                upload,
                status,
                role=STATUS,
                suffixes=fmt.status_suffixes,
                max_bytes=uploads.MAX_BYTES,
            )
        except staging.UploadRefused:
            staging.discard(upload)
            raise
    chosen = {name: bool((options or {}).get(name)) for name in fmt.options}
    if any(chosen.values()):
        save_options(upload, chosen)
    return upload
