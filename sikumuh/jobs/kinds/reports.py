"""The PDF/XLSX reports as a job: the same builders as `sikumuh report`, the file kept in
MEDIA_ROOT for the person who asked (a PDF takes seconds: no request should wait for it).

The caller (the web view) checks who may read what before it starts the job, as it did before it
built the file itself; ``params`` hold the builder's arguments: ``report`` (pengurangan,
uji_petik, profil), ``fmt``, ``status`` (approved, the default, or all: DRAF) and ``code`` +
``show_sk_base``, ``code`` + ``tahun``, or ``location``.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.jobs.kinds.base import FileResult, JobFailed, Outcome, Reporter, register
from sikumuh.jobs.models import Job
from sikumuh.reports.build import pengurangan_report, profil_report, uji_petik_report
from sikumuh.reports.common import ReportError
from sikumuh.reports.render import Output
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter

KIND = "report"
logger = logging.getLogger(__name__)


def _build(params: dict[str, object], language: str) -> Output:
    report, fmt = str(params["report"]), str(params["fmt"])
    status: StatusFilter = ALL if params.get("status") == ALL else APPROVED
    if report == "pengurangan":
        return pengurangan_report(
            str(params["code"]),
            fmt=fmt,
            language=language,
            show_sk_base=bool(params.get("show_sk_base", True)),
            status=status,
            until=int(str(params["until"])) if params.get("until") else None,
        )
    if report == "uji_petik":
        return uji_petik_report(
            str(params["code"]),
            int(str(params["tahun"])),
            fmt=fmt,
            language=language,
            status=status,
        )
    if report == "profil":
        return profil_report(
            int(str(params["location"])), fmt=fmt, language=language, status=status
        )
    raise ReportError(f"unknown report {report!r}")


@register(KIND, gettext_lazy("Report"))
def run(job: Job, progress: Reporter) -> Outcome:
    progress(0, 1, _("Gathering the figures and drawing the report…"))
    try:
        output = _build(job.params, job.language)
    except ReportError as exc:
        # The builder's reason is for the log (English, may name codes); the person reads ours.
        logger.warning("job %s: report refused: %s", job.pk, exc)
        raise JobFailed(_("This report cannot be made for what was asked.")) from exc
    progress(1, 1, _("Report ready."))
    return FileResult(output.content, output.filename)
