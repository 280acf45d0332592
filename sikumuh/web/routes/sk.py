"""URLs of the SK Kumuh registry (names fixed: the navigation links to ``web:sk_list``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import sk

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/sk/", sk.sk_list, name="sk_list"),
    path("wilayah/<str:code>/sk/baru/", sk.sk_create, name="sk_create"),
    path("wilayah/<str:code>/sk/hapus-status/", sk.sk_removal, name="sk_removal"),
    path("wilayah/<str:code>/sk/unggah/", sk.sk_upload, name="sk_upload"),
    path("wilayah/<str:code>/sk/lapisan-gis/", sk.sk_layer, name="sk_layer"),
    path("sk/<int:pk>/", sk.sk_detail, name="sk_detail"),
    path("sk/<int:pk>/ubah/", sk.sk_edit, name="sk_edit"),
    path("sk/<int:pk>/versi-baru/", sk.sk_new_version, name="sk_new_version"),
    path("sk/<int:pk>/banding/<int:other>/", sk.sk_diff, name="sk_diff"),
    path("sk/<int:pk>/lampiran/", sk.sk_lampiran, name="sk_lampiran"),
]
