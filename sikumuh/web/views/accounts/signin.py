"""The second step of signing in (a code from the authenticator), password resets by e-mail and
the page where an invitation or reset link sets the password.

Between the two steps the session holds only who passed the password, when, and where to go
next; the user is logged in only after the code. Both steps are limited by `login_limit`, each
with its own budget (the code step's purpose is "otp").
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sikumuh.accounts import login_limit, two_factor
from sikumuh.accounts.actions import set_password
from sikumuh.audit.actions import Actor
from sikumuh.web.views.accounts.mail import send_link

PENDING = "sikumuh_2fa_pending"
#: The code must follow the password within this many seconds.
PENDING_SECONDS = 300


def begin_second_step(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """The password was right and the account has an authenticator: ask for its code."""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    request.session.cycle_key()  # a new session id once the password has been proven
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("web:login_code")


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_pk = pending.get("user")
    if not isinstance(user_pk, int):
        return None
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    return (user, pending) if user is not None else None


def cooldown_message() -> str:
    minutes = max(1, -(-settings.LOGIN_COOLDOWN_SECONDS // 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        return redirect("web:login")
    user, pending = found
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        ok = login_limit.guarded(
            request,
            user.get_username(),
            lambda: two_factor.verify(user=user, code=code),
            purpose="otp",
        )
        if ok:
            del request.session[PENDING]
            auth.login(request, user, backend=pending["backend"])
            return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)
        if ok is None:
            context["error"], status = cooldown_message(), 429
        else:
            context["error"], status = _("That code is not valid. Try the current one."), 400
    return render(request, "web/accounts/login_code.html", context, status=status)


class ResetForm(PasswordResetForm):
    """Django's, but an invited user who has not set a password yet (lost invitation, mail
    server down at the time) may ask for a link too; deactivated users still may not."""

    def get_users(self, email: str) -> Any:
        email_field = get_user_model().get_email_field_name()
        return get_user_model()._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer never says whether the address has an account."""
    form = ResetForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "web/accounts/password_reset.html", {"form": form}, status=400)
        email = form.cleaned_data["email"]
        if login_limit.reserve(request, email, purpose="reset") is None:
            context = {"form": form, "error": cooldown_message()}
            return render(request, "web/accounts/password_reset.html", context, status=429)
        for user in form.get_users(email):
            send_link(request, user, kind="reset")
        return render(request, "web/accounts/password_reset.html", {"sent": True})
    return render(request, "web/accounts/password_reset.html", {"form": form})


class SetPasswordView(PasswordResetConfirmView):
    """The page an invitation or a reset link opens: set the password, then be logged in (or,
    with an authenticator, sent to log in with it: a mailbox alone must not pass the second
    factor)."""

    template_name = "web/accounts/password_set.html"
    form_class = SetPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        reason = "reset" if user.has_usable_password() else "invitation"
        set_password(
            actor=Actor.of(user),
            user=user,
            password=form.cleaned_data["new_password1"],
            reason=reason,
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if two_factor.has_two_factor(user):
            messages.success(self.request, _("Password set. Log in with it and your code."))
            return redirect("web:login")
        auth.login(self.request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(self.request, _("Password set. Welcome to sikumuh."))
        return redirect(settings.LOGIN_REDIRECT_URL)


# Django's view answers any method on a dead link; only these reach it here.
password_set = require_http_methods(["GET", "HEAD", "POST"])(SetPasswordView.as_view())
