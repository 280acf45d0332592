"""Registering an SK, a new version of one, and correcting its particulars: admins only, through
the audited actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.slums.models import SkDecree
from tests.conftest import Personas
from tests.slums.test_sk_data import first_version, two_versions

pytestmark = pytest.mark.django_db

CREATE = "/wilayah/63.01/sk/baru/"


@pytest.fixture
def places(personas: Personas) -> dict[str, Any]:
    _, places = first_version()
    return places


def particulars(**extra: str) -> dict[str, str]:
    return {"number": "188.45/200/2024", "year": "2024", "date": "2024-03-01", **extra}


# --- Register an SK --------------------------------------------------------------------------


def test_an_admin_registers_an_sk_with_indonesian_decimals(
    personas: Personas, places: dict[str, Any]
) -> None:
    client = personas.client("admin")
    form = client.get(CREATE).content.decode()
    assert "SK-A" in form
    assert "SK-D" in form
    data = particulars(**{f"ha_{places['a'].pk}": "4,95", f"ha_{places['d'].pk}": "1.250"})
    response = client.post(CREATE, data)
    decree = SkDecree.objects.get(number="188.45/200/2024")
    assert response.status_code == 302
    assert response["Location"] == f"/sk/{decree.pk}/"
    assert {e.location.code: e.luas_ha for e in decree.entries.all()} == {
        "SK-A": Decimal("4.95"),
        "SK-D": Decimal("1.25"),
    }
    entry = AuditEntry.objects.get(action="sk.create", object_id=str(decree.pk))
    assert entry.actor == personas["admin"]


def test_an_admin_may_register_from_a_desa_page_of_their_kabupaten(
    personas: Personas, places: dict[str, Any]
) -> None:
    url = "/wilayah/63.01.03.1001/sk/baru/"
    response = personas.client("admin").post(url, particulars(**{f"ha_{places['a'].pk}": "2"}))
    assert response.status_code == 302
    assert SkDecree.objects.get(number="188.45/200/2024").kabupaten_id == "63.01"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "188.45/050/2016"}, "sudah terdaftar"),  # the number of the existing SK
        ({}, "paling sedikit satu lokasi"),  # no location filled in
        ({"ha": "-1"}, "lebih besar"),
        ({"ha": "1,23456"}, "4 angka desimal"),
        ({"year": "1800", "ha": "1"}, "lebih besar"),
    ],
)
def test_an_invalid_sk_is_shown_again_with_the_reason_and_nothing_is_stored(
    personas: Personas, places: dict[str, Any], data: dict[str, str], message: str
) -> None:
    values = particulars(**{k: v for k, v in data.items() if k != "ha"})
    if "ha" in data:
        values[f"ha_{places['b'].pk}"] = data["ha"]
    before = (SkDecree.objects.count(), AuditEntry.objects.count())
    response = personas.client("admin").post(CREATE, values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (SkDecree.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("reviewer", CREATE, 403),
        ("viewer", CREATE, 403),
        ("facilitator", "/wilayah/63.01.03.1001/sk/baru/", 403),
        ("facilitator", CREATE, 404),
        ("outsider", CREATE, 404),
        ("admin", "/wilayah/99.99/sk/baru/", 404),
        ("admin", "/wilayah/33.75/sk/baru/", 404),
    ],
)
def test_only_the_kabupatens_admins_register_an_sk(
    personas: Personas, places: dict[str, Any], persona: str, url: str, expected: int
) -> None:
    client = personas.client(persona)
    assert client.get(url).status_code == expected
    data = particulars(**{f"ha_{places['a'].pk}": "1"})
    assert client.post(url, data).status_code == expected
    assert not SkDecree.objects.filter(number="188.45/200/2024").exists()


def test_registering_refuses_other_methods(personas: Personas) -> None:
    assert personas.client("admin").put(CREATE).status_code == 405


# --- A new version -----------------------------------------------------------------------------


def test_the_new_version_form_starts_from_the_previous_entries(
    personas: Personas, places: dict[str, Any]
) -> None:
    v1 = SkDecree.objects.get()
    html = personas.client("admin").get(f"/sk/{v1.pk}/versi-baru/").content.decode()
    assert f'name="ha_{places["a"].pk}" value="4,95"' in html
    assert f'name="ha_{places["c"].pk}" value="12,5"' in html
    assert f'name="ha_{places["d"].pk}" ' in html
    assert f'name="ha_{places["d"].pk}" value' not in html  # not in version 1


def test_an_admin_registers_a_new_version_dropping_changing_and_adding_locations(
    personas: Personas, places: dict[str, Any]
) -> None:
    v1 = SkDecree.objects.get()
    data = particulars(
        **{
            f"ha_{places['a'].pk}": "4,95",
            f"ha_{places['b'].pk}": "2,5",
            f"ha_{places['c'].pk}": "",
            f"ha_{places['d'].pk}": "1,25",
        }
    )
    response = personas.client("admin").post(f"/sk/{v1.pk}/versi-baru/", data)
    v2 = SkDecree.objects.get(number="188.45/200/2024")
    assert response.status_code == 302
    assert v2.supersedes == v1
    version = AuditEntry.objects.get(action="sk.version", object_id=str(v2.pk))
    assert version.changes == {
        "location:SK-B": ["3", "2.5"],
        "location:SK-C": ["12.5", None],
        "location:SK-D": [None, "1.25"],
    }
    detail = personas.client("admin").get(f"/sk/{v2.pk}/").content.decode()
    assert f"/sk/{v2.pk}/banding/{v1.pk}/" in detail


def test_a_superseded_sk_sends_the_admin_to_its_newer_version(personas: Personas) -> None:
    versions = two_versions()
    client = personas.client("admin")
    response = client.get(f"/sk/{versions.v1.pk}/versi-baru/")
    assert response.status_code == 302
    assert response["Location"] == f"/sk/{versions.v2.pk}/"
    response = client.post(f"/sk/{versions.v1.pk}/versi-baru/", particulars())
    assert response.status_code == 302
    assert SkDecree.objects.count() == 2


@pytest.mark.parametrize(
    ("persona", "path", "method", "expected"),
    [
        ("reviewer", "/sk/{pk}/versi-baru/", "get", 403),
        ("viewer", "/sk/{pk}/versi-baru/", "post", 403),
        ("facilitator", "/sk/{pk}/versi-baru/", "post", 403),
        ("outsider", "/sk/{pk}/versi-baru/", "get", 404),
        ("admin", "/sk/987654/versi-baru/", "get", 404),
        ("admin", "/sk/{pk}/versi-baru/", "delete", 405),
    ],
)
def test_the_new_version_checklist(
    personas: Personas, places: dict[str, Any], persona: str, path: str, method: str, expected: int
) -> None:
    url = path.format(pk=SkDecree.objects.get().pk)
    assert getattr(personas.client(persona), method)(url).status_code == expected
    assert SkDecree.objects.count() == 1


# --- Correcting the particulars ----------------------------------------------------------------


def test_an_admin_corrects_a_typing_error_and_it_is_audited(
    personas: Personas, places: dict[str, Any]
) -> None:
    v1 = SkDecree.objects.get()
    client = personas.client("admin")
    assert 'value="188.45/050/2016"' in client.get(f"/sk/{v1.pk}/ubah/").content.decode()
    response = client.post(
        f"/sk/{v1.pk}/ubah/",
        {"number": "188.45/050/2016", "year": "2016", "title": "Penetapan lokasi kumuh"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="sk.update", object_id=str(v1.pk))
    assert entry.changes == {"title": ["Penetapan lokasi kumuh 2016", "Penetapan lokasi kumuh"]}
    assert entry.actor == personas["admin"]


@pytest.mark.parametrize(
    ("persona", "path", "method", "expected"),
    [
        ("reviewer", "/sk/{pk}/ubah/", "post", 403),
        ("viewer", "/sk/{pk}/ubah/", "get", 403),
        ("facilitator", "/sk/{pk}/ubah/", "get", 403),
        ("outsider", "/sk/{pk}/ubah/", "post", 404),
        ("admin", "/sk/987654/ubah/", "get", 404),
        ("admin", "/sk/{pk}/ubah/", "put", 405),
    ],
)
def test_the_correction_checklist(
    personas: Personas, places: dict[str, Any], persona: str, path: str, method: str, expected: int
) -> None:
    v1 = SkDecree.objects.get()
    url = path.format(pk=v1.pk)
    data = {"number": "X", "year": "2016"} if method == "post" else None
    assert getattr(personas.client(persona), method)(url, data).status_code == expected
    v1.refresh_from_db()
    assert v1.number == "188.45/050/2016"
