"""Language: Bahasa Indonesia unless the user chose English; requests carrying a NUL refused;
a page's 405 answered with the branded page.

Django's LocaleMiddleware follows the browser's Accept-Language, which turns pages English for
most office browsers and every headless test browser. Here only an explicit choice (the language
cookie that `set_language` sets) switches away from the default. An API client has no cookie:
its explicit choice is the Accept-Language header (`/api/`: `Accept-Language: en` gives English).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


def _first_accepted(header: str, available: set[str]) -> str:
    """The first language of an Accept-Language header we have ("en-GB" → "en"), or ""."""
    for part in header.split(","):
        primary = part.split(";")[0].strip().lower().split("-")[0]
        if primary in available:
            return primary
    return ""


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        api = request.path.startswith(API_PREFIX)
        if api:
            chosen = _first_accepted(request.headers.get("Accept-Language", ""), self.available)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",) if api else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequireTwoFactorMiddleware:
    """With settings.REQUIRE_2FA an administrator without an authenticator is sent to enrol
    one, whatever they ask for, until they have; only enrolment, logout and the language switch
    stay open (static files are served before any view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.REQUIRE_2FA and request.user.is_authenticated:
            from django.shortcuts import redirect
            from django.urls import reverse

            from sikumuh.accounts.two_factor import must_enrol

            open_paths = {reverse(name) for name in _OPEN_WHILE_ENROLLING}
            if request.path not in open_paths and must_enrol(request.user):
                return redirect("web:two_factor")
        return self.get_response(request)


_OPEN_WHILE_ENROLLING = ("web:two_factor", "web:logout", "set_language")


class RejectNulMiddleware:
    """A NUL character in any GET or POST parameter (name or value) is answered 400 here, at
    the boundary: PostgreSQL cannot store or even compare a NUL in text, so ``?user=a%00b``
    on the audit page was a 500 from the database. No form field of ours takes one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return render(request, "web/bad_request.html", status=400)
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for params in (request.GET, request.POST if request.method == "POST" else None):
        if params is None:
            continue
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in str(v) for v in values):
                return True
    return False


class MethodNotAllowedPageMiddleware:
    """Django's ``require_POST`` answers a GET with an empty 405, which a browser shows as its
    own English error page: someone who opens a button's address (a bookmark, the address bar
    after a failed form) gets the branded Indonesian page instead, the Allow header kept. The
    API's answers stay as they are (JSON, documented)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.content
            and not request.path.startswith(API_PREFIX)
        ):
            page = render(request, "405.html", status=405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response
