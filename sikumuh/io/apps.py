from __future__ import annotations

from django.apps import AppConfig


class IoConfig(AppConfig):
    name = "sikumuh.io"
    label = "imports"
