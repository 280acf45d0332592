from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "sikumuh.surveys"
    label = "surveys"

    def ready(self) -> None:
        # A photo's file leaves MEDIA storage after its row's deletion commits (photo_files).
        from sikumuh.surveys import photo_files

        photo_files.connect()
