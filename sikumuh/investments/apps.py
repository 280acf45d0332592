from __future__ import annotations

from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "sikumuh.investments"
    label = "investments"
