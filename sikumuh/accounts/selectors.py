"""Reads about accounts: who holds roles inside a region."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sikumuh.accounts.models import Membership, TotpDevice
from sikumuh.regions.codes import NATIONAL


def within(code: str) -> Q:
    """Memberships held at `code` or anywhere inside it (all of them for the nation)."""
    if code == NATIONAL:
        return Q()
    # No `__startswith` on a foreign key's column: through the Region's primary key (its code).
    return Q(region_id=code) | Q(region__pk__startswith=code + ".")


def members_within(code: str) -> QuerySet[Any]:
    """The users holding a role inside `code`, each with those roles (`inside`) and whether an
    authenticator guards the account. Two queries."""
    roles = Membership.objects.filter(within(code)).select_related("region")
    return (
        get_user_model()
        .objects.filter(Exists(Membership.objects.filter(within(code), user=OuterRef("pk"))))
        .annotate(two_factor=Exists(TotpDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .prefetch_related(Prefetch("memberships", roles.order_by("region_id"), to_attr="inside"))
        .order_by("username")
    )
