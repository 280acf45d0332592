"""RT data: the table, the entry form (and its live score), new RTs, the import wizard, the
import history, the template download and the RT survey's XLSForm."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import rtdata

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/data-rt/", rtdata.rt_data, name="rt_data"),
    path(
        "wilayah/<str:code>/data-rt/formulir-odk.xlsx",
        rtdata.survey_xlsform,
        name="survey_xlsform",
    ),
    path("rt/<int:pk>/isian/<int:tahun>/", rtdata.rt_form, name="rt_form"),
    path("rt/<int:pk>/isian/<int:tahun>/skor/", rtdata.rt_form_score, name="rt_form_score"),
    path("rt/foto/<int:pk>/", rtdata.rt_photo, name="rt_photo"),
    path("lokasi/<int:pk>/rt-baru/", rtdata.rt_create, name="rt_create"),
    path("wilayah/<str:code>/impor/", rtdata.import_wizard, name="import_wizard"),
    path(
        "wilayah/<str:code>/impor/templat.<slug:fmt>",
        rtdata.template_download,
        name="template_download",
    ),
    path("wilayah/<str:code>/impor/<uuid:upload>/", rtdata.import_review, name="import_review"),
    path(
        "wilayah/<str:code>/impor/<uuid:upload>/simpan/",
        rtdata.import_confirm,
        name="import_confirm",
    ),
    path("wilayah/<str:code>/impor/<slug:fmt>/", rtdata.foreign_import, name="foreign_import"),
    path(
        "wilayah/<str:code>/impor/<slug:fmt>/<uuid:upload>/",
        rtdata.foreign_import_review,
        name="foreign_import_review",
    ),
    path(
        "wilayah/<str:code>/impor/<slug:fmt>/<uuid:upload>/simpan/",
        rtdata.foreign_import_confirm,
        name="foreign_import_confirm",
    ),
    path("impor/riwayat/", rtdata.import_history, name="import_history"),
    path("impor/riwayat/<int:pk>/", rtdata.import_run, name="import_run"),
]
