"""Exports of the standard tables (observations, locations, investments, imports)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import exports

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/ekspor/<slug:table>.<slug:fmt>", exports.export, name="export"),
]
