"""One's own account: who one is where, the password, the authenticator, API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.accounts import login_limit, two_factor
from sikumuh.accounts.actions import set_password
from sikumuh.accounts.models import ApiToken
from sikumuh.accounts.tokens import create_token, revoke_token
from sikumuh.audit.actions import Actor
from sikumuh.regions.codes import names_of
from sikumuh.web.scoping import login_required, scope_of
from sikumuh.web.views.accounts.signin import cooldown_message

SECRET = "sikumuh_2fa_secret"  # the secret being enrolled, until a code confirms it


def _me(request: HttpRequest) -> Any:
    """The signed-in user (the views are behind `login_required`)."""
    return request.user


def _account_page(request: HttpRequest, **extra: Any) -> HttpResponse:
    scope = scope_of(request)
    context = {
        "roles": scope.banner(),
        "admin_regions": _named([code for code in scope.roots if scope.can_admin(code)]),
        "has_two_factor": two_factor.has_two_factor(request.user),
        "tokens": ApiToken.objects.filter(user=_me(request)).order_by("-created"),
        **extra,
    }
    return render(request, "web/accounts/account.html", context)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            set_password(
                actor=Actor.of(request.user),
                user=request.user,
                password=form.cleaned_data["new_password1"],
                reason="changed by the user",
            )
            update_session_auth_hash(request, _me(request))  # stay logged in here
            messages.success(request, _("Your password has been changed."))
            return redirect("web:account")
        return render(request, "web/accounts/password_change.html", {"form": form}, status=400)
    return render(request, "web/accounts/password_change.html", {"form": form})


def _checked(request: HttpRequest, check: Any) -> tuple[bool, str, int]:
    """A code typed on the account page, limited like the login's code step: (accepted, the
    message if not, the status to answer with)."""
    ok = login_limit.guarded(request, request.user.get_username(), check, purpose="otp")
    if ok is None:
        return False, cooldown_message(), 429
    if not ok:
        return False, _("That code is not valid. Try the current one."), 400
    return True, "", 200


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: scan the QR code (or type the secret), confirm with a code; the
    recovery codes are shown once, on the answer to that confirmation."""
    user = request.user
    if two_factor.has_two_factor(user):
        return render(request, "web/accounts/two_factor.html", {"enrolled": True})
    secret = request.session.get(SECRET) or two_factor.new_secret()
    request.session[SECRET] = secret
    context: dict[str, Any] = {"secret": secret}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        codes: list[str] = []

        def check() -> bool:
            codes.extend(
                two_factor.enable(actor=Actor.of(user), user=user, secret=secret, code=code) or []
            )
            return bool(codes)

        ok, context["error"], status = _checked(request, check)
        if ok:
            del request.session[SECRET]
            return render(request, "web/accounts/two_factor.html", {"recovery_codes": codes})
    uri = two_factor.provisioning_uri(secret, user.get_username())
    context["qr"] = two_factor.qr_svg(uri)
    return render(request, "web/accounts/two_factor.html", context, status=status)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator, proven with a current code; refused to administrators where
    it is required."""
    user = request.user
    if settings.REQUIRE_2FA and any(role == "admin" for _, role in scope_of(request).grants):
        raise PermissionDenied("two-factor sign-in is required for administrators")
    code = request.POST.get("code", "")[:40]
    ok, error, _status = _checked(request, lambda: two_factor.verify(user=user, code=code))
    if not ok:
        messages.error(request, error)
        return redirect("web:account")
    two_factor.disable(actor=Actor.of(user), user=user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("web:account")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new API token, shown on this answer only."""
    _token, raw = create_token(actor=Actor.of(request.user), user=request.user)
    return _account_page(request, new_token=raw)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=_me(request)).first()
    if token is None:
        raise Http404("token not found")
    revoke_token(actor=Actor.of(request.user), token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("web:account")


def _named(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name) of each region, for links people read ("Pengguna · Kabupaten Tanah Laut")."""
    names = names_of(codes)
    return [(code, names.get(code, code)) for code in codes]
