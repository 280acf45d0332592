"""URLs of the reports area (the navigation links to ``web:reports``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import reports

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/laporan/", reports.index, name="reports"),
    path(
        "wilayah/<str:code>/laporan/pengurangan.<slug:fmt>",
        reports.pengurangan,
        name="report_pengurangan",
    ),
    path(
        "wilayah/<str:code>/laporan/uji-petik/<int:tahun>.<slug:fmt>",
        reports.uji_petik,
        name="report_uji_petik",
    ),
    path(
        "wilayah/<str:code>/laporan/uji-petik/",
        reports.uji_petik_chosen,
        name="report_uji_petik_chosen",
    ),
    path("lokasi/<int:pk>/profil.<slug:fmt>", reports.profil, name="report_profil"),
]
