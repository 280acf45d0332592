"""`sikumuh users add|list|deactivate|reactivate|token`: accounts for operators, without the
web pages.

Every change is audited with the CLI's actor ("cli:<system user>"), as the other commands do.
Messages are in the user's language (the cli catalogue); `list --format json` and the token on
stdout are for scripts and stay as they are.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from sikumuh.cli import base

ROLES = ("admin", "reviewer", "editor", "viewer")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("users", help="manage user accounts, roles and API tokens")
    users = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users.add_parser("add", help="create a user, or give an existing one another role")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", required=True, help="Kemendagri code, e.g. 63.01 (ID: national)")
    add.add_argument("--email", default="")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(run=run_add)
    listing = users.add_parser("list", help="list users and their roles")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(run=run_list)
    deactivate = users.add_parser("deactivate", help="deactivate a user (never deleted)")
    deactivate.add_argument("username")
    deactivate.set_defaults(run=run_deactivate)
    reactivate = users.add_parser("reactivate", help="let a deactivated user log in again")
    reactivate.add_argument("username")
    reactivate.set_defaults(run=run_reactivate)
    token = users.add_parser("token", help="print a new API token for a user (or revoke one)")
    token.add_argument("username")
    token.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")
    token.set_defaults(run=run_token)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise base.CommandError(_("unknown user %(user)r") % {"user": username})
    return user


def _password(user: Any) -> str:
    """One line of standard input, checked by the configured password validators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise base.CommandError(_("no password on standard input"))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise base.CommandError(
            _("password refused: %(reasons)s") % {"reasons": " ".join(exc.messages)}
        ) from exc
    return password


def run_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils.translation import gettext as _

    from sikumuh.accounts.actions import create_user, grant_role, set_password
    from sikumuh.audit.actions import Actor
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region

    code = args.region.strip()
    region = None if code == NATIONAL else Region.objects.filter(code=code).first()
    if code != NATIONAL and region is None:
        raise base.CommandError(_("unknown region code: %(code)s") % {"code": code})
    actor = Actor.system()
    existing = get_user_model().objects.filter(username=args.username).first()
    password = (
        _password(existing or get_user_model()(username=args.username, email=args.email))
        if args.password_stdin
        else ""
    )
    with transaction.atomic():
        if existing is None:
            user = create_user(
                actor=actor,
                username=args.username,
                email=args.email,
                role=args.role,
                region=region,
                password=password or None,
            )
            done = _("user %(user)s created: %(role)s in %(code)s")
        else:
            user = existing
            grant_role(actor=actor, user=user, region=region, role=args.role)
            if password:
                set_password(actor=actor, user=user, password=password, reason="cli")
            done = _("user %(user)s updated: %(role)s in %(code)s")
    print(done % {"user": user.get_username(), "role": args.role, "code": code}, file=out)
    if not user.has_usable_password():
        print(
            _("no password yet: give one with --password-stdin, or use 'Forgotten password'"),
            file=out,
        )
    return 0


def run_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _

    from sikumuh.accounts.models import TotpDevice

    users = (
        get_user_model()
        .objects.annotate(
            two_factor=Exists(TotpDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related("memberships")
        .order_by("username")
    )
    rows = [
        {
            "username": user.get_username(),
            "email": user.email,
            "active": user.is_active,
            "two_factor": user.two_factor,
            "roles": sorted(f"{m.role}@{m.region_id or 'ID'}" for m in user.memberships.all()),
        }
        for user in users
    ]
    if args.format == "json":
        base.dump_json(rows, out)
        return 0
    for row in rows:
        state = "" if row["active"] else " (" + _("deactivated") + ")"
        tfa = " 2FA" if row["two_factor"] else ""
        print(f"{row['username']}{state}{tfa} <{row['email']}> {', '.join(row['roles'])}", file=out)
    return 0


def run_deactivate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.accounts.actions import deactivate_user
    from sikumuh.audit.actions import Actor

    user = _user(args.username)
    deactivate_user(actor=Actor.system(), user=user)
    print(
        _("user %(user)s deactivated; its API tokens revoked") % {"user": user.get_username()},
        file=out,
    )
    return 0


def run_reactivate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.accounts.actions import reactivate_user
    from sikumuh.audit.actions import Actor

    user = _user(args.username)
    name = {"user": user.get_username()}
    if not reactivate_user(actor=Actor.system(), user=user):
        print(_("user %(user)s is active already") % name, file=out)
        return 0
    print(
        _("user %(user)s reactivated with the roles it holds; its old API tokens stay revoked")
        % name,
        file=out,
    )
    return 0


def run_token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.accounts.models import ApiToken
    from sikumuh.accounts.tokens import create_token, revoke_token
    from sikumuh.audit.actions import Actor

    user = _user(args.username)
    if args.revoke:
        token = ApiToken.objects.filter(user=user, prefix=args.revoke).first()
        if token is None:
            raise base.CommandError(
                _("%(user)s has no token %(prefix)r")
                % {"user": args.username, "prefix": args.revoke}
            )
        revoke_token(actor=Actor.system(), token=token)
        print(
            _("token %(prefix)s of %(user)s revoked")
            % {"prefix": token.prefix, "user": user.get_username()},
            file=out,
        )
        return 0
    if not user.is_active:
        raise base.CommandError(
            _("user %(user)r is deactivated: `sikumuh users reactivate` first")
            % {"user": args.username}
        )
    _token, raw = create_token(actor=Actor.system(), user=user)
    # The token alone on stdout, so that `sikumuh users token X > file` keeps just it.
    print(raw, file=out)
    print(_("store it now: it is not shown again"), file=err)
    return 0
