from __future__ import annotations

from django.apps import AppConfig


class SlumsConfig(AppConfig):
    name = "sikumuh.slums"
    label = "slums"
