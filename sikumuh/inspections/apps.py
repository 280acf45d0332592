from __future__ import annotations

from collections.abc import Callable

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "sikumuh.inspections"
    label = "inspections"
    verbose_name = "Uji petik"

    def audit_value_labels(self) -> dict[str, Callable[[str], str]]:
        """How the audit log reads the codes of this app's fields, asked for through the app
        registry (`sikumuh.web.audit_labels.value_label`)."""
        from sikumuh.inspections.population import strata_field_label

        return {"strata_fields": strata_field_label}
