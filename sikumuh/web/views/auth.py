"""Log in (rate-limited) and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _keys(request: HttpRequest, username: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:ip:{_client(request)}"]


def _blocked(request: HttpRequest, username: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


def _count_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, settings.LOGIN_COOLDOWN_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_COOLDOWN_SECONDS)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    blocked = ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        if _blocked(request, username):
            # The password is not even checked while the cool-down lasts.
            blocked = _("Too many failed attempts. Try again in 15 minutes.")
            status = 429
        elif form.is_valid():
            auth.login(request, form.get_user())
            for key in _keys(request, username):
                cache.delete(key)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        else:
            _count_failure(request, username)
    context = {"form": form, "next": next_url, "blocked": blocked}
    return render(request, "web/login.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
