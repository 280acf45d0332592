"""The SK lampiran on the registry's pages: download it, upload one as the new version (check,
then confirm, all or nothing), and who may do which."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sikumuh.audit.models import AuditEntry
from sikumuh.slums.models import SkDecree
from tests.conftest import Personas
from tests.slums.test_sk_data import SARANG_HALANG, Versions, two_versions

pytestmark = pytest.mark.django_db

UPLOAD = "/wilayah/63.01/sk/unggah/"
HEADER = "kode_desa,kode_lokasi,nama_lokasi,luas_ha"


@pytest.fixture
def versions(personas: Personas) -> Versions:
    return two_versions()  # in force: 188.45/120/2021 with SK-A 4.95, SK-B 2.50, SK-D 1.25


def lampiran_url(decree: SkDecree, fmt: str = "csv") -> str:
    return f"/sk/{decree.pk}/lampiran/?format={fmt}"


def lampiran(client: Client, decree: SkDecree) -> list[dict[str, str]]:
    response = client.get(lampiran_url(decree))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def upload(client: Client, content: str, **data: str) -> str:
    fields = {"number": "188.45/7/2023", "date": "2023-03-01", "action": "check", **data}
    file = SimpleUploadedFile("lampiran.csv", content.encode("utf-8"), "text/csv")
    response = client.post(UPLOAD, {**fields, "file": file})
    assert response.status_code == 200
    return response.content.decode()


def upload_id(html: str) -> str:
    found = re.search(r'name="upload_id" value="([0-9a-f-]+)"', html)
    assert found is not None
    return found.group(1)


def confirm(client: Client, html: str, **data: str) -> int:
    fields = {"number": "188.45/7/2023", "date": "2023-03-01", "action": "confirm", **data}
    response = client.post(UPLOAD, {**fields, "upload_id": upload_id(html)})
    return int(response.status_code)


DROPPING_SK_B = "\n".join(
    [HEADER, f'{SARANG_HALANG},SK-A,Lokasi SK-A,"5,10"', f'{SARANG_HALANG},SK-D,Lokasi SK-D,"1,25"']
)


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("admin", UPLOAD, 200),
        ("reviewer", UPLOAD, 403),
        ("viewer", UPLOAD, 403),
        ("facilitator", UPLOAD, 404),  # the kabupaten is outside their scope
        ("facilitator", f"/wilayah/{SARANG_HALANG}/sk/unggah/", 403),  # reads the SK, no more
        ("outsider", UPLOAD, 404),
        ("admin", "/wilayah/99.99/sk/unggah/", 404),
        ("admin", "/wilayah/63/sk/unggah/", 404),  # a province has no SK
    ],
)
def test_only_the_kabupatens_admins_may_upload_a_lampiran(
    personas: Personas, versions: Versions, persona: str, url: str, expected: int
) -> None:
    assert personas.client(persona).get(url).status_code == expected
    if expected != 200:
        assert personas.client(persona).post(url, {}).status_code == expected


def test_a_visitor_is_sent_to_sign_in_and_other_methods_are_refused(
    personas: Personas, versions: Versions
) -> None:
    response = Client().get(UPLOAD)
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]
    assert personas.client("admin").put(UPLOAD).status_code == 405


def test_only_an_admin_is_offered_the_upload_and_everyone_reading_the_sk_its_lampiran(
    personas: Personas, versions: Versions
) -> None:
    assert UPLOAD in personas.client("admin").get("/wilayah/63.01/sk/").content.decode()
    assert UPLOAD not in personas.client("viewer").get("/wilayah/63.01/sk/").content.decode()
    detail = personas.client("viewer").get(f"/sk/{versions.v2.pk}/").content.decode()
    assert f"/sk/{versions.v2.pk}/lampiran/" in detail


# --- The download ---------------------------------------------------------------------------------


def test_the_lampiran_download_lists_each_location_in_the_importable_columns(
    personas: Personas, versions: Versions
) -> None:
    rows = lampiran(personas.client("viewer"), versions.v2)
    assert [(r["kode_desa"], r["kode_lokasi"], r["luas_ha"]) for r in rows] == [
        (SARANG_HALANG, "SK-A", "4.95"),
        ("63.01.03.1002", "SK-B", "2.5"),
        (SARANG_HALANG, "SK-D", "1.25"),
    ]
    xlsx = personas.client("viewer").get(lampiran_url(versions.v2, "xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_facilitator_downloads_only_the_locations_of_their_desa(
    personas: Personas, versions: Versions
) -> None:
    rows = lampiran(personas.client("facilitator"), versions.v2)
    assert [r["kode_lokasi"] for r in rows] == ["SK-A", "SK-D"]


@pytest.mark.parametrize(
    ("persona", "fmt", "expected"), [("outsider", "csv", 404), ("admin", "pdf", 400)]
)
def test_the_lampiran_of_another_regency_or_in_another_format_is_refused(
    personas: Personas, versions: Versions, persona: str, fmt: str, expected: int
) -> None:
    response = personas.client(persona).get(lampiran_url(versions.v2, fmt))
    assert response.status_code == expected


# --- The upload -----------------------------------------------------------------------------------


def test_an_upload_shows_the_change_and_registers_the_version_only_when_confirmed(
    personas: Personas, versions: Versions
) -> None:
    admin = personas.client("admin")
    html = upload(admin, DROPPING_SK_B)
    assert "Perubahan terhadap versi yang digantikan" in html
    assert "dikeluarkan" in html
    assert "SK-B" in html
    assert "8,70 Ha → 6,35 Ha" in html
    assert 'value="confirm"' in html
    assert SkDecree.objects.count() == 2  # nothing saved by the check
    assert confirm(admin, html) == 302
    new = SkDecree.objects.get(number="188.45/7/2023")
    assert new.supersedes == versions.v2
    assert {e.location.code: str(e.luas_ha) for e in new.entries.all()} == {
        "SK-A": "5.1000",
        "SK-D": "1.2500",
    }
    assert AuditEntry.objects.filter(action="sk.version", object_id=str(new.pk)).exists()


def test_a_file_with_errors_lists_them_in_indonesian_and_cannot_be_confirmed(
    personas: Personas, versions: Versions
) -> None:
    admin = personas.client("admin")
    html = upload(admin, "\n".join([HEADER, f"{SARANG_HALANG},SK-A,Lokasi SK-A,-1"]))
    assert "luas harus lebih dari 0 ha" in html
    assert "1 kesalahan: tidak ada yang disimpan sebelum diperbaiki." in html
    assert 'value="confirm"' not in html
    assert confirm(admin, html) == 200  # confirming anyway: checked again, refused again
    assert SkDecree.objects.count() == 2


def test_an_unchanged_lampiran_registers_no_new_version(
    personas: Personas, versions: Versions
) -> None:
    admin = personas.client("admin")
    exported = admin.get(lampiran_url(versions.v2)).content.decode("utf-8-sig")
    html = upload(admin, exported)
    assert "Tidak ada perubahan" in html
    assert 'value="confirm"' not in html
    assert confirm(admin, html) == 200
    assert SkDecree.objects.count() == 2


def test_a_date_before_the_version_it_replaces_is_refused(
    personas: Personas, versions: Versions
) -> None:
    html = upload(personas.client("admin"), DROPPING_SK_B, date="2020-01-01")
    assert "tanggal sebelum tanggal SK 188.45/120/2021 (2021)" in html


@pytest.mark.parametrize(
    ("name", "message"),
    [("lampiran.txt", "lampiran.txt: file harus berupa file .csv atau .xlsx")],
)
def test_a_file_of_another_type_is_refused_on_the_form(
    personas: Personas, versions: Versions, name: str, message: str
) -> None:
    file = SimpleUploadedFile(name, b"x", "text/plain")
    response = personas.client("admin").post(
        UPLOAD, {"number": "X", "date": "2023-03-01", "file": file}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_another_users_upload_cannot_be_confirmed(personas: Personas, versions: Versions) -> None:
    from django.contrib.auth.models import User

    from sikumuh.accounts.actions import grant_role
    from sikumuh.audit.actions import Actor
    from sikumuh.regions.models import Region

    html = upload(personas.client("admin"), DROPPING_SK_B)
    other = User.objects.create_user("admin2")
    grant_role(
        actor=Actor.system("test"),
        user=other,
        region=Region.objects.get(code="63.01"),
        role="admin",
    )
    client = Client()
    client.force_login(other)
    response = client.post(
        UPLOAD,
        {"number": "X", "date": "2023-03-01", "action": "confirm", "upload_id": upload_id(html)},
    )
    assert response.status_code == 200
    assert "File yang diunggah sudah kedaluwarsa" in response.content.decode()
    assert SkDecree.objects.count() == 2
