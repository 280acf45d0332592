"""Two people saving the same SK, uji petik checklist, re-survey, follow-up or fieldwork record:
the second save is refused (409) with who changed it, their values beside the fields that
differ and the person's own values kept; nothing is overwritten; saving again works."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sikumuh.accounts.actions import grant_role
from sikumuh.audit.models import AuditEntry
from sikumuh.fieldwork.actions import create_fgd
from sikumuh.fieldwork.models import Fgd
from sikumuh.inspections.actions.checklists import add_follow_up, record_finding
from sikumuh.inspections.models import Checklist, FollowUp, Resurvey, UjiPetik
from sikumuh.regions.models import Region
from sikumuh.slums.models import SkDecree
from tests.conftest import PASSWORD, Personas
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw
from tests.slums.test_sk_data import first_version
from tests.web.test_stale_edit_rtdata import VERSION, opened_version
from tests.web.test_ujipetik import CHECKLIST, own_item

pytestmark = pytest.mark.django_db

MESSAGE = "Data ini sudah diubah oleh Budi pada "
THEIRS = re.compile(r'<span class="theirs">Nilai mereka: <b>([^<]*)</b></span>')


@pytest.fixture
def budi(personas: Personas) -> Client:
    """A second administrator of Tanah Laut, named Budi, in his own session."""
    from django.contrib.auth.models import User

    user = User.objects.create_user("budi", password=PASSWORD, first_name="Budi")
    grant_role(actor=ACTOR, user=user, region=Region.objects.get(code="63.01"), role="admin")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def refused(response: Any) -> str:
    """The 409 page: the message, and the version to save against now."""
    assert response.status_code == 409
    html = response.content.decode()
    assert MESSAGE in html
    assert "Nilai mereka ditampilkan di bawah; periksa lalu simpan lagi." in html
    return html


def new_version(html: str) -> str:
    found = VERSION.search(html)
    assert found is not None
    return found.group(1)


# --- SK ------------------------------------------------------------------------------------------


def test_the_second_correction_of_an_sk_is_refused_with_budis_title(
    personas: Personas, budi: Client
) -> None:
    first_version()
    decree = SkDecree.objects.get()
    url = f"/sk/{decree.pk}/ubah/"
    admin = personas.client("admin")
    version = opened_version(admin, url)
    assert opened_version(budi, url) == version
    base = {"number": decree.number, "year": str(decree.year)}
    assert budi.post(url, {**base, "title": "Judul Budi", "version": version}).status_code == 302
    mine = {**base, "title": decree.title, "note": "catatan saya", "version": version}

    html = refused(admin.post(url, mine))

    assert THEIRS.findall(html) == ["Judul Budi", "–"]  # title; note (Budi left it empty)
    assert "catatan saya" in html  # the person's own value stays in the field
    decree.refresh_from_db()
    assert (decree.title, decree.note) == ("Judul Budi", "")
    assert admin.post(url, {**mine, "version": new_version(html)}).status_code == 302
    decree.refresh_from_db()
    assert decree.note == "catatan saya"
    updates = AuditEntry.objects.filter(action="sk.update").order_by("id")
    assert [e.actor_label for e in updates] == ["budi", "admin"]


def test_a_new_version_of_an_sk_corrected_meanwhile_is_refused(
    personas: Personas, budi: Client
) -> None:
    _v1, places = first_version()
    decree = SkDecree.objects.get()
    url = f"/sk/{decree.pk}/versi-baru/"
    admin = personas.client("admin")
    version = opened_version(admin, url)
    edit = {
        "number": decree.number,
        "year": str(decree.year),
        "title": "Judul Budi",
        "version": "1",
    }
    assert budi.post(f"/sk/{decree.pk}/ubah/", edit).status_code == 302
    data = {
        "number": "188.45/200/2024",
        "year": "2024",
        f"ha_{places['a'].pk}": "4,95",
        "version": version,
    }

    html = refused(admin.post(url, data))

    assert not SkDecree.objects.filter(number="188.45/200/2024").exists()
    assert admin.post(url, {**data, "version": new_version(html)}).status_code == 302
    assert SkDecree.objects.get(number="188.45/200/2024").supersedes_id == decree.pk


# --- Uji petik ---------------------------------------------------------------------------------


@pytest.fixture
def up(personas: Personas) -> UjiPetik:
    build_works()
    return draw(n=6, seed=42)


def test_the_second_save_of_a_checklist_is_refused_with_the_other_answers(
    up: UjiPetik, personas: Personas, budi: Client
) -> None:
    item = own_item(up)
    url = f"/uji-petik/item/{item.pk}/checklist/"
    facilitator = personas.client("facilitator")
    assert opened_version(facilitator, url) == "0"
    assert budi.post(url, {**CHECKLIST, "version": "0"}).status_code == 302
    mine = {**CHECKLIST, "function": "tidak_berfungsi", "notes": "retak", "version": "0"}

    html = refused(facilitator.post(url, mine))

    # Budi's function (by its label), his empty note, and the surveyor his save filled in.
    assert THEIRS.findall(html) == ["Berfungsi", "–", "budi"]
    assert "retak" in html
    assert Checklist.objects.get(sample_item=item).function == "berfungsi"
    assert facilitator.post(url, {**mine, "version": new_version(html)}).status_code == 302
    assert Checklist.objects.get(sample_item=item).function == "tidak_berfungsi"
    actions = AuditEntry.objects.filter(object_type="inspections.checklist").order_by("id")
    assert [(e.action, e.actor_label) for e in actions] == [
        ("checklist.create", "budi"),
        ("checklist.update", "facilitator"),
    ]


def test_the_second_save_of_a_resurvey_is_refused_with_the_other_volumes(
    up: UjiPetik, personas: Personas, budi: Client
) -> None:
    item = own_item(up)
    url = f"/uji-petik/item/{item.pk}/survei-ulang/"
    base = {"facilitator": "Faskel A", "measured_on": "2021-11-02"}
    assert budi.post(url, {**base, "v_2a": "400", "version": "0"}).status_code == 302
    facilitator = personas.client("facilitator")
    version = opened_version(facilitator, url)
    assert budi.post(url, {**base, "v_2a": "450", "version": version}).status_code == 302
    mine = {**base, "v_2a": "400", "v_4b": "3", "version": version}

    html = refused(facilitator.post(url, mine))

    assert THEIRS.findall(html) == ["450", "–"]  # 2a; 4b not measured by Budi
    assert Resurvey.objects.get().volumes_found == {"2a": "450"}
    assert facilitator.post(url, {**mine, "version": new_version(html)}).status_code == 302
    assert Resurvey.objects.get().volumes_found == {"2a": "400", "4b": "3"}


def test_closing_a_follow_up_closed_meanwhile_is_refused(
    up: UjiPetik, personas: Personas, budi: Client
) -> None:
    finding = record_finding(actor=ACTOR, uji_petik=up, severity="tinggi", description="Ambles")
    follow_up = add_follow_up(actor=ACTOR, finding=finding, action="Perbaiki", responsible="PU")
    url = f"/uji-petik/tindak-lanjut/{follow_up.pk}/selesai/"
    page = personas.client("reviewer").get(f"/uji-petik/{up.pk}/").content.decode()
    assert f'name="version" value="{follow_up.version}"' in page
    assert budi.post(url, {"evidence": "BA Budi", "version": "1"}).status_code == 302

    response = personas.client("reviewer").post(url, {"evidence": "BA saya", "version": "1"})

    refused(response)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closing_evidence) == ("done", "BA Budi")
    assert AuditEntry.objects.filter(action="follow_up.close").count() == 1


# --- Fieldwork ---------------------------------------------------------------------------------


def test_the_second_edit_of_an_fgd_is_refused_with_the_other_values(
    personas: Personas, budi: Client
) -> None:
    fgd = create_fgd(
        actor=ACTOR, desa=Region.objects.get(code="63.01.03.1001"), date=dt.date(2021, 6, 14)
    )
    detail, url = f"/pendataan/fgd/{fgd.pk}/", f"/pendataan/fgd/{fgd.pk}/ubah/"
    facilitator = personas.client("facilitator")
    version = opened_version(facilitator, detail)
    theirs = {"date": "2021-06-14", "participants": "30", "version": version}
    assert budi.post(url, theirs).status_code == 302
    mine = {"date": "2021-06-15", "participants": "25", "version": version}

    html = refused(facilitator.post(url, mine))

    assert THEIRS.findall(html) == ["14 Juni 2021", "30"]
    assert Fgd.objects.get(pk=fgd.pk).participants == 30
    assert facilitator.post(url, {**mine, "version": new_version(html)}).status_code == 302
    stored = Fgd.objects.get(pk=fgd.pk)
    assert (stored.date, stored.participants) == (dt.date(2021, 6, 15), 25)
    assert FollowUp.objects.count() == 0  # nothing else touched
