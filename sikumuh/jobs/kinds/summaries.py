"""The rebuild of every location-year summary as a job (`sikumuh rebuild-summaries` runs the
same function in the foreground)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.jobs.kinds.base import Outcome, Reporter, register
from sikumuh.jobs.models import Job
from sikumuh.surveys.location_scores import rebuild_location_scores

KIND = "rebuild_summaries"


@register(KIND, gettext_lazy("Rebuild of the location summaries"))
def run(job: Job, progress: Reporter) -> Outcome:
    def step(done: int, total: int) -> None:
        progress(done, total, _("Recomputing the locations: %(done)d of %(total)d") % {
            "done": done, "total": total
        })  # fmt: skip

    progress(0, 0, _("Reading the locations…"))
    written = rebuild_location_scores(step)
    return {"location_years": written}
