"""Investasi: the list of a region (of a location or RT with `?lokasi=`/`?rt=`), adding,
changing and deleting an investment, the import of investment files, and the planner
(`rencana`: what to fund to graduate the most slum hectares)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import investments

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/investasi/", investments.investment_list, name="investments"),
    path(
        "wilayah/<str:code>/investasi/baru/",
        investments.investment_create,
        name="investment_create",
    ),
    path("investasi/<int:pk>/ubah/", investments.investment_edit, name="investment_edit"),
    path("investasi/<int:pk>/hapus/", investments.investment_delete, name="investment_delete"),
    path(
        "wilayah/<str:code>/investasi/impor/",
        investments.investment_import,
        name="investment_import",
    ),
    path(
        "wilayah/<str:code>/investasi/impor/<uuid:upload>/",
        investments.investment_import_review,
        name="investment_import_review",
    ),
    path(
        "wilayah/<str:code>/investasi/impor/<uuid:upload>/simpan/",
        investments.investment_import_confirm,
        name="investment_import_confirm",
    ),
    path(
        "wilayah/<str:code>/investasi/rencana/",
        investments.investment_plan,
        name="investment_plan",
    ),
    path(
        "wilayah/<str:code>/investasi/rencana/biaya-satuan/",
        investments.investment_plan_costs,
        name="investment_plan_costs",
    ),
    path(
        "wilayah/<str:code>/investasi/rencana/<int:job>/unduh.<str:fmt>",
        investments.investment_plan_export,
        name="investment_plan_export",
    ),
]
