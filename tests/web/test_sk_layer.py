"""The GIS layer wizard on the SK pages (issue #11 §1): upload, map the attributes (guessed),
see the checked preview (desa names found, hectares compared, problems), confirm once; and who
may do which."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sikumuh.slums.models import Location, LocationGeometry, SkDecree
from tests.conftest import Personas
from tests.io import layer_files
from tests.io.test_layer_class import STATED, pasar_lama

pytestmark = pytest.mark.django_db

URL = "/wilayah/63.01/sk/lapisan-gis/"
SARANG_HALANG = "63.01.03.1001"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def upload(client: Client, path: Path, **data: str) -> str:
    file = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(URL, {"action": "check", **data, "file": file})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def upload_id(html: str) -> str:
    found = re.search(r'name="upload_id" value="([0-9a-f-]+)"', html)
    assert found is not None
    return found.group(1)


def selected(html: str, role: str) -> str | None:
    select = re.search(rf'<select name="map_{role}".*?</select>', html, re.S)
    assert select is not None
    found = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return found.group(1) if found else None


def again(client: Client, html: str, **data: str) -> Any:
    return client.post(URL, {"upload_id": upload_id(html), **data})


MAPPING = {
    "map_name": "NAMA_LOKAS",
    "map_desa": "DESA_KEL",
    "map_kecamatan": "KECAMATAN",
    "map_class": "KLASIFIKAS",
    "map_ha": "LUAS_HA",
}


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("admin", URL, 200),
        ("reviewer", URL, 403),
        ("viewer", URL, 403),
        ("facilitator", URL, 404),  # the kabupaten is outside their scope
        ("facilitator", f"/wilayah/{SARANG_HALANG}/sk/lapisan-gis/", 403),  # reads the SK only
        ("outsider", URL, 404),
        ("admin", "/wilayah/99.99/sk/lapisan-gis/", 404),
        ("admin", "/wilayah/63/sk/lapisan-gis/", 404),  # a province has no SK
    ],
)
def test_only_the_kabupatens_admins_may_import_a_layer(
    personas: Personas, persona: str, url: str, expected: int
) -> None:
    assert personas.client(persona).get(url).status_code == expected
    if expected != 200:
        assert personas.client(persona).post(url, {}).status_code == expected


def test_a_visitor_is_sent_to_sign_in_and_other_methods_are_refused(personas: Personas) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]
    assert personas.client("admin").put(URL).status_code == 405


def test_only_an_admin_is_offered_the_wizard(personas: Personas) -> None:
    assert URL in personas.client("admin").get("/wilayah/63.01/sk/").content.decode()
    assert URL not in personas.client("viewer").get("/wilayah/63.01/sk/").content.decode()


def test_another_users_or_an_unknown_upload_is_not_found(
    personas: Personas, tmp_path: Path
) -> None:
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson", valid_only=True)
    html = upload(personas.client("admin"), path)
    # The outsider administers another kabupaten: the page itself is 404.
    assert again(personas.client("outsider"), html).status_code == 404
    expired = personas.client("admin").post(
        URL, {"upload_id": "00000000-0000-0000-0000-000000000000", "action": "confirm"}
    )
    assert expired.status_code == 400
    assert "kedaluwarsa" in expired.content.decode() or "expired" in expired.content.decode()


# --- The wizard -----------------------------------------------------------------------------------


def test_the_upload_lists_the_attributes_with_samples_and_the_guessed_mapping(
    personas: Personas, tmp_path: Path
) -> None:
    path = layer_files.shapefile_zip(tmp_path / "lokasi.zip")
    html = upload(personas.client("admin"), path)
    assert "<code>NAMA_LOKAS</code>" in html
    assert "Kel. Sarang Halang" in html  # a sample value
    assert {
        role: selected(html, role) for role in ("name", "desa", "kecamatan", "class", "ha")
    } == {
        "name": "NAMA_LOKAS",
        "desa": "DESA_KEL",
        "kecamatan": "KECAMATAN",
        "class": "KLASIFIKAS",
        "ha": "LUAS_HA",
    }
    # The checked preview: desa names found, the one not found listed, hectares compared.
    assert SARANG_HALANG in html
    assert "63.01.10.2001" in html
    assert "(ejaan disamakan)" in html  # "Kel. Sarang Halang" read as Sarang Halang
    assert "Kelurahan Antah Berantah" in html
    assert "tidak ada desa/kelurahan bernama ini di" in html
    assert "⚠" in html  # the 9 % difference
    assert 'value="confirm"' not in html
    assert Location.objects.count() == 0


def test_a_valid_layer_is_saved_as_the_new_sk_once_confirmed(
    personas: Personas, tmp_path: Path
) -> None:
    admin = personas.client("admin")
    path = layer_files.shapefile_zip(tmp_path / "lokasi.zip", valid_only=True)
    html = upload(admin, path, number="188.45/55/2025", date="2025-06-01")
    assert 'value="confirm"' in html
    assert SkDecree.objects.count() == 0
    response = again(
        admin,
        html,
        action="confirm",
        number="188.45/55/2025",
        date="2025-06-01",
        **MAPPING,
    )
    assert response.status_code == 302
    decree = SkDecree.objects.get(number="188.45/55/2025")
    assert response["Location"] == f"/sk/{decree.pk}/"
    assert decree.entries.count() == 3
    assert LocationGeometry.objects.filter(is_current=True).count() == 3


def test_an_invalid_layer_is_saved_only_when_skipping_the_invalid_features(
    personas: Personas, tmp_path: Path
) -> None:
    admin = personas.client("admin")
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson")
    html = upload(admin, path)
    mapping = {
        "map_name": "Nm_Lokasi",
        "map_desa": "DESA",
        "map_kecamatan": "KEC",
        "map_ha": "LUAS_HA",
    }
    refused = again(admin, html, action="confirm", **mapping)
    assert refused.status_code == 200  # checked again, refused again: nothing saved
    assert Location.objects.count() == 0
    skipped = again(admin, html, action="check", skip_invalid="on", **mapping)
    assert 'value="confirm"' in skipped.content.decode()
    saved = again(admin, html, action="confirm", skip_invalid="on", **mapping)
    assert saved.status_code == 302
    assert saved["Location"] == "/wilayah/63.01/delineasi/"
    assert Location.objects.count() == 3


def test_a_remapped_attribute_is_used_and_a_missing_desa_is_named(
    personas: Personas, tmp_path: Path
) -> None:
    admin = personas.client("admin")
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson", valid_only=True)
    html = upload(admin, path)
    remapped = again(admin, html, action="check", map_name="Nm_Lokasi").content.decode()
    assert "pilih atribut yang berisi desa/kelurahan" in remapped
    assert 'value="confirm"' not in remapped


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("peta.txt", b"x", "peta.txt: file harus"),
        ("peta.geojson", b"{not json", "peta.geojson"),
    ],
)
def test_a_file_of_another_type_or_unreadable_is_refused_on_the_form(
    personas: Personas, name: str, content: bytes, message: str
) -> None:
    file = SimpleUploadedFile(name, content)
    response = personas.client("admin").post(URL, {"action": "check", "file": file})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_number_without_a_date_is_refused_on_the_form(personas: Personas, tmp_path: Path) -> None:
    path = layer_files.geojson_4326(tmp_path / "lokasi.geojson", valid_only=True)
    file = SimpleUploadedFile(path.name, path.read_bytes())
    response = personas.client("admin").post(URL, {"file": file, "number": "SK/1"})
    assert response.status_code == 400


def test_the_stated_class_is_compared_in_the_preview_and_kept_on_the_new_sk(
    personas: Personas, tmp_path: Path
) -> None:
    pasar_lama("0.8")  # held, its RT data scoring Kumuh Berat; the layer states Kumuh Sedang
    admin = personas.client("admin")
    path = layer_files.shapefile_zip(tmp_path / "lokasi.zip", valid_only=True)
    html = upload(admin, path, number="188.45/56/2025", date="2025-06-01")
    assert selected(html, "class") == "KLASIFIKAS"
    assert "(terhitung: Kumuh Berat, 2024)" in html
    assert "tertulis Kumuh Sedang, terhitung Kumuh Berat dari data RT sampai 2024" in html
    response = again(
        admin, html, action="confirm", number="188.45/56/2025", date="2025-06-01", **MAPPING
    )
    assert response.status_code == 302
    decree = SkDecree.objects.get(number="188.45/56/2025")
    stored = dict(decree.entries.values_list("location__name", "stated_class"))
    assert stored == STATED
    page = admin.get(response["Location"]).content.decode()
    assert re.search(r'<table class="sk-class-differences">.*?<td>TL-01</td>', page, re.S)
