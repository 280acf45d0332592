"""URLs of the uji petik area (the navigation links to ``web:uji_petik``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views.ujipetik import pages, records

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/uji-petik/", pages.uji_petik_list_view, name="uji_petik"),
    path("uji-petik/<int:pk>/", pages.uji_petik_detail, name="uji_petik_detail"),
    path("uji-petik/<int:pk>/xlsform.xlsx", pages.xlsform, name="uji_petik_xlsform"),
    path("uji-petik/<int:pk>/impor-odk/", pages.submissions, name="uji_petik_submissions"),
    path("uji-petik/<int:pk>/purposif/", pages.purposive, name="uji_petik_purposive"),
    path("uji-petik/<int:pk>/temuan/", records.finding, name="uji_petik_finding"),
    path("uji-petik/item/<int:pk>/checklist/", records.checklist, name="uji_petik_checklist"),
    path("uji-petik/item/<int:pk>/survei-ulang/", records.resurvey, name="uji_petik_resurvey"),
    path(
        "uji-petik/temuan/<int:pk>/tindak-lanjut/",
        records.follow_up,
        name="uji_petik_follow_up",
    ),
    path("uji-petik/tindak-lanjut/<int:pk>/selesai/", records.close, name="uji_petik_close"),
    path(
        "uji-petik/berkas/<str:kind>/<int:pk>/",
        records.attachment,
        name="uji_petik_attachment",
    ),
]
