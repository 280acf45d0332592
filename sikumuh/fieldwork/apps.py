from __future__ import annotations

from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "sikumuh.fieldwork"
    label = "fieldwork"
    verbose_name = "Pendataan (sosialisasi, FGD)"
