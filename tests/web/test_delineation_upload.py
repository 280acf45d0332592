"""Uploading polygons through the page: a validation report first (nothing saved), then the
confirmation saves all or nothing; editors only, each inside their own area."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from sikumuh.accounts.actions import grant_role
from sikumuh.audit.models import AuditEntry
from sikumuh.core.geometry import swap_xy
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, LocationGeometry
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.io.geo_files import square, write
from tests.web.delineation_fixtures import (  # noqa: F401 (fixtures)
    SARANG_HALANG,
    A,
    B,
    fast_passwords_fixture,
    media_fixture,
    places_fixture,
)

pytestmark = pytest.mark.django_db


def upload_url(code: str = "63.01") -> str:
    return f"/wilayah/{code}/delineasi/unggah/"


def geojson(tmp_path: Path, features: list, name: str = "batas.geojson") -> SimpleUploadedFile:  # type: ignore[type-arg]
    path = write(tmp_path / name, features)
    return SimpleUploadedFile(name, path.read_bytes())


def upload_id(response: HttpResponse) -> str:
    found = re.search(r'name="upload_id" value="([0-9a-f-]{36})"', response.content.decode())
    assert found, "the report carries the pending upload's id"
    return found.group(1)


def send(
    client: Client, tmp_path: Path, features: list, code: str = "63.01", **data: str
) -> HttpResponse:  # type: ignore[type-arg]
    return client.post(upload_url(code), {"file": geojson(tmp_path, features), **data})  # type: ignore[return-value]


def test_a_file_is_checked_and_nothing_is_saved_before_confirmation(
    personas: Personas, places: dict[str, Location], tmp_path: Path, media: Path
) -> None:
    client = personas.client("admin")
    response = send(client, tmp_path, [({"kode": "TL-01"}, B), ({"kode": "TL-02"}, A)])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Konfirmasi dan simpan" in html
    assert 'id="upload-map-data"' in html
    assert LocationGeometry.objects.count() == 1  # only the fixture's
    assert len(list((media / "uploads").iterdir())) == 1

    confirmed = client.post(upload_url(), {"upload_id": upload_id(response), "action": "confirm"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/wilayah/63.01/delineasi/"
    assert LocationGeometry.objects.count() == 3
    tl01 = LocationGeometry.objects.filter(location=places["TL-01"]).order_by("version")
    assert [(v.version, v.is_current) for v in tl01] == [(1, False), (2, True)]
    assert list((media / "uploads").iterdir()) == []
    assert AuditEntry.objects.filter(action="location.geometry").count() == 3


def test_the_report_lists_every_problem_and_offers_no_confirmation(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    features = [({"kode": "TL-01"}, swap_xy(A)), ({"kode": "TL-99"}, B)]
    response = send(personas.client("admin"), tmp_path, features)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 kesalahan" in html
    assert "Konfirmasi dan simpan" not in html
    assert "batas.geojson" in html
    assert "TL-99" in html
    assert "tidak ada lokasi dengan kode atau nama ini" in html
    assert "tukar kembali" in html  # the swap is offered


def test_confirming_a_file_with_errors_saves_nothing(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    client = personas.client("admin")
    response = send(client, tmp_path, [({"kode": "TL-01"}, B), ({"kode": "TL-99"}, A)])
    again = client.post(upload_url(), {"upload_id": upload_id(response), "action": "confirm"})
    assert again.status_code == 200
    assert "2 kesalahan" not in again.content.decode()
    assert "1 kesalahan" in again.content.decode()
    assert LocationGeometry.objects.count() == 1


def test_swapped_coordinates_can_be_swapped_back_then_confirmed(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    client = personas.client("admin")
    first = send(client, tmp_path, [({"kode": "TL-02"}, swap_xy(B))])
    pending = upload_id(first)
    checked = client.post(
        upload_url(), {"upload_id": pending, "action": "check", "fix_swapped": "on"}
    )
    assert "Konfirmasi dan simpan" in checked.content.decode()
    done = client.post(
        upload_url(),
        {"upload_id": pending, "action": "confirm", "fix_swapped": "on", "note": "FGD"},
    )
    assert done.status_code == 302
    saved = LocationGeometry.objects.get(location=places["TL-02"])
    assert saved.note == "FGD"
    assert saved.geometry["coordinates"][0][0][0] > 100  # longitude first


def test_another_match_field_can_be_chosen_on_the_report(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    client = personas.client("admin")
    features = [({"id": "9", "nama": "Lokasi TL-02"}, B)]
    first = send(client, tmp_path, features, match_field="id")
    assert "Konfirmasi dan simpan" not in first.content.decode()
    second = client.post(
        upload_url(), {"upload_id": upload_id(first), "action": "check", "match_field": "nama"}
    )
    assert "Konfirmasi dan simpan" in second.content.decode()


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("admin", "63.01", 200),
        ("facilitator", SARANG_HALANG, 200),
        ("reviewer", "63.01", 403),
        ("viewer", "63.01", 403),
        ("facilitator", "63.01", 404),
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
    ],
)
def test_who_may_upload(
    personas: Personas,
    places: dict[str, Location],
    tmp_path: Path,
    persona: str,
    code: str,
    status: int,
) -> None:
    response = send(personas.client(persona), tmp_path, [({"kode": "TL-01"}, B)], code=code)
    assert response.status_code == status


def test_a_facilitator_may_upload_only_for_locations_in_their_desa(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    response = send(
        personas.client("facilitator"),
        tmp_path,
        [({"kode": "TL-01"}, B), ({"kode": "TL-02"}, A)],
        code=SARANG_HALANG,
    )
    html = response.content.decode()
    assert "Konfirmasi dan simpan" not in html
    assert "tidak ada lokasi dengan kode atau nama ini di Sarang Halang" in html
    assert LocationGeometry.objects.count() == 1


def test_uploads_are_posts_to_a_known_pending_upload_of_the_same_user(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    admin = personas.client("admin")
    assert admin.get(upload_url()).status_code == 405
    assert (
        admin.post(upload_url(), {"upload_id": "1e0b7a4c-0000-4000-8000-000000000000"}).status_code
        == 404
    )
    pending = upload_id(send(admin, tmp_path, [({"kode": "TL-01"}, B)]))
    # Another administrator of the same kabupaten cannot use it: it is the uploader's.
    other = User.objects.create_user("admin2", password="x")
    grant_role(actor=ACTOR, user=other, region=Region.objects.get(code="63.01"), role="admin")
    second = Client()
    second.force_login(other)
    assert second.post(upload_url(), {"upload_id": pending, "action": "confirm"}).status_code == 404
    assert admin.post(upload_url(SARANG_HALANG), {"upload_id": pending}).status_code == 404
    assert LocationGeometry.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("batas.txt", b"x", "file harus salah satu dari"),
        ("batas.geojson", b"{broken", "batas.geojson: tidak dapat dibaca sebagai GeoJSON"),
    ],
)
def test_a_wrong_or_unreadable_file_is_refused_with_a_reason(
    personas: Personas, places: dict[str, Location], name: str, content: bytes, message: str
) -> None:
    response = personas.client("admin").post(
        upload_url(), {"file": SimpleUploadedFile(name, content)}
    )
    assert message in response.content.decode()
    assert LocationGeometry.objects.count() == 1


def test_no_file_at_all_is_a_400(personas: Personas, places: dict[str, Location]) -> None:
    response = personas.client("admin").post(upload_url(), {})
    assert response.status_code == 400
    assert "Pilih file yang akan diunggah." in response.content.decode()


def test_an_upload_on_a_province_page_is_refused(
    personas: Personas, places: dict[str, Location], tmp_path: Path
) -> None:
    root = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(root)
    assert (
        send(client, tmp_path, [({"kode": "TL-01"}, square(114.7, -3.8))], code="63").status_code
        == 404
    )
