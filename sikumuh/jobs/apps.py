from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "sikumuh.jobs"
    label = "jobs"
