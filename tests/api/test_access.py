"""Every API endpoint with every persona: the web's scopes and roles, JSON errors in Indonesian.

In scope → 200 (201 for a new investment); another regency, or a region above the user's → 404;
a viewer's write → 403; no token or a bad one → 401.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import KABUPATEN, ApiWorld
from tests.factories import header, volumes_at
from tests.web.test_dashboard_support import SARANG_HALANG

pytestmark = pytest.mark.django_db

READS = [
    "slum-area",
    "slum-area?status=all",
    "rt-data",
    "rt-data?tahun=2021&limit=5",
    "locations",
    "rts",
    "observations?tahun=2021&status=approved",
    "sk-versions",
    "investments",
    "uji-petik",
]
#: Who gets what on the reads of Tanah Laut (63.01).
READ_ANSWERS = {
    "admin": 200,
    "reviewer": 200,
    "viewer": 200,
    "facilitator": 404,  # holds one desa: the kabupaten is above the scope
    "outsider": 404,  # administers Kota Pekalongan
}
OTHER_REGENCY = "33.75"


def _read(world: ApiWorld, persona: str | None, path: str, code: str = KABUPATEN) -> Any:
    return world.client(persona).get(f"/api/v1/regions/{code}/{path}")


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize(("persona", "status"), READ_ANSWERS.items())
def test_a_read_answers_by_the_personas_scope(
    api_world: ApiWorld, path: str, persona: str, status: int
) -> None:
    response = _read(api_world, persona, path)
    assert response.status_code == status, response.content
    if status == 404:
        assert response.json() == {"detail": "Tidak ditemukan."}


@pytest.mark.parametrize("path", READS)
def test_a_read_without_a_token_or_with_a_bad_one_is_401(api_world: ApiWorld, path: str) -> None:
    for client in (api_world.client(None), api_world.client(None, token="skm_x_bukan")):
        response = client.get(f"/api/v1/regions/{KABUPATEN}/{path}")
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Diperlukan token API")
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("path", READS)
def test_the_facilitator_reads_their_own_desa(api_world: ApiWorld, path: str) -> None:
    assert _read(api_world, "facilitator", path, SARANG_HALANG).status_code == 200


@pytest.mark.parametrize("path", READS)
def test_the_admin_of_tanah_laut_gets_404_for_another_regency(
    api_world: ApiWorld, path: str
) -> None:
    assert _read(api_world, "admin", path, OTHER_REGENCY).status_code == 404
    assert _read(api_world, "admin", path, "63").status_code == 404  # the province above
    assert _read(api_world, "admin", path, "63.01.99").status_code == 404  # no such region


def test_a_revoked_token_is_401(api_world: ApiWorld) -> None:
    from sikumuh.accounts.models import ApiToken
    from sikumuh.accounts.tokens import revoke_token
    from sikumuh.audit.actions import Actor

    token = ApiToken.objects.get(user=api_world.personas["viewer"])
    revoke_token(actor=Actor.system("test"), token=token)
    assert _read(api_world, "viewer", "locations").status_code == 401


def test_errors_are_english_when_the_client_asks_for_it(api_world: ApiWorld) -> None:
    client = api_world.client("admin")
    response = client.get(f"/api/v1/regions/{OTHER_REGENCY}/locations", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Not found."}
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_lists_are_paginated_with_a_maximum(api_world: ApiWorld) -> None:
    client = api_world.client("admin")
    page = client.get(f"/api/v1/regions/{KABUPATEN}/rts?limit=3&offset=1").json()
    assert len(page["items"]) == 3
    assert page["count"] > 3
    everything = client.get(f"/api/v1/regions/{KABUPATEN}/rts?limit=500").json()["items"]
    assert [rt["id"] for rt in everything[1:4]] == [rt["id"] for rt in page["items"]]
    too_many = client.get(f"/api/v1/regions/{KABUPATEN}/rts?limit=501")
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == "Permintaan berisi nilai yang tidak sah."


def test_observations_filter_by_year_and_location(api_world: ApiWorld) -> None:
    client = api_world.client("admin")
    rows = client.get(f"/api/v1/regions/{KABUPATEN}/observations?tahun=2019&limit=500").json()
    assert rows["count"] > 0
    assert {row["tahun"] for row in rows["items"]} == {2019}
    location = rows["items"][0]["location"]
    narrowed = client.get(
        f"/api/v1/regions/{KABUPATEN}/observations?tahun=2019&location={location}&limit=500"
    ).json()
    assert 0 < narrowed["count"] < rows["count"]
    assert {row["location"] for row in narrowed["items"]} == {location}


# --- Writes ---------------------------------------------------------------------------------------


def _observation(world: ApiWorld, rt: int, tahun: int = 2023) -> dict[str, Any]:
    """Every criterion at half its denominator (criteria.md §8's header)."""
    values = header("1.5")
    return {
        "rt": rt,
        "tahun": tahun,
        "header": {name: str(value) for name, value in values.items()},
        "volumes": {code: str(v) for code, v in volumes_at("0.5", values).items()},
    }


def _post(world: ApiWorld, persona: str | None, path: str, body: dict[str, Any]) -> Any:
    return world.client(persona).post(
        f"/api/v1/{path}", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("persona", "rt", "status", "review"),
    [
        ("admin", "elsewhere", 200, "approved"),
        ("reviewer", "elsewhere", 403, None),  # reviews, does not enter data (as in the web)
        ("facilitator", "in_desa", 200, "draft"),  # lands as a draft for the Pokja
        ("facilitator", "elsewhere", 404, None),
        ("viewer", "elsewhere", 403, None),
        ("outsider", "elsewhere", 404, None),
        (None, "elsewhere", 401, None),
    ],
)
def test_an_observation_write_follows_the_roles(
    api_world: ApiWorld, persona: str | None, rt: str, status: int, review: str | None
) -> None:
    from sikumuh.audit.models import AuditEntry

    target = api_world.rt_in_desa if rt == "in_desa" else api_world.rt_elsewhere
    before = AuditEntry.objects.count()
    response = _post(api_world, persona, "observations", _observation(api_world, target))
    assert response.status_code == status, response.content
    if review is not None:
        body = response.json()
        assert (body["status"], body["rt"], body["tahun"]) == (review, target, 2023)
        assert body["klass"] is not None
        assert AuditEntry.objects.count() > before  # audited, by the action
    else:
        assert AuditEntry.objects.count() == before
        assert set(response.json()) <= {"detail", "errors"}


def test_an_observation_of_a_locked_year_is_409_with_the_lock_message(
    api_world: ApiWorld,
) -> None:
    from sikumuh.regions.models import Region
    from sikumuh.surveys.models import Observation
    from sikumuh.surveys.review import lock_year

    Observation.objects.exclude(status="approved").update(status="approved")
    lock_year(
        actor=_admin_actor(api_world), kabupaten=Region.objects.get(code=KABUPATEN), tahun=2021
    )
    response = _post(
        api_world, "admin", "observations", _observation(api_world, api_world.rt_elsewhere, 2021)
    )
    assert response.status_code == 409
    assert "terkunci" in response.json()["detail"] or "dikunci" in response.json()["detail"]


def _admin_actor(world: ApiWorld) -> Any:
    from sikumuh.audit.actions import Actor

    return Actor.of(world.personas["admin"])


def test_an_observation_that_does_not_score_is_422(api_world: ApiWorld) -> None:
    body = _observation(api_world, api_world.rt_elsewhere)
    body["header"] = {}
    response = _post(api_world, "admin", "observations", body)
    assert response.status_code == 422
    assert response.json()["detail"] == "Nilai-nilai ini tidak dapat dinilai."


def _investment(world: ApiWorld, rt: int | None = None) -> dict[str, Any]:
    from sikumuh.slums.models import RtUnit

    unit = RtUnit.objects.get(pk=rt or world.rt_elsewhere)
    return {
        "location": unit.location_id,
        "rt": unit.pk,
        "criterion": "2b",
        "tahun": 2024,
        "activity": "Rehabilitasi jalan lingkungan",
        "volume": "120",
        "unit": "m",
        "funding_source": "apbd",
        "cost": "150000000",
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("reviewer", 403),  # reviews, does not enter data (the web's EDIT_ROLES)
        ("facilitator", 404),
        ("viewer", 403),
        ("outsider", 404),
        (None, 401),
    ],
)
def test_an_investment_write_follows_the_roles(
    api_world: ApiWorld, persona: str | None, status: int
) -> None:
    response = _post(api_world, persona, "investments", _investment(api_world))
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["created"] == 1
        again = _post(api_world, persona, "investments", _investment(api_world))
        assert again.json()["status"] == "unchanged"


def test_the_facilitator_records_an_investment_in_their_desa(api_world: ApiWorld) -> None:
    response = _post(
        api_world, "facilitator", "investments", _investment(api_world, api_world.rt_in_desa)
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("path", ["observations", "rts", "investments", "locations", "uji-petik"])
def test_a_list_page_costs_a_fixed_number_of_queries(
    api_world: ApiWorld, path: str, django_assert_max_num_queries: Any
) -> None:
    """Token, scope, region, count and page: no query per row (a 500-row page included)."""
    client = api_world.client("admin")
    client.get(f"/api/v1/regions/{KABUPATEN}/{path}")  # the token's last-use stamp, once
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/regions/{KABUPATEN}/{path}?limit=500")
    assert response.status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("admin", 403), ("viewer", 200)])
def test_where_two_factor_is_required_an_unenrolled_administrator_s_token_is_refused(
    api_world: ApiWorld, settings: Any, persona: str, status: int
) -> None:
    settings.REQUIRE_2FA = True
    response = _read(api_world, persona, "slum-area")
    assert response.status_code == status
    if status == 403:
        assert "Verifikasi dua langkah wajib" in response.json()["detail"]
