"""An RT-data import from a file staged by the import wizard, as a job (for large files).

The API the wizard will call (not wired yet): :func:`start_import` with the staged upload's id;
the job validates every row, then commits once, exactly as the wizard's confirmation does, as the
person who started it and within the regions they may edit. Its result is the import's summary
(the run's id among it); a rejected file fails the job with the number of problems.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.jobs.kinds.base import JobFailed, Outcome, Reporter, register
from sikumuh.jobs.models import Job

KIND = "import_rt_data"
SUMMARY_FIELDS = ("kind", "file", "status", "rows_total", "created", "updated", "unchanged")


def start_import(*, actor: Actor, upload_id: str, region_code: str, skip_invalid: bool) -> Job:
    """Queue the import of the staged upload ``upload_id`` (the actor's, for ``region_code``)."""
    from sikumuh.jobs.actions import start_job

    return start_job(
        actor=actor,
        kind=KIND,
        region_code=region_code,
        params={"upload_id": upload_id, "skip_invalid": skip_invalid},
    )


@register(KIND, gettext_lazy("RT data import"))
def run(job: Job, progress: Reporter) -> Outcome:
    from sikumuh.io.importer import import_rows
    from sikumuh.io.template import read_template
    from sikumuh.surveys.models import Source
    from sikumuh.web.views.rtdata import uploads
    from sikumuh.web.views.rtdata.wizard import KIND as WIZARD_KIND
    from sikumuh.web.views.rtdata.wizard import within_scope

    user = job.started_by
    upload = (
        None
        if user is None
        else uploads.load(
            str(job.params["upload_id"]), user_id=user.pk, region_code=job.region_code
        )
    )
    if user is None or upload is None:
        raise JobFailed(_("The uploaded file is no longer there: upload it again."))
    progress(0, 0, _("Reading %(file)s…") % {"file": upload.file_name})
    rows, problems = read_template(upload.path, name=upload.file_name)
    rows, refused = within_scope(rows, Scope.for_user(user))
    progress(0, len(rows), _("Checking every row…"))
    report = import_rows(
        rows,
        actor=Actor.of(user),
        kind=WIZARD_KIND,
        source=Source.TEMPLATE,
        file_name=upload.file_name,
        parse_problems=[*problems, *refused],
        skip_invalid=bool(job.params.get("skip_invalid")),
        region_code=upload.region_code,
        file_sha256=upload.sha256,
        progress=progress,
    )
    if not report.ok:
        raise JobFailed(
            _("Nothing was stored: %(file)s has %(count)d problems (see the import run).")
            % {"file": upload.file_name, "count": len(report.errors)}
        )
    uploads.discard(upload)
    summary: dict[str, Any] = {k: report.as_dict()[k] for k in SUMMARY_FIELDS}
    return {**summary, "run_id": report.run_id}
