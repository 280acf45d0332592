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
from django.utils.translation import gettext, gettext_noop

from sikumuh.accounts.models import Membership, Role
from sikumuh.regions.codes import NATIONAL, covers

EDIT_ROLES = frozenset({Role.ADMIN, Role.EDITOR})
REVIEW_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})


#: The role as the banner names it, short ("Fasilitator · Kel. Sarang Halang").
_ROLE_SHORT: dict[str, str] = {
    Role.ADMIN: gettext_noop("Administrator"),
    Role.REVIEWER: gettext_noop("Reviewer"),
    Role.EDITOR: gettext_noop("Facilitator"),
    Role.VIEWER: gettext_noop("Viewer"),
}
#: How the banner abbreviates each kind of region (the name of a kota already says "Kota").
_KIND_PREFIX = {
    "provinsi": "Prov. ",
    "kabupaten": "Kab. ",
    "kecamatan": "Kec. ",
    "kelurahan": "Kel. ",
    "desa": "Desa ",
}


def region_label(code: str, name: str, kind: str) -> str:
    """ "Kab. Tanah Laut", "Kel. Sarang Halang", "Kota Pekalongan", "Nasional"."""
    if code == NATIONAL:
        return gettext("National")
    name = name.removeprefix("Kabupaten ")
    return _KIND_PREFIX.get(kind, "") + name


@dataclass(frozen=True)
class Scope:
    grants: tuple[tuple[str, str], ...]  # (region code or NATIONAL, role)
    # (role, code, region name, region kind) of each grant, for the banner; read in the same
    # query as the grants, so the banner on every page costs no query of its own.
    places: tuple[tuple[str, str, str, str], ...] = ()

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(())
        if user.is_superuser:
            return cls(((NATIONAL, Role.ADMIN),))
        cached = getattr(user, "_sikumuh_scope", None)
        if isinstance(cached, Scope):
            return cached
        rows = list(
            Membership.objects.filter(user=user).values_list(
                "region_id", "role", "region__name", "region__kind"
            )
        )
        grants = tuple((region_id or NATIONAL, role) for region_id, role, _, _ in rows)
        places = tuple(
            (role, region_id or NATIONAL, name or "", kind or "")
            for region_id, role, name, kind in sorted(rows, key=lambda row: row[0] or "")
        )
        scope = cls(grants, places)
        user._sikumuh_scope = scope
        return scope

    def banner(self) -> list[str]:
        """Who the user is where, one "Role · Region" per grant (outermost region first)."""
        return [
            f"{gettext(_ROLE_SHORT[role])} · {region_label(code, name, kind)}"
            for role, code, name, kind in self.places or [(r, c, "", "") for c, r in self.grants]
        ]

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
