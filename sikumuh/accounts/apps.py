from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikumuh.accounts"
    label = "accounts"
