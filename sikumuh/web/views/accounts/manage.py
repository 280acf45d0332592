"""Administrators manage the accounts of their regions: list, invite (and invite again), grant
and revoke roles, deactivate and reactivate.

An administrator acts only inside the regions they administer (`Scope.can_admin`): the pages
of a region they cannot see answer 404, those of a region they see without administering it
403; a role is granted only in a region inside both the page's region and their scope (an
administrator of 63.01 grants neither in 33.75 nor nationally). A user is deactivated,
reactivated or invited again only when every role they hold lies inside the administrator's
scope, since each changes their access to other regencies too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikumuh.accounts.actions import (
    create_user,
    deactivate_user,
    grant_role,
    reactivate_user,
    record_invitation,
    revoke_role,
)
from sikumuh.accounts.models import Membership, Role
from sikumuh.accounts.selectors import members_within, within
from sikumuh.audit.actions import Actor
from sikumuh.regions.codes import NATIONAL, covers, names_of
from sikumuh.regions.models import Region
from sikumuh.web.scoping import login_required, region_or_404, scope_of
from sikumuh.web.views.accounts.forms import GrantForm, InviteForm
from sikumuh.web.views.accounts.mail import send_link


def _admin_region(request: HttpRequest, code: str) -> Region | None:
    """The page's region: 404 outside the user's scope, 403 where they only read."""
    region = region_or_404(request, code)
    if not scope_of(request).can_admin(code):
        raise PermissionDenied("not an administrator here")
    return region


def _grant_region(request: HttpRequest, code: str, form: GrantForm) -> Region | None:
    """The region the form names, when the administrator may grant there (a form error
    otherwise)."""
    wanted = form.cleaned_data["region"]
    if not (covers(code, wanted) and scope_of(request).can_admin(wanted)):
        # Said on the form, with what was typed kept: a typo is the likely cause.
        name = names_of([code]).get(code, code)
        form.add_error(
            "region",
            _(
                "You can grant roles only in %(name)s (%(code)s) or a region inside it that you"
                " administer."
            )
            % {"name": name, "code": code},
        )
        return None
    if wanted == NATIONAL:
        return None
    region = Region.objects.filter(code=wanted).first()
    if region is None:
        form.add_error("region", _("No region has this code."))
    return region


def _member_or_404(code: str, pk: int) -> Any:
    member = members_within(code).filter(pk=pk).first()
    if member is None:
        raise Http404("user not found")
    return member


def _whole_account(request: HttpRequest, code: str, pk: int) -> Any:
    """The user `pk` of the region, when the administrator may act on their whole account:
    not themselves, not a superuser, and every role they hold inside the administrator's scope
    (404 outside the region, 403 otherwise)."""
    member = _member_or_404(code, pk)
    scope = scope_of(request)
    held = Membership.objects.filter(user=member).values_list("region_id", flat=True)
    if (
        member.pk == request.user.pk
        or member.is_superuser
        or not all(scope.can_admin(held_at or NATIONAL) for held_at in held)
    ):
        raise PermissionDenied("the user holds roles outside this administrator's scope")
    return get_user_model().objects.get(pk=member.pk)


def _invited(request: HttpRequest, user: Any, *, sent: bool) -> None:
    name = {"user": user.get_username()}
    if sent:
        messages.success(
            request,
            _("%(user)s is invited: an e-mail with a link to set a password was sent.") % name,
        )
    else:
        messages.warning(
            request,
            _(
                "%(user)s is created, but the e-mail could not be sent. They can ask for a link"
                " with 'Forgotten password' once the mail server works."
            )
            % name,
        )


@login_required
@require_GET
def users(request: HttpRequest, code: str) -> HttpResponse:
    region = _admin_region(request, code)
    context = {"region": region, "code": code, "members": members_within(code)}
    return render(request, "web/accounts/users.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_create(request: HttpRequest, code: str) -> HttpResponse:
    """Invite a user: the account is made without a password, and an e-mail carries the link
    that sets one."""
    region = _admin_region(request, code)
    form = InviteForm(request.POST or None, initial={"region": code})
    if request.method == "POST":
        if form.is_valid():
            target = _grant_region(request, code, form)
            if form.is_valid():
                user = create_user(
                    actor=Actor.of(request.user),
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    region=target,
                )
                # Mailed once the account is committed (the action's transaction is over).
                _invited(request, user, sent=send_link(request, user, kind="invite"))
                return redirect("web:user_detail", code=code, pk=user.pk)
        context = {"region": region, "code": code, "form": form}
        return render(request, "web/accounts/user_create.html", context, status=400)
    return render(
        request, "web/accounts/user_create.html", {"region": region, "code": code, "form": form}
    )


@login_required
@require_GET
def user_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = _admin_region(request, code)
    member = _member_or_404(code, pk)
    context = {
        "region": region,
        "code": code,
        "member": member,
        "is_self": member.pk == request.user.pk,
        "form": GrantForm(initial={"region": code}),
    }
    return render(request, "web/accounts/user_detail.html", context)


@login_required
@require_POST
def user_grant(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = _admin_region(request, code)
    member = _member_or_404(code, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        target = _grant_region(request, code, form)
        if form.is_valid():
            grant_role(
                actor=Actor.of(request.user),
                user=member,
                region=target,
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("Role granted."))
            return redirect("web:user_detail", code=code, pk=member.pk)
    context = {
        "region": region,
        "code": code,
        "member": member,
        "is_self": member.pk == request.user.pk,
        "form": form,
    }
    return render(request, "web/accounts/user_detail.html", context, status=400)


@login_required
@require_POST
def user_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _admin_region(request, code)
    membership = Membership.objects.filter(within(code), pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("role not found")
    user_pk = membership.user_id
    if user_pk == request.user.pk and membership.role == Role.ADMIN:
        # Removing one's own administration could leave the regency with none: another
        # administrator (or the operator's `sikumuh users`) does it.
        messages.error(request, _("You cannot revoke your own administrator role."))
        return redirect("web:user_detail", code=code, pk=user_pk)
    revoke_role(actor=Actor.of(request.user), membership=membership)
    messages.success(request, _("Role revoked."))
    if Membership.objects.filter(within(code), user_id=user_pk).exists():
        return redirect("web:user_detail", code=code, pk=user_pk)
    return redirect("web:users", code=code)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _admin_region(request, code)
    member = _whole_account(request, code, pk)
    deactivate_user(actor=Actor.of(request.user), user=member)
    messages.success(request, _("%(user)s is deactivated.") % {"user": member.get_username()})
    return redirect("web:user_detail", code=code, pk=member.pk)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A deactivated account logs in again with the roles it still holds (not its old API
    tokens)."""
    _admin_region(request, code)
    member = _whole_account(request, code, pk)
    if reactivate_user(actor=Actor.of(request.user), user=member):
        messages.success(request, _("%(user)s is active again.") % {"user": member.get_username()})
    return redirect("web:user_detail", code=code, pk=member.pk)


@login_required
@require_POST
def user_reinvite(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Send the invitation again (it expired, or went astray) to an active account that has
    not set a password yet; a fresh link, the old ones still valid until they expire."""
    _admin_region(request, code)
    member = _whole_account(request, code, pk)
    if not (member.is_active and member.email and not member.has_usable_password()):
        messages.error(
            request,
            _(
                "Only an active account with an e-mail address and no password yet can be"
                " invited again; others use 'Forgotten password'."
            ),
        )
        return redirect("web:user_detail", code=code, pk=member.pk)
    sent = send_link(request, member, kind="invite")
    record_invitation(actor=Actor.of(request.user), user=member, region_code=code, sent=sent)
    if sent:
        _invited(request, member, sent=True)
    else:
        messages.warning(
            request,
            _("The invitation to %(user)s could not be sent: try again once the mail server works.")
            % {"user": member.get_username()},
        )
    return redirect("web:user_detail", code=code, pk=member.pk)
