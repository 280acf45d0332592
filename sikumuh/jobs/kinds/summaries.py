"""The rebuild of the location-year summaries as a job (`sikumuh rebuild-summaries` runs the
same function in the foreground): of one kabupaten/kota when ``params["kabupaten"]`` names it
(the review page's button, for the kabupaten's administrators), of every location otherwise."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.audit.actions import Actor
from sikumuh.jobs.kinds.base import Outcome, Reporter, register
from sikumuh.jobs.models import Job
from sikumuh.surveys.location_scores import rebuild_location_scores

KIND = "rebuild_summaries"


def start_rebuild(*, actor: Actor, kabupaten: str) -> Job:
    """The rebuild of ``kabupaten``'s summaries (the caller has checked the actor administers
    it): the one already waiting or running there, if any, else a new one (audited)."""
    from sikumuh.jobs.actions import start_job
    from sikumuh.jobs.selectors import unfinished

    waiting = unfinished(KIND, kabupaten)
    if waiting is not None and waiting.params.get("kabupaten") == kabupaten:
        return waiting
    return start_job(actor=actor, kind=KIND, region_code=kabupaten, params={"kabupaten": kabupaten})


@register(KIND, gettext_lazy("Rebuild of the location summaries"))
def run(job: Job, progress: Reporter) -> Outcome:
    def step(done: int, total: int) -> None:
        progress(done, total, _("Recomputing the locations: %(done)d of %(total)d") % {
            "done": done, "total": total
        })  # fmt: skip

    progress(0, 0, _("Reading the locations…"))
    kabupaten = job.params.get("kabupaten")
    written = rebuild_location_scores(step, None if kabupaten is None else str(kabupaten))
    return {"location_years": written}
