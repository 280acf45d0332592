"""What a user may see and change: roles held in regions, inherited by everything inside.

A role in `63.01` covers `63.01`, its kecamatan, desa, locations and RTs; it does not cover the
province `63` (a facilitator of one desa must not read the kabupaten's figures). Objects outside
a user's scope answer 404, never 403, so their existence does not leak (healthchecks'
`_get_check_for_user` habit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from sikumuh.accounts.models import Membership, Role
from sikumuh.regions.codes import NATIONAL, covers

EDIT_ROLES = frozenset({Role.ADMIN, Role.EDITOR})
REVIEW_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})


@dataclass(frozen=True)
class Scope:
    grants: tuple[tuple[str, str], ...]  # (region code or NATIONAL, role)

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(())
        if user.is_superuser:
            return cls(((NATIONAL, Role.ADMIN),))
        cached = getattr(user, "_sikumuh_scope", None)
        if isinstance(cached, Scope):
            return cached
        grants = tuple(
            (region_id or NATIONAL, role)
            for region_id, role in Membership.objects.filter(user=user).values_list(
                "region_id", "role"
            )
        )
        scope = cls(grants)
        user._sikumuh_scope = scope
        return scope

    def roles_at(self, code: str) -> frozenset[str]:
        return frozenset(role for holder, role in self.grants if covers(holder, code))

    def can_view(self, code: str) -> bool:
        return bool(self.roles_at(code))

    def can_edit(self, code: str) -> bool:
        return bool(self.roles_at(code) & EDIT_ROLES)

    def can_review(self, code: str) -> bool:
        return bool(self.roles_at(code) & REVIEW_ROLES)

    def can_admin(self, code: str) -> bool:
        return Role.ADMIN in self.roles_at(code)

    @property
    def roots(self) -> list[str]:
        """The outermost regions the user sees (their home dashboards)."""
        holders = sorted({holder for holder, _ in self.grants})
        return [h for h in holders if not any(o != h and covers(o, h) for o in holders)]

    def q(self, field: str) -> Q:
        """A filter on a field holding a region code: rows inside the scope. Empty scope → none."""
        if NATIONAL in self.roots:
            return Q()
        if field.endswith("_id"):
            # Django allows no `__startswith` on a foreign key's `_id` column; go through the
            # related Region's primary key (its code) instead.
            field = field[: -len("_id")] + "__pk"
        condition = Q(pk__in=[])
        for root in self.roots:
            condition |= Q(**{field: root}) | Q(**{f"{field}__startswith": root + "."})
        return condition
