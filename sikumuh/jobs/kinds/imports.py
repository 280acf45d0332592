"""The import wizards' two jobs, on a file one has staged: its validation (``validate_rt_import``:
the dry run whose report the review page shows) and its import (``import_rt_data``). The file
is read as the format its ``format`` parameter names (`io.wizard.formats`: the template
when none, an ODK/Kobo export of the RT survey, a SIM KOTAKU export). The investment wizard's
file has the same two jobs under kinds of its own (``validate_investment_import``,
``import_investments``: their own names in the list of jobs), run by the same functions.

Both read the file in the worker, under its memory limit, never in the web process (issue 7,
finding 2); both act as the person who staged the file and within the regions they may edit.
The validation keeps its report beside the staged file and links back to the review page; a
file refused whole fails it with the reason. The import validates every row again, then commits
once, exactly as the wizard's confirmation did; its result is the import's summary with the
run's id, and a rejected file fails it with the number of problems (the run is linked still).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.audit.actions import Actor
from sikumuh.io import staging
from sikumuh.io.staging import Upload
from sikumuh.io.wizard import validation
from sikumuh.io.wizard.formats import ALL_FORMATS, INVESTMENTS, ImportFormat, staged
from sikumuh.jobs.kinds.base import JobFailed, Outcome, Reporter, register
from sikumuh.jobs.models import Job

KIND = "import_rt_data"
VALIDATE = "validate_rt_import"
INVESTMENT_KIND = "import_investments"
INVESTMENT_VALIDATE = "validate_investment_import"
#: The format of a job without one: the template (`io.wizard.formats.TEMPLATE`).
TEMPLATE = "templat"
SUMMARY_FIELDS = ("kind", "file", "status", "rows_total", "created", "updated", "unchanged")


def start_import(
    *, actor: Actor, upload_id: str, region_code: str, skip_invalid: bool, fmt: str = TEMPLATE
) -> Job:
    """Queue the import of the staged upload ``upload_id`` (the actor's, for ``region_code``),
    read as ``fmt`` (`io.wizard.formats`)."""
    from sikumuh.jobs.actions import start_job

    return start_job(
        actor=actor,
        kind=kinds(fmt)[1],
        region_code=region_code,
        params={"upload_id": upload_id, "skip_invalid": skip_invalid, **_format(fmt)},
    )


def start_validation(*, actor: Actor, upload_id: str, region_code: str, fmt: str = TEMPLATE) -> Job:
    """Queue the validation of the staged upload ``upload_id`` (the actor's, for
    ``region_code``, read as ``fmt``): its report is kept beside the file for the wizard's
    review page."""
    from sikumuh.jobs.actions import start_job

    return start_job(
        actor=actor,
        kind=kinds(fmt)[0],
        region_code=region_code,
        params={"upload_id": upload_id, **_format(fmt)},
    )


def kinds(fmt: str) -> tuple[str, str]:
    """The kinds of the validation job and the import job of a file of format ``fmt``."""
    if fmt == INVESTMENTS.slug:
        return INVESTMENT_VALIDATE, INVESTMENT_KIND
    return VALIDATE, KIND


def _format(fmt: str) -> dict[str, str]:
    # The template's jobs keep the parameters they had before there were other formats.
    return {} if fmt == TEMPLATE else {"format": fmt}


def _format_of(job: Job) -> ImportFormat:
    found = ALL_FORMATS.get(str(job.params.get("format", TEMPLATE)))
    if found is None or job.kind not in kinds(found.slug):  # no page starts another
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    return found


def urls(fmt: ImportFormat, code: str, upload_id: str | None = None) -> dict[str, str]:
    """The wizard's pages for a format: its upload page, and the review and confirmation of
    ``upload_id``. Here, below the pages, because the check's job links back to its review."""
    if fmt.slug == TEMPLATE:
        found = {"again": reverse("web:import_wizard", kwargs={"code": code})}
        names, kwargs = ("web:import_review", "web:import_confirm"), {"code": code}
    elif fmt is INVESTMENTS:
        found = {"again": reverse("web:investment_import", kwargs={"code": code})}
        names = ("web:investment_import_review", "web:investment_import_confirm")
        kwargs = {"code": code}
    else:
        found = {"again": reverse("web:foreign_import", kwargs={"code": code, "fmt": fmt.slug})}
        names = ("web:foreign_import_review", "web:foreign_import_confirm")
        kwargs = {"code": code, "fmt": fmt.slug}
    if upload_id is not None:
        found["review"] = reverse(names[0], kwargs={**kwargs, "upload": upload_id})
        found["confirm"] = reverse(names[1], kwargs={**kwargs, "upload": upload_id})
    return found


def _checking(progress: Reporter) -> Any:
    return lambda count: progress(0, count, _("Checking every row…"))


def _staged(job: Job) -> Upload:
    user = job.started_by
    upload = (
        None
        if user is None
        else staged(
            _format_of(job),
            str(job.params["upload_id"]),
            user_id=user.pk,
            region_code=job.region_code,
        )
    )
    if user is None or upload is None:
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    return upload


@register(INVESTMENT_VALIDATE, gettext_lazy("Check of an investment file"))
@register(VALIDATE, gettext_lazy("Check of an RT data file"))
def validate(job: Job, progress: Reporter) -> Outcome:
    upload, fmt = _staged(job), _format_of(job)
    progress(0, 0, _("Reading %(file)s…") % {"file": upload.file_name})
    reason = validation.validate(
        upload,
        job.started_by,
        progress=progress,
        on_read=_checking(progress),
        run=fmt.run,
        fmt=fmt.slug,
    )
    if reason:
        raise JobFailed(reason)
    review = urls(fmt, upload.region_code, upload.id)["review"]
    return {"file": upload.file_name, "review_url": review}


@register(INVESTMENT_KIND, gettext_lazy("Investment import"))
@register(KIND, gettext_lazy("RT data import"))
def run(job: Job, progress: Reporter) -> Outcome:
    upload = _staged(job)
    progress(0, 0, _("Reading %(file)s…") % {"file": upload.file_name})
    report = _format_of(job).run(
        upload,
        job.started_by,
        dry_run=False,
        skip_invalid=bool(job.params.get("skip_invalid")),
        progress=progress,
        on_read=_checking(progress),
    )
    if not report.ok:
        # Kept on the failed job too, so its page links to the run and its problems.
        Job.objects.filter(pk=job.pk).update(result={"run_id": report.run_id})
        raise JobFailed(
            _("Nothing was stored: %(file)s has %(count)d problems (see the import run).")
            % {"file": upload.file_name, "count": len(report.errors)}
        )
    staging.discard(upload)
    summary: dict[str, Any] = {k: report.as_dict()[k] for k in SUMMARY_FIELDS}
    return {**summary, "run_id": report.run_id}
