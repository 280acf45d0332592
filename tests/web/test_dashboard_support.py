"""Fixtures shared by the dashboard tests (no tests here): the Tanah Laut demo with the personas,
written once per test module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import Location, RtUnit
from tests.conftest import PASSWORD, PERSONA_ROLES, Personas, _load_subset

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
KABUPATEN = "63.01"  # Tanah Laut
PELAIHARI = "63.01.03"
SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa
KARANG_TARUNA = "63.01.03.1002"  # another desa of Pelaihari
BAJUIN = "63.01.10"


def make_personas() -> Personas:
    from django.contrib.auth.models import User

    from sikumuh.accounts.actions import grant_role
    from sikumuh.regions.models import Region

    users = {}
    for name, (code, role) in PERSONA_ROLES.items():
        user = User.objects.create_user(name, password=PASSWORD)
        grant_role(
            actor=Actor.system("test"), user=user, region=Region.objects.get(code=code), role=role
        )
        users[name] = user
    return Personas(users)


@pytest.fixture(scope="module")
def demo_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    """Regions of 63.01 and 33.75, the personas and the demo, written once per module (building
    them costs seconds) and flushed after it; each test still runs in its own rolled-back
    transaction."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        _load_subset(("63.01", "33.75"))
        personas = make_personas()
        build_demo(actor=Actor.system("test"))
    yield personas
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_module: Personas, db: None) -> Personas:
    """The personas over the synthetic Tanah Laut demo (2019 and 2021 RT data)."""
    return demo_module


def location_in(desa: str) -> Location:
    return Location.objects.filter(desa_id=desa).order_by("code").first() or pytest.fail(desa)


def rt_in(desa: str) -> RtUnit:
    return RtUnit.objects.filter(desa_id=desa).order_by("location__code", "rt").first() or (
        pytest.fail(desa)
    )
