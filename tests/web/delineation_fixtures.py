"""Shared fixtures of the delineation page tests: two locations of Kecamatan Pelaihari, one in the
facilitator's desa (Sarang Halang) and one outside it (Angsau), with an SK and polygons.

The fixtures are named through ``name=`` so that a test module imports ``places_fixture`` and its
tests take ``places`` without shadowing the import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.delineation_actions import save_geometry
from sikumuh.slums.models import Location
from tests.conftest import Personas
from tests.factories import ACTOR, location
from tests.io.geo_files import square

SARANG_HALANG = "63.01.03.1001"
ANGSAU = "63.01.03.1004"
A = square(114.750, -3.800)
B = square(114.760, -3.800)


@pytest.fixture(name="fast_passwords", autouse=True)
def fast_passwords_fixture(settings: object) -> None:
    """The personas' five passwords hashed with PBKDF2's million rounds cost seconds per test;
    these tests are about delineation, not about password storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(name="media")
def media_fixture(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture(name="places")
def places_fixture(personas: Personas, media: Path) -> dict[str, Location]:
    one = location("TL-01", SARANG_HALANG)
    two = location("TL-02", ANGSAU)
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="SK/1/2020",
        year=2020,
        entries=[(one, Decimal("4.90")), (two, Decimal("4.90"))],
    )
    save_geometry(actor=ACTOR, location=one, geometry=A, source="awal.geojson")
    return {"TL-01": one, "TL-02": two}


def client_of(personas: Personas, name: str) -> Client:
    return personas.client(name)
