"""Two people saving the same RT-year: the second save is refused (409) with who changed it and
when, their values beside the fields, the person's own values kept, nothing overwritten; saving
again then works (issue 9 §5, optimistic locking)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import dateformat, timezone, translation

from sikumuh.audit.models import AuditEntry
from sikumuh.surveys.models import Observation
from tests.conftest import Personas
from tests.web.test_rtdata_form import form_url, posted
from tests.web.test_rtdata_support import SARANG_HALANG, demo, demo_module, rt_in

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

VERSION = re.compile(r'name="version" value="(\d*)"')


def opened_version(client: Client, url: str) -> str:
    """The version a form was rendered from (its hidden field)."""
    response = client.get(url)
    assert response.status_code == 200
    found = VERSION.search(response.content.decode())
    assert found is not None
    return found.group(1)


def stale_text(obj: object) -> str:
    """The message the second person reads, for the last audited change of `obj`."""
    entry = AuditEntry.objects.filter(object_id=str(obj.pk)).order_by("-at", "-id").first()  # type: ignore[attr-defined]
    assert entry is not None
    with translation.override("id"):
        when = dateformat.format(timezone.localtime(entry.at), "j F Y H.i")
    return f"Data ini sudah diubah oleh Budi pada {when} setelah Anda membukanya."


@pytest.fixture
def budi(demo: Personas) -> Personas:
    """The administrator has a name, which the message gives."""
    admin = demo.users["admin"]
    admin.first_name = "Budi"
    admin.save(update_fields=["first_name"])
    return demo


def test_the_second_of_two_saves_of_one_rt_year_gets_409_with_the_other_values(
    budi: Personas,
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    url = form_url(rt)
    facilitator, admin = budi.client("facilitator"), budi.client("admin")
    version = opened_version(facilitator, url)
    assert opened_version(admin, url) == version
    theirs = posted(obs, v_2b="7", confirm_review="on", version=version)
    assert admin.post(url, theirs).status_code == 302
    mine = posted(obs, v_3a="4", confirm_review="on", version=version)

    response = facilitator.post(url, mine)

    assert response.status_code == 409
    html = response.content.decode()
    assert stale_text(obs) in html
    assert "Nilai mereka ditampilkan di bawah; periksa lalu simpan lagi." in html
    assert re.search(r'name="v_3a" value="4"', html)  # the person's own value is kept
    their_2b = re.search(
        r'name="v_2b" value="[^"]*"[^>]*>\s*<span class="theirs">([^<]*)<b>7</b>', html
    )
    assert their_2b is not None, "the other person's 2b is shown beside the field"
    assert html.count('class="theirs"') == 2  # 2b (theirs 7) and 3a (theirs the old value)
    obs.refresh_from_db()
    assert obs.volumes["2b"] == "7"
    assert obs.volumes["3a"] != "4"
    assert not AuditEntry.objects.filter(actor=budi.users["facilitator"]).exists()

    again = VERSION.search(html)
    assert again is not None
    assert int(again.group(1)) == obs.version
    resaved = facilitator.post(url, {**mine, "version": again.group(1)})
    assert resaved.status_code == 302
    obs.refresh_from_db()
    assert obs.volumes["3a"] == "4"
    updates = AuditEntry.objects.filter(action="observation.update", object_id=str(obs.pk))
    assert [e.actor_label for e in updates.order_by("id")] == ["admin", "facilitator"]


def test_two_first_saves_of_a_new_year_conflict_too(budi: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    url = form_url(rt, 2022)
    facilitator, admin = budi.client("facilitator"), budi.client("admin")
    assert opened_version(facilitator, url) == "0"  # nothing stored yet
    assert admin.post(url, posted(obs, v_2b="7", version="0")).status_code == 302

    response = facilitator.post(url, posted(obs, v_2b="9", confirm_review="on", version="0"))

    assert response.status_code == 409
    assert Observation.objects.get(rt=rt, tahun=2022).volumes["2b"] == "7"
    created = AuditEntry.objects.filter(action="observation.create")
    stored = Observation.objects.get(rt=rt, tahun=2022)
    assert [e.actor_label for e in created.filter(object_id=str(stored.pk))] == ["admin"]


def test_a_refused_form_keeps_the_version_it_was_opened_on(budi: Personas) -> None:
    """A form sent back for a wrong value must not silently adopt someone's newer version."""
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    url = form_url(rt)
    facilitator, admin = budi.client("facilitator"), budi.client("admin")
    version = opened_version(facilitator, url)
    assert admin.post(url, posted(obs, v_2b="7", version=version)).status_code == 302
    wrong = facilitator.post(url, posted(obs, v_2b="abc", confirm_review="on", version=version))
    assert wrong.status_code == 422
    assert f'name="version" value="{version}"' in wrong.content.decode()
    fixed = facilitator.post(url, posted(obs, v_2b="9", confirm_review="on", version=version))
    assert fixed.status_code == 409


def test_a_save_that_changes_nothing_the_other_did_not_is_not_a_conflict(
    budi: Personas,
) -> None:
    """The second person's values equal what is stored now: nothing to overwrite."""
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    url = form_url(rt)
    version = opened_version(budi.client("facilitator"), url)
    same = posted(obs, v_2b="7", confirm_review="on", version=version)
    assert budi.client("admin").post(url, same).status_code == 302
    assert budi.client("facilitator").post(url, same).status_code == 302
