from __future__ import annotations

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "sikumuh.inspections"
    label = "inspections"
    verbose_name = "Uji petik"
