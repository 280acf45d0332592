"""The API's world: the Tanah Laut demo, the personas and one API token each (once per module)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from sikumuh.accounts.tokens import create_token
from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import RtUnit
from tests.conftest import Personas, _load_subset
from tests.web.test_dashboard_support import FAST_HASHER, SARANG_HALANG, make_personas

KABUPATEN = "63.01"
ACTOR = Actor.system("test")


@dataclass(frozen=True)
class ApiWorld:
    personas: Personas
    tokens: dict[str, str]
    rt_in_desa: int  # an RT of the facilitator's desa (Sarang Halang)
    rt_elsewhere: int  # an RT of Tanah Laut outside that desa

    def client(self, persona: str | None, token: str | None = None) -> Client:
        """A client sending the persona's token (none for None; `token` overrides)."""
        raw = token if token is not None else self.tokens.get(persona or "", "")
        return Client(headers={"Authorization": f"Bearer {raw}"} if raw else {})


@pytest.fixture(scope="module")
def api_world_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiWorld]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        _load_subset((KABUPATEN, "33.75"))
        personas = make_personas()
        build_demo(actor=ACTOR)
        tokens = {
            name: create_token(actor=ACTOR, user=user)[1] for name, user in personas.users.items()
        }
        inside = RtUnit.objects.filter(desa_id=SARANG_HALANG).order_by("id").first()
        outside = (
            RtUnit.objects.filter(desa__code__startswith=KABUPATEN + ".")
            .exclude(desa_id=SARANG_HALANG)
            .order_by("id")
            .first()
        )
        assert inside is not None
        assert outside is not None
        world = ApiWorld(personas, tokens, inside.pk, outside.pk)
    yield world
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def api_world(api_world_module: ApiWorld, db: None) -> ApiWorld:
    return api_world_module
