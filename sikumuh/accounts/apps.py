from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikumuh.accounts"
    label = "accounts"

    def ready(self) -> None:
        from sikumuh.accounts import checks  # noqa: F401  # registers the system checks
