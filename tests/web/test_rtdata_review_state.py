"""The RT form and the RT list tell where the data stand in the review: a locked year is
read-only with its reason (and any save is refused with it, never a 500); a change to approved
data asks for a confirmation first and then goes back to review, audited; a return note is shown
where the facilitator works."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.review import lock_year, return_desa_year, submit_desa_year
from tests.conftest import Personas
from tests.web.test_rtdata_form import form_url, posted
from tests.web.test_rtdata_support import (
    BENUA_LAWAS,
    SARANG_HALANG,
    demo,
    demo_module,
    rt_in,
)

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

NOTE = "Data dasar SK 2019, final."


def lock_2019(demo: Personas) -> None:
    lock_year(
        actor=Actor.of(demo.users["admin"]),
        kabupaten=Region.objects.get(code="63.01"),
        tahun=2019,
        note=NOTE,
    )


def html_of(response: Any) -> str:
    return str(response.content.decode())


# --- A locked year --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "admin", "reviewer", "viewer"])
def test_the_form_of_a_locked_year_is_read_only_with_who_when_and_the_note(
    demo: Personas, persona: str
) -> None:
    lock_2019(demo)
    html = html_of(demo.client(persona).get(form_url(rt_in(SARANG_HALANG), 2019)))
    assert 'id="rt-locked"' in html
    assert "Tahun 2019 terkunci" in html
    assert "Dikunci oleh admin pada" in html
    assert NOTE in html
    assert 'type="submit" class="primary"' not in html
    assert "hx-post" not in html
    assert 'name="luas_ha"' in html
    assert "disabled" in html


def test_an_open_year_of_the_same_rt_stays_editable(demo: Personas) -> None:
    lock_2019(demo)
    html = html_of(demo.client("facilitator").get(form_url(rt_in(SARANG_HALANG), 2021)))
    assert 'id="rt-locked"' not in html
    assert 'type="submit" class="primary"' in html


@pytest.mark.parametrize(
    ("persona", "desa", "status"),
    [
        ("facilitator", SARANG_HALANG, 409),
        ("admin", SARANG_HALANG, 409),
        ("facilitator", BENUA_LAWAS, 404),
        ("viewer", SARANG_HALANG, 403),
        ("reviewer", SARANG_HALANG, 403),
        ("outsider", SARANG_HALANG, 404),
    ],
)
def test_saving_into_a_locked_year_is_refused_with_the_reason_and_writes_nothing(
    demo: Personas, persona: str, desa: str, status: int
) -> None:
    lock_2019(demo)
    rt = rt_in(desa)
    obs = Observation.objects.get(rt=rt, tahun=2019)
    entries = AuditEntry.objects.count()
    response = demo.client(persona).post(
        form_url(rt, 2019), posted(obs, v_2b="0", confirm_review="on")
    )
    assert response.status_code == status
    if status == 409:
        html = html_of(response)
        assert 'id="save-error"' in html
        assert "Tidak disimpan: tahun 2019 untuk Kabupaten Tanah Laut terkunci (oleh admin" in html
        assert NOTE in html
    assert Observation.objects.get(pk=obs.pk).volumes == obs.volumes
    assert AuditEntry.objects.count() == entries


def test_a_lock_set_between_reading_and_saving_is_still_a_clear_refusal(
    demo: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form checks the lock, then `save_observation` checks it again in its transaction:
    a lock that lands between the two is answered like the first check, not with a 500."""
    from sikumuh.web.views.rtdata import form

    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2019)
    real = form._review_state
    calls = {"n": 0}

    def state_then_lock(*args: Any) -> Any:
        result = real(*args)
        calls["n"] += 1
        if calls["n"] == 1:
            lock_2019(demo)
        return result

    monkeypatch.setattr(form, "_review_state", state_then_lock)
    response = demo.client("admin").post(form_url(rt, 2019), posted(obs, v_2b="0"))
    assert response.status_code == 409
    assert "terkunci" in html_of(response)


# --- Approved data --------------------------------------------------------------------------------


def test_the_facilitator_is_warned_that_saving_approved_data_returns_them_to_review(
    demo: Personas,
) -> None:
    html = html_of(demo.client("facilitator").get(form_url(rt_in(SARANG_HALANG))))
    assert 'id="rt-approved-warning"' in html
    assert "Data ini sudah disetujui Pokja." in html
    assert 'name="confirm_review"' in html


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_who_saves_as_approved_or_cannot_save_sees_no_confirmation(
    demo: Personas, persona: str
) -> None:
    html = html_of(demo.client(persona).get(form_url(rt_in(SARANG_HALANG))))
    assert 'id="rt-approved-warning"' not in html
    assert 'name="confirm_review"' not in html


def test_without_the_confirmation_approved_data_are_not_changed(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    response = demo.client("facilitator").post(form_url(rt), posted(obs, v_2b="0"))
    assert response.status_code == 422
    assert "Centang konfirmasi" in html_of(response)
    stored = Observation.objects.get(pk=obs.pk)
    assert (stored.volumes, stored.status) == (obs.volumes, Status.APPROVED)


def test_with_the_confirmation_the_change_goes_back_to_review_and_is_audited(
    demo: Personas,
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    response = demo.client("facilitator").post(
        form_url(rt), posted(obs, v_2b="0", confirm_review="on")
    )
    assert response.status_code == 302
    assert Observation.objects.get(pk=obs.pk).status == Status.DRAFT
    entry = AuditEntry.objects.get(action="observation.update", object_id=str(obs.pk))
    assert entry.changes["status"] == [Status.APPROVED, Status.DRAFT]
    assert entry.actor == demo.users["facilitator"]
    html = html_of(demo.client("facilitator").get(form_url(rt)))
    assert 'id="rt-approved-warning"' not in html  # a draft now: no second confirmation


def test_an_administrators_change_stays_approved_without_a_confirmation(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    response = demo.client("admin").post(form_url(rt), posted(obs, v_2b="0"))
    assert response.status_code == 302
    assert Observation.objects.get(pk=obs.pk).status == Status.APPROVED


# --- Return notes ---------------------------------------------------------------------------------


def return_sarang_halang(demo: Personas, comment: str) -> None:
    """The facilitator changes one RT of 2021 (a draft), submits, the reviewer returns it."""
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    demo.client("facilitator").post(form_url(rt), posted(obs, v_2b="0", confirm_review="on"))
    desa = Region.objects.get(code=SARANG_HALANG)
    submit_desa_year(actor=Actor.of(demo.users["facilitator"]), desa=desa, tahun=2021)
    return_desa_year(actor=Actor.of(demo.users["reviewer"]), desa=desa, tahun=2021, comment=comment)


@pytest.mark.parametrize("persona", ["facilitator", "reviewer", "admin", "viewer"])
def test_the_return_note_is_on_the_returned_rts_form_with_who_and_when(
    demo: Personas, persona: str
) -> None:
    return_sarang_halang(demo, "Volume 2b terlalu besar, cek ulang.")
    html = html_of(demo.client(persona).get(form_url(rt_in(SARANG_HALANG))))
    assert 'id="rt-return-note"' in html
    assert "Dikembalikan oleh reviewer pada" in html
    assert "Volume 2b terlalu besar, cek ulang." in html


def test_the_return_note_stays_on_a_corrected_rt_until_the_year_is_submitted_again(
    demo: Personas,
) -> None:
    return_sarang_halang(demo, "Periksa volume 2b.")
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    client = demo.client("facilitator")
    assert client.post(form_url(rt), posted(obs, v_2b="1")).status_code == 302
    assert Observation.objects.get(pk=obs.pk).status == Status.DRAFT
    assert "Periksa volume 2b." in html_of(client.get(form_url(rt)))
    desa = Region.objects.get(code=SARANG_HALANG)
    submit_desa_year(actor=Actor.of(demo.users["facilitator"]), desa=desa, tahun=2021)
    assert "Periksa volume 2b." not in html_of(client.get(form_url(rt)))


def test_an_rt_not_returned_shows_no_return_note(demo: Personas) -> None:
    return_sarang_halang(demo, "Cek RT 001.")
    other = rt_in(BENUA_LAWAS)
    html = html_of(demo.client("admin").get(form_url(other)))
    assert 'id="rt-return-note"' not in html


@pytest.mark.parametrize(
    ("persona", "url", "shown"),
    [
        ("facilitator", f"/wilayah/{SARANG_HALANG}/data-rt/", True),
        ("reviewer", f"/wilayah/{SARANG_HALANG}/data-rt/?tahun=2021", True),
        ("admin", f"/wilayah/63.01/data-rt/?desa={SARANG_HALANG}", True),
        ("admin", "/wilayah/63.01/data-rt/", False),  # a kabupaten list: not a desa's
        ("admin", f"/wilayah/{SARANG_HALANG}/data-rt/?tahun=2019", False),
        ("viewer", f"/wilayah/{SARANG_HALANG}/data-rt/", True),
    ],
)
def test_the_desas_rt_list_shows_its_waiting_return_notes(
    demo: Personas, persona: str, url: str, shown: bool
) -> None:
    return_sarang_halang(demo, "Periksa lagi jalan lingkungan.")
    response = demo.client(persona).get(url)
    assert response.status_code == 200
    html = html_of(response)
    assert ("Periksa lagi jalan lingkungan." in html) is shown
    if shown:
        assert "dikembalikan oleh reviewer pada" in html


def test_the_rt_list_is_scoped_for_outsiders(demo: Personas) -> None:
    return_sarang_halang(demo, "Catatan rahasia.")
    response = demo.client("outsider").get(f"/wilayah/{SARANG_HALANG}/data-rt/")
    assert response.status_code == 404


def test_once_submitted_again_the_return_note_is_gone(demo: Personas) -> None:
    return_sarang_halang(demo, "Perbaiki.")
    desa = Region.objects.get(code=SARANG_HALANG)
    submit_desa_year(actor=Actor.of(demo.users["facilitator"]), desa=desa, tahun=2021)
    html = html_of(demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/data-rt/"))
    assert "Perbaiki." not in html
