"""The probe of issue #7 (finding 1) replayed through the page, as the desa facilitator (the
lowest editing role): a VRT document disguised as .geojson, .kml or a zipped .shp brings back
nothing of the server's files, no session key, no server path, and sends no request."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sikumuh.slums.models import Location, LocationGeometry
from tests.conftest import Personas
from tests.io.geo_payloads import DISGUISES, called, disguised, listening, secret_csv, vrt
from tests.web.delineation_fixtures import (  # noqa: F401 (fixtures)
    SARANG_HALANG,
    fast_passwords_fixture,
    media_fixture,
    places_fixture,
)

pytestmark = pytest.mark.django_db
SECRET = "rahasia-server-7f3a"


def upload(client: Client, path: Path) -> str:
    with path.open("rb") as stream:
        response = client.post(
            f"/wilayah/{SARANG_HALANG}/delineasi/unggah/",
            {"file": SimpleUploadedFile(path.name, stream.read())},
        )
    assert response.status_code in (200, 400)
    return response.content.decode()


def sources(tmp_path: Path) -> list[tuple[str, str]]:
    """(GDAL data source, SQL or "") the attacker would try: a file, /etc/passwd, the database."""
    secret = secret_csv(tmp_path / "secret.csv", SECRET)
    database = str(settings.DATABASES["default"]["NAME"])
    return [
        (f"CSV:{secret}", ""),
        ("CSV:/etc/passwd", ""),
        (database, "SELECT session_key, session_data FROM django_session"),
    ]


@pytest.mark.parametrize("name", DISGUISES)
def test_a_disguised_vrt_upload_shows_nothing_of_the_server(
    personas: Personas,
    places: dict[str, Location],
    tmp_path: Path,
    name: str,
) -> None:
    client = personas.client("facilitator")
    session_key = client.session.session_key or "no-session"
    before = LocationGeometry.objects.count()
    for number, (source, sql) in enumerate(sources(tmp_path)):
        path = disguised(vrt(source, layer="secret", sql=sql), name, tmp_path / f"up{number}")
        page = upload(client, path)
        assert name in page
        for leak in (SECRET, "root:x:", "/bin/", session_key, str(tmp_path), "/tmp/", "vsi"):
            assert leak not in page
    assert LocationGeometry.objects.count() == before


@pytest.mark.parametrize("name", DISGUISES)
def test_a_disguised_vrt_upload_sends_no_request(
    personas: Personas, places: dict[str, Location], tmp_path: Path, name: str
) -> None:
    client = personas.client("facilitator")
    with listening() as (url, server):
        page = upload(client, disguised(vrt(f"CSV:/vsicurl/{url}"), name, tmp_path))
        assert not called(server)
    assert "127.0.0.1" not in page
