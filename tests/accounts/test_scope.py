from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from sikumuh.accounts.actions import grant_role
from sikumuh.accounts.scope import Scope, covers
from sikumuh.audit.models import AuditEntry
from tests.factories import ACTOR


@pytest.mark.parametrize(
    ("holder", "code", "expected"),
    [
        ("63.01", "63.01", True),
        ("63.01", "63.01.03", True),
        ("63.01", "63.01.03.1001", True),
        ("63.01", "63", False),
        ("63.01", "63.010", False),
        ("63.01", "63.02.01", False),
        ("63.01.03.1001", "63.01.03", False),
        ("ID", "33.75", True),
    ],
)
def test_a_role_covers_its_region_and_everything_inside_only(
    holder: str, code: str, expected: bool
) -> None:
    assert covers(holder, code) is expected


FACILITATOR = Scope((("63.01.03.1001", "editor"),))
REVIEWER = Scope((("63.01", "reviewer"),))
VIEWER = Scope((("63.01", "viewer"),))


@pytest.mark.parametrize(
    ("scope", "code", "view", "edit", "review"),
    [
        (FACILITATOR, "63.01.03.1001", True, True, False),
        (FACILITATOR, "63.01.03", False, False, False),
        (FACILITATOR, "63.01.03.1002", False, False, False),
        (REVIEWER, "63.01.03.1001", True, False, True),
        (VIEWER, "63.01.03", True, False, False),
        (VIEWER, "33.75", False, False, False),
    ],
)
def test_roles_decide_view_edit_and_review(
    scope: Scope, code: str, view: bool, edit: bool, review: bool
) -> None:
    assert (scope.can_view(code), scope.can_edit(code), scope.can_review(code)) == (
        view,
        edit,
        review,
    )


def test_roots_drop_regions_already_covered_by_another_grant() -> None:
    scope = Scope((("63.01", "viewer"), ("63.01.03", "editor"), ("33.75", "viewer")))
    assert scope.roots == ["33.75", "63.01"]


@pytest.mark.django_db
def test_scope_filters_rows_by_their_region_code(load_regions_under: object) -> None:
    from sikumuh.regions.models import Region

    load_regions_under("63.01")  # type: ignore[operator]
    inside = Region.objects.filter(FACILITATOR.q("code"))
    assert list(inside.values_list("code", flat=True)) == ["63.01.03.1001"]
    assert not Region.objects.filter(Scope(()).q("code")).exists()
    kecamatan = Region.objects.filter(Scope((("63.01.03", "viewer"),)).q("parent_id"))
    assert kecamatan.count() == 20  # the desa/kelurahan of Pelaihari, through the FK column


@pytest.mark.django_db
def test_users_get_their_scope_from_memberships_and_grants_are_audited(
    load_regions_under: object,
) -> None:
    from sikumuh.regions.models import Region

    load_regions_under("63.01")  # type: ignore[operator]
    user = User.objects.create_user("faskel", password="x")
    grant_role(
        actor=ACTOR, user=user, region=Region.objects.get(code="63.01.03.1001"), role="editor"
    )
    grant_role(
        actor=ACTOR, user=user, region=Region.objects.get(code="63.01.03.1001"), role="editor"
    )
    assert Scope.for_user(user).grants == (("63.01.03.1001", "editor"),)
    assert AuditEntry.objects.filter(action="membership.grant").count() == 1
    assert Scope.for_user(AnonymousUser()).grants == ()
    boss = User.objects.create_superuser("boss", password="x")
    assert Scope.for_user(boss).can_admin("33.75")


@pytest.mark.parametrize(
    ("code", "name", "kind", "label"),
    [
        ("ID", "", "", "National"),
        ("63", "Kalimantan Selatan", "provinsi", "Prov. Kalimantan Selatan"),
        ("63.01", "Kabupaten Tanah Laut", "kabupaten", "Kab. Tanah Laut"),
        ("33.75", "Kota Pekalongan", "kota", "Kota Pekalongan"),
        ("63.01.03", "Pelaihari", "kecamatan", "Kec. Pelaihari"),
        ("63.01.03.1001", "Sarang Halang", "kelurahan", "Kel. Sarang Halang"),
        ("63.01.03.2001", "Ambungan", "desa", "Desa Ambungan"),
    ],
)
def test_the_banner_names_each_kind_of_region_short(
    code: str, name: str, kind: str, label: str
) -> None:
    from django.utils import translation

    from sikumuh.accounts.scope import region_label

    with translation.override("en"):
        assert region_label(code, name, kind) == label


@pytest.mark.django_db
def test_the_banner_is_read_with_the_scope_in_one_query(
    personas: Any, django_assert_num_queries: Any
) -> None:
    from django.utils import translation

    user = User.objects.get(pk=personas["facilitator"].pk)
    with django_assert_num_queries(1), translation.override("id"):
        assert Scope.for_user(user).banner() == ["Fasilitator · Kel. Sarang Halang"]
