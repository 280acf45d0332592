"""Log in (rate-limited by `accounts.login_limit`) and out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sikumuh.accounts import login_limit, two_factor
from sikumuh.web.views.accounts.signin import begin_second_step

#: Django's Indonesian catalogue names the field twice in its refusal ("Masukkan nama pengguna
#: nama pengguna dan sandi yang benar"): the login form says it in words of our own.
INVALID_LOGIN = gettext_lazy(
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


class LoginForm(AuthenticationForm):
    """Django's login form with our refusal of a wrong username or password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, "invalid_login": INVALID_LOGIN}


def refused(request: HttpRequest, next_url: str = "") -> HttpResponse:
    """The answer to an attempt over the limit (also the admin login's)."""
    username = request.POST.get("username", "")[:150]
    minutes = max(1, -(-settings.LOGIN_COOLDOWN_SECONDS // 60))
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "next": next_url,
        "blocked": ngettext(
            "Too many failed attempts. Try again in %(minutes)d minute.",
            "Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
    }
    return render(request, "web/login.html", context, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        ok = login_limit.guarded(request, request.POST.get("username", ""), form.is_valid)
        if ok is None:
            # The password is not even checked while the cool-down lasts.
            return refused(request, next_url)
        if ok:
            user = form.get_user()
            if two_factor.has_two_factor(user):
                # Not logged in yet: the code from the authenticator comes first.
                return begin_second_step(request, user, next_url)
            auth.login(request, user)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "web/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
