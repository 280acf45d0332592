from __future__ import annotations

from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JobsConfig(AppConfig):
    name = "sikumuh.jobs"
    label = "jobs"

    def audit_value_labels(self) -> dict[str, Callable[[str], str]]:
        """How the audit log reads a job's status (a retried job: "gagal → menunggu"); the
        words of the jobs pages, asked for through the app registry (`web.audit_labels`)."""
        states = {
            "queued": pgettext_lazy("job state", "waiting"),
            "running": pgettext_lazy("job state", "running"),
            "succeeded": pgettext_lazy("job state", "done"),
            "failed": pgettext_lazy("job state", "failed"),
        }
        return {"status": lambda code: str(states.get(code, code))}
