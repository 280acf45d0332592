"""`sikumuh users add|list|deactivate|token`: accounts for operators, without the web pages.

Every change is audited with the CLI's actor ("cli:<system user>"), as the other commands do.
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
    token = users.add_parser("token", help="print a new API token for a user (or revoke one)")
    token.add_argument("username")
    token.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")
    token.set_defaults(run=run_token)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise base.CommandError(f"unknown user {username!r}")
    return user


def _password(user: Any) -> str:
    """One line of standard input, checked by the configured password validators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise base.CommandError("no password on standard input")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise base.CommandError("password refused: " + " ".join(exc.messages)) from exc
    return password


def run_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from sikumuh.accounts.actions import create_user, grant_role, set_password
    from sikumuh.audit.actions import Actor
    from sikumuh.regions.codes import NATIONAL
    from sikumuh.regions.models import Region

    code = args.region.strip()
    region = None if code == NATIONAL else Region.objects.filter(code=code).first()
    if code != NATIONAL and region is None:
        raise base.CommandError(f"unknown region code {code!r}")
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
            what = "created"
        else:
            user = existing
            grant_role(actor=actor, user=user, region=region, role=args.role)
            if password:
                set_password(actor=actor, user=user, password=password, reason="cli")
            what = "updated"
    print(f"user {user.get_username()} {what}: {args.role} in {code}", file=out)
    if not user.has_usable_password():
        print(
            "no password yet: give one with --password-stdin, or use 'Forgotten password'", file=out
        )
    return 0


def run_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

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
        state = "" if row["active"] else " (deactivated)"
        tfa = " 2FA" if row["two_factor"] else ""
        print(f"{row['username']}{state}{tfa} <{row['email']}> {', '.join(row['roles'])}", file=out)
    return 0


def run_deactivate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.accounts.actions import deactivate_user
    from sikumuh.audit.actions import Actor

    user = _user(args.username)
    deactivate_user(actor=Actor.system(), user=user)
    print(f"user {user.get_username()} deactivated; its API tokens revoked", file=out)
    return 0


def run_token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.accounts.models import ApiToken
    from sikumuh.accounts.tokens import create_token, revoke_token
    from sikumuh.audit.actions import Actor

    user = _user(args.username)
    if args.revoke:
        token = ApiToken.objects.filter(user=user, prefix=args.revoke).first()
        if token is None:
            raise base.CommandError(f"{args.username} has no token {args.revoke!r}")
        revoke_token(actor=Actor.system(), token=token)
        print(f"token {token.prefix} of {user.get_username()} revoked", file=out)
        return 0
    if not user.is_active:
        raise base.CommandError(f"user {args.username!r} is deactivated")
    _token, raw = create_token(actor=Actor.system(), user=user)
    # The token alone on stdout, so that `sikumuh users token X > file` keeps just it.
    print(raw, file=out)
    print("store it now: it is not shown again", file=err)
    return 0
