"""Demo accounts, one per role, for trying the Tanah Laut demo as each kind of user.

The passwords are fixed, published strings (they are printed by `sikumuh demo` and written in
this file), so the accounts are refused in production (settings.PRODUCTION). An existing account
is never given a new password: if someone changed it, the list says so instead of printing one.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from sikumuh.accounts.actions import grant_role
from sikumuh.accounts.models import Role
from sikumuh.audit.actions import Actor, diff, record
from sikumuh.regions.models import Region

KABUPATEN = "63.01"  # Tanah Laut, the demo's kabupaten
FACILITATOR_DESA = "63.01.03.1001"  # Sarang Halang, Kecamatan Pelaihari: RT data of 2019 and 2021

#: The demo superuser of /admin/ (`sikumuh demo`), with its well-known password.
DEMO_SUPERUSER = ("admin", "admin-demo")

#: (username, password, role, region code, what the account is for)
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("demo-admin", "demo-admin-2021", Role.ADMIN, KABUPATEN, "Dinas Perkim (administrator)"),
    ("demo-pokja", "demo-pokja-2021", Role.REVIEWER, KABUPATEN, "Pokja PKP / Bappeda (reviewer)"),
    (
        "demo-fasilitator",
        "demo-fasilitator-2021",
        Role.EDITOR,
        FACILITATOR_DESA,
        "fasilitator (editor) satu desa",
    ),
    ("demo-pemantau", "demo-pemantau-2021", Role.VIEWER, KABUPATEN, "pemantau (viewer)"),
)


def known_demo_logins() -> list[tuple[str, str]]:
    """Every (username, password) the demo publishes: none may log in to a production site."""
    return [DEMO_SUPERUSER, *((username, password) for username, password, *_ in DEMO_ACCOUNTS)]


class DemoAccountsRefused(RuntimeError):
    """Demo accounts with published passwords are never created in production."""


class DemoAccount(NamedTuple):
    username: str
    password: str | None  # None: the account existed with another password (left unchanged)
    role: str
    region: str


def ensure_demo_accounts(*, actor: Actor) -> list[DemoAccount]:
    """Create the four demo accounts and their roles where absent; return how to log in."""
    if settings.PRODUCTION:
        raise DemoAccountsRefused(
            "no demo accounts in production (SIKUMUH_ENV=production): they have published passwords"
        )
    user_model = get_user_model()
    regions = Region.objects.in_bulk([code for *_, code, _ in DEMO_ACCOUNTS])
    missing = sorted({code for *_, code, _ in DEMO_ACCOUNTS} - set(regions))
    if missing:
        raise DemoAccountsRefused(f"regions {', '.join(missing)} are not loaded")
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        for username, password, role, code, purpose in DEMO_ACCOUNTS:
            user = user_model.objects.filter(username=username).first()
            shown: str | None = password
            if user is None:
                user = user_model.objects.create_user(username, password=password)
                user.first_name = purpose[:150]
                user.save(update_fields=["first_name"])
                record(
                    actor=actor,
                    action="user.create",
                    obj=user,
                    changes=diff({}, {"username": username, "purpose": purpose}),
                    region_code=code,
                )
            elif not user.check_password(password):
                shown = None
            grant_role(actor=actor, user=user, region=regions[code], role=role)
            accounts.append(DemoAccount(username, shown, str(role), code))
    return accounts
