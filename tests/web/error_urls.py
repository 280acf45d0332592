"""URLs that fail on purpose, for the error page tests: the project's URLs and these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a tampered request, with /srv/secret/path in the message")


def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason at /srv/secret/path")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom at /srv/secret/path")


urlpatterns = [
    path("gagal/400/", bad),
    path("gagal/403/", denied),
    path("gagal/500/", broken),
    path("", include("config.urls")),
]
