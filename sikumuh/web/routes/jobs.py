"""URLs of the background jobs (``tugas``): the list, a job, its file, its retry."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import jobs

urlpatterns: list[URLPattern] = [
    path("tugas/", jobs.job_list, name="jobs"),
    path("tugas/<int:pk>/", jobs.job_detail, name="job"),
    path("tugas/<int:pk>/unduh/", jobs.job_download, name="job_download"),
    path("tugas/<int:pk>/coba-lagi/", jobs.job_retry, name="job_retry"),
]
