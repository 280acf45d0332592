from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    name = "sikumuh.web"
    label = "web"


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: its login goes through the login limit."""

    default = False  # `sikumuh.web` itself stays WebConfig
    default_site = "sikumuh.web.admin_site.LimitedAdminSite"
