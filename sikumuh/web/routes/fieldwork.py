"""Data-collection progress: sosialisasi per kecamatan, FGD per desa, and their attachments."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import fieldwork as views

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/pendataan/", views.progress, name="fieldwork"),
    path(
        "wilayah/<str:code>/pendataan/sosialisasi/baru/",
        views.create,
        {"kind": "sosialisasi"},
        name="fieldwork_sosialisasi_create",
    ),
    path(
        "wilayah/<str:code>/pendataan/fgd/baru/",
        views.create,
        {"kind": "fgd"},
        name="fieldwork_fgd_create",
    ),
    *[
        item
        for kind in ("sosialisasi", "fgd")
        for item in (
            path(
                f"pendataan/{kind}/<int:pk>/",
                views.detail,
                {"kind": kind},
                name=f"fieldwork_{kind}",
            ),
            path(
                f"pendataan/{kind}/<int:pk>/ubah/",
                views.update,
                {"kind": kind},
                name=f"fieldwork_{kind}_update",
            ),
            path(
                f"pendataan/{kind}/<int:pk>/hapus/",
                views.delete,
                {"kind": kind},
                name=f"fieldwork_{kind}_delete",
            ),
        )
    ],
    path(
        "pendataan/lampiran/<str:kind>/<int:pk>/",
        views.attachment,
        name="fieldwork_attachment",
    ),
]
