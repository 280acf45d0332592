"""Accounts managed in the application: the banner, user lists per region, invitations, roles
granted and revoked inside one's scope only, deactivation, password change and reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from sikumuh.accounts.actions import grant_role
from sikumuh.accounts.models import Membership
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.regions.models import Region
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db
USERS = "/wilayah/63.01/pengguna/"
NEW_PASSWORD = "kumuh-tuntas-2030"


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/masuk/sandi/[^/\s]+/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def set_password_with(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    form = client.get(link)  # Django moves the token into the session, then redirects
    assert form.status_code == 302, form
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


# --- The banner ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("facilitator", "Fasilitator · Kel. Sarang Halang"),
        ("admin", "Administrator · Kab. Tanah Laut"),
        ("reviewer", "Peninjau · Kab. Tanah Laut"),
        ("outsider", "Administrator · Kota Pekalongan"),
    ],
)
def test_the_banner_says_who_you_are_where(personas: Personas, persona: str, shown: str) -> None:
    page = personas.client(persona).get("/akun/")
    assert page.status_code == 200
    assert shown in page.content.decode()
    assert 'href="/akun/"' in page.content.decode()


def also_viewer(user: Any, code: str) -> None:
    grant_role(
        actor=Actor.system("test"), user=user, region=Region.objects.get(code=code), role="viewer"
    )


def test_several_roles_are_listed_compactly(personas: Personas) -> None:
    also_viewer(personas["facilitator"], "63.01")
    html = personas.client("facilitator").get("/akun/").content.decode()
    assert "Pemantau · Kab. Tanah Laut" in html  # the outermost first
    assert "+1 lainnya" in html


# --- The list of users ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("reviewer", 403), ("viewer", 403), ("facilitator", 404), ("outsider", 404)],
)
def test_only_the_regions_administrator_lists_its_users(
    personas: Personas, persona: str, status: int
) -> None:
    assert personas.client(persona).get(USERS).status_code == status


def test_the_list_holds_the_users_with_roles_inside_the_region(personas: Personas) -> None:
    html = personas.client("admin").get(USERS).content.decode()
    for name in ("admin", "reviewer", "facilitator", "viewer"):
        assert f">{name}</a>" in html
    assert ">outsider</a>" not in html


# --- Invitations ---------------------------------------------------------------------------------


def invite(client: Client, region: str = "63.01.03.1001", **extra: str) -> Any:
    data = {"username": "fasil2", "email": "fasil2@example.org", "role": "editor", "region": region}
    return client.post(USERS + "baru/", {**data, **extra})


def test_an_invitation_mails_a_link_that_sets_the_password_and_logs_in(
    personas: Personas,
) -> None:
    response = invite(personas.client("admin"))
    assert response.status_code == 302
    user = User.objects.get(username="fasil2")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, region_id="63.01.03.1001", role="editor").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fasil2@example.org"]
    client = Client()
    done = set_password_with(client, link_in(mail.outbox[0]))
    assert done.status_code == 302
    assert client.get("/akun/").status_code == 200  # logged in
    assert Client().login(username="fasil2", password=NEW_PASSWORD)
    actions = set(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"user.create", "user.password"} <= actions
    password_entry = AuditEntry.objects.get(action="user.password", object_id=str(user.pk))
    assert password_entry.context == {"reason": "invitation"}


def test_an_invitation_link_works_once(personas: Personas) -> None:
    invite(personas.client("admin"))
    link = link_in(mail.outbox[0])
    set_password_with(Client(), link)
    again = Client().get(link, follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


@pytest.mark.parametrize("region", ["33.75", "ID", "63", "33.75.01"])
def test_an_administrator_cannot_invite_outside_their_scope(
    personas: Personas, region: str
) -> None:
    response = invite(personas.client("admin"), region=region)
    assert response.status_code == 400  # said on the form, what was typed kept
    text = response.content.decode()
    assert "Anda hanya dapat memberi peran di Kabupaten Tanah Laut (63.01)" in text
    assert f'value="{region}"' in text
    assert not User.objects.filter(username="fasil2").exists()
    assert not mail.outbox


def test_an_unknown_region_or_a_taken_username_is_a_form_error(personas: Personas) -> None:
    assert invite(personas.client("admin"), region="63.01.99").status_code == 400
    assert invite(personas.client("admin"), username="Viewer").status_code == 400
    assert not mail.outbox


@pytest.mark.parametrize("persona", ["viewer", "reviewer"])
def test_a_non_administrator_cannot_invite(personas: Personas, persona: str) -> None:
    assert invite(personas.client(persona)).status_code == 403


def test_an_invitation_the_mail_server_refused_is_said_and_can_be_asked_again(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr("sikumuh.web.views.accounts.mail.send_mail", refuse)
    admin = personas.client("admin")
    page = invite(admin, email="fasil2@example.org")
    followed = admin.get(page["Location"]).content.decode()
    assert page.status_code == 302
    assert "email tidak dapat dikirim" in followed
    assert "Errno" not in followed
    assert "could not be sent" in caplog.text
    monkeypatch.undo()
    Client().post("/masuk/lupa-sandi/", {"email": "fasil2@example.org"})
    assert len(mail.outbox) == 1  # the invited user asks for the link themselves
    assert set_password_with(Client(), link_in(mail.outbox[0])).status_code == 302


# --- Roles ---------------------------------------------------------------------------------------


def test_an_administrator_grants_a_role_inside_their_scope(personas: Personas) -> None:
    user = personas["facilitator"]
    url = f"{USERS}{user.pk}/peran/"
    response = personas.client("admin").post(url, {"role": "reviewer", "region": "63.01.03"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, region_id="63.01.03", role="reviewer").exists()
    entry = AuditEntry.objects.filter(action="membership.grant").latest("pk")
    assert entry.actor == personas["admin"]


@pytest.mark.parametrize("region", ["33.75", "ID", "63"])
def test_an_administrator_cannot_grant_outside_their_scope(personas: Personas, region: str) -> None:
    user = personas["facilitator"]
    url = f"{USERS}{user.pk}/peran/"
    response = personas.client("admin").post(url, {"role": "admin", "region": region})
    assert response.status_code == 400
    assert "memberi peran di Kabupaten Tanah Laut (63.01)" in response.content.decode()
    assert Membership.objects.filter(user=user).count() == 1


def test_an_administrator_cannot_revoke_their_own_administrator_role(
    personas: Personas,
) -> None:
    admin = personas["admin"]
    client = personas.client("admin")
    own = Membership.objects.get(user=admin, role="admin")
    page = client.get(f"{USERS}{admin.pk}/").content.decode()
    assert f"/peran/{own.pk}/cabut/" not in page
    assert "/nonaktif/" not in page  # nor deactivate themselves
    response = client.post(f"{USERS}peran/{own.pk}/cabut/", follow=True)
    assert "Anda tidak dapat mencabut peran administrator Anda sendiri" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(action="membership.revoke").exists()


def test_an_administrator_cannot_manage_users_of_another_regency(personas: Personas) -> None:
    outsider = personas["outsider"]
    client = personas.client("admin")
    assert client.get(f"{USERS}{outsider.pk}/").status_code == 404
    assert client.get(f"/wilayah/33.75/pengguna/{outsider.pk}/").status_code == 404
    url = f"/wilayah/33.75/pengguna/{outsider.pk}/peran/"
    assert client.post(url, {"role": "viewer", "region": "33.75"}).status_code == 404


def test_an_administrator_revokes_a_role_inside_their_scope(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas["viewer"])
    response = personas.client("admin").post(f"{USERS}peran/{membership.pk}/cabut/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="membership.revoke").exists()


def test_a_role_in_another_regency_cannot_be_revoked(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas["outsider"])
    assert personas.client("admin").post(f"{USERS}peran/{membership.pk}/cabut/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- Deactivation --------------------------------------------------------------------------------


def test_an_administrator_deactivates_a_user_of_their_regency(personas: Personas) -> None:
    viewer = personas["viewer"]
    response = personas.client("admin").post(f"{USERS}{viewer.pk}/nonaktif/")
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert User.objects.filter(pk=viewer.pk).exists()  # never deleted
    assert not Client().login(username="viewer", password=PASSWORD)
    assert personas.client("admin").get(USERS).content.decode().count("nonaktif") >= 1


def test_a_user_with_roles_elsewhere_or_oneself_is_not_deactivated(personas: Personas) -> None:
    viewer = personas["viewer"]
    also_viewer(viewer, "33.75")
    client = personas.client("admin")
    assert client.post(f"{USERS}{viewer.pk}/nonaktif/").status_code == 403
    assert client.post(f"{USERS}{personas['admin'].pk}/nonaktif/").status_code == 403
    assert User.objects.get(pk=viewer.pk).is_active


# --- Passwords -----------------------------------------------------------------------------------


def test_a_user_changes_their_own_password_and_stays_logged_in(personas: Personas) -> None:
    client = Client()
    assert client.login(username="facilitator", password=PASSWORD)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post("/akun/sandi/", data).status_code == 302
    assert client.get("/akun/").status_code == 200
    assert Client().login(username="facilitator", password=NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="user.password", actor=personas["facilitator"]).exists()


@pytest.mark.parametrize("weak", ["12345678901", "password123", "kumuh", "facilitator1"])
def test_a_short_common_numeric_or_username_like_password_is_refused(
    personas: Personas, weak: str
) -> None:
    client = Client()
    assert client.login(username="facilitator", password=PASSWORD)
    data = {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    assert client.post("/akun/sandi/", data).status_code == 400  # the form again, with why
    assert Client().login(username="facilitator", password=PASSWORD)


def test_an_invitation_link_refuses_a_weak_password(personas: Personas) -> None:
    invite(personas.client("admin"))
    done = set_password_with(Client(), link_in(mail.outbox[0]), "1234567890")
    assert done.status_code == 200
    assert "terlalu umum" in done.content.decode() or "seluruhnya" in done.content.decode()
    assert not User.objects.get(username="fasil2").has_usable_password()


def test_a_wrong_old_password_changes_nothing(personas: Personas) -> None:
    client = personas.client("facilitator")
    data = {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post("/akun/sandi/", data).status_code == 400
    assert Client().login(username="facilitator", password=PASSWORD)


def with_email(personas: Personas, persona: str, email: str) -> None:
    user = personas[persona]
    user.email = email
    user.save()


def test_a_reset_link_sets_a_new_password(personas: Personas) -> None:
    with_email(personas, "reviewer", "pokja@example.org")
    answer = Client().post("/masuk/lupa-sandi/", {"email": "POKJA@example.org"})
    assert answer.status_code == 200
    assert len(mail.outbox) == 1
    client = Client()
    assert set_password_with(client, link_in(mail.outbox[0])).status_code == 302
    assert Client().login(username="reviewer", password=NEW_PASSWORD)
    entry = AuditEntry.objects.filter(action="user.password").latest("pk")
    assert entry.context == {"reason": "reset"}


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_a_reset_never_says_whether_the_address_exists(personas: Personas) -> None:
    with_email(personas, "reviewer", "pokja@example.org")
    known = Client().post("/masuk/lupa-sandi/", {"email": "pokja@example.org"})
    unknown = Client().post("/masuk/lupa-sandi/", {"email": "siapa@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert len(mail.outbox) == 1


def test_reset_requests_are_rate_limited_per_address(personas: Personas, settings: Any) -> None:
    with_email(personas, "reviewer", "pokja@example.org")
    client = Client()
    answers = [
        client.post("/masuk/lupa-sandi/", {"email": "pokja@example.org"}, REMOTE_ADDR=f"10.0.0.{i}")
        for i in range(settings.LOGIN_FAILURE_LIMIT + 1)
    ]
    assert [a.status_code for a in answers[:-1]] == [200] * settings.LOGIN_FAILURE_LIMIT
    assert answers[-1].status_code == 429
    assert len(mail.outbox) == settings.LOGIN_FAILURE_LIMIT


def test_reset_requests_do_not_spend_the_login_budget(personas: Personas, settings: Any) -> None:
    client = Client()
    for i in range(settings.LOGIN_FAILURE_LIMIT + 1):
        client.post("/masuk/lupa-sandi/", {"email": f"x{i}@example.org"})
    assert client.post("/masuk/", {"username": "viewer", "password": PASSWORD}).status_code == 302


# --- Reactivation and invitations sent again -----------------------------------------------------


def deactivated(personas: Personas, persona: str = "viewer") -> Any:
    user = personas[persona]
    assert personas.client("admin").post(f"{USERS}{user.pk}/nonaktif/").status_code == 302
    return user


def test_an_administrator_reactivates_a_deactivated_user_with_their_roles(
    personas: Personas,
) -> None:
    viewer = deactivated(personas)
    admin = personas.client("admin")
    page = admin.get(f"{USERS}{viewer.pk}/").content.decode()
    assert "Aktifkan kembali" in page
    assert f"{USERS}{viewer.pk}/aktifkan/" in page

    response = admin.post(f"{USERS}{viewer.pk}/aktifkan/")

    assert response.status_code == 302
    assert "aktif kembali" in admin.get(response["Location"]).content.decode()
    assert User.objects.get(pk=viewer.pk).is_active
    assert Client().login(username="viewer", password=PASSWORD)
    assert Membership.objects.filter(user=viewer, region_id="63.01", role="viewer").exists()
    entry = AuditEntry.objects.get(action="user.reactivate", object_id=str(viewer.pk))
    assert entry.actor == personas["admin"]
    assert admin.post(f"{USERS}{viewer.pk}/aktifkan/").status_code == 302  # active: no change
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1


def test_an_active_user_is_offered_no_reactivation(personas: Personas) -> None:
    page = personas.client("admin").get(f"{USERS}{personas['viewer'].pk}/").content.decode()
    assert "aktifkan/" not in page


def invited(personas: Personas) -> Any:
    assert invite(personas.client("admin")).status_code == 302
    mail.outbox.clear()
    return User.objects.get(username="fasil2")


def test_an_administrator_sends_an_invitation_again_with_a_working_link(
    personas: Personas,
) -> None:
    user = invited(personas)
    admin = personas.client("admin")
    page = admin.get(f"{USERS}{user.pk}/").content.decode()
    assert "Kirim ulang undangan" in page

    response = admin.post(f"{USERS}{user.pk}/undang-ulang/")

    assert response.status_code == 302
    assert "telah diundang" in admin.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fasil2@example.org"]
    assert set_password_with(Client(), link_in(mail.outbox[0])).status_code == 302
    assert Client().login(username="fasil2", password=NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="user.invite", object_id=str(user.pk))
    assert entry.actor == personas["admin"]
    assert entry.context == {"email": "fasil2@example.org", "sent": True}
    assert entry.region_code == "63.01"


def test_an_invitation_the_mail_server_refuses_again_is_said_and_audited(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = invited(personas)

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr("sikumuh.web.views.accounts.mail.send_mail", refuse)
    admin = personas.client("admin")
    response = admin.post(f"{USERS}{user.pk}/undang-ulang/")
    assert response.status_code == 302
    page = admin.get(response["Location"]).content.decode()
    assert "tidak dapat dikirim" in page
    assert "Errno" not in page
    assert AuditEntry.objects.get(action="user.invite").context["sent"] is False


@pytest.mark.parametrize("state", ["has a password", "deactivated", "no e-mail"])
def test_only_an_active_invited_user_with_an_address_is_invited_again(
    personas: Personas, state: str
) -> None:
    user = invited(personas)
    if state == "has a password":
        user.set_password(NEW_PASSWORD)
    elif state == "deactivated":
        user.is_active = False
    else:
        user.email = ""
    user.save()
    admin = personas.client("admin")
    assert "Kirim ulang undangan" not in admin.get(f"{USERS}{user.pk}/").content.decode()

    response = admin.post(f"{USERS}{user.pk}/undang-ulang/")

    assert response.status_code == 302
    assert "Lupa kata sandi" in admin.get(response["Location"]).content.decode()
    assert not mail.outbox
    assert not AuditEntry.objects.filter(action="user.invite").exists()


ACCOUNT_ACTIONS = ["aktifkan", "undang-ulang"]


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 403), ("viewer", 403), ("facilitator", 404), ("outsider", 404)],
)
def test_only_the_regions_administrator_reactivates_or_invites_again(
    personas: Personas, action: str, persona: str, status: int
) -> None:
    user = invited(personas)
    user.is_active = action == "undang-ulang"
    user.save()
    response = personas.client(persona).post(f"{USERS}{user.pk}/{action}/")
    assert response.status_code == status
    assert User.objects.get(pk=user.pk).is_active == (action == "undang-ulang")
    assert not mail.outbox


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
def test_account_actions_refuse_other_regencies_users_roles_elsewhere_bad_ids_and_get(
    personas: Personas, action: str
) -> None:
    admin = personas.client("admin")
    outsider, viewer = personas["outsider"], personas["viewer"]
    also_viewer(viewer, "33.75")
    assert admin.post(f"{USERS}{outsider.pk}/{action}/").status_code == 404
    assert admin.post(f"/wilayah/33.75/pengguna/{outsider.pk}/{action}/").status_code == 404
    assert admin.post(f"{USERS}{viewer.pk}/{action}/").status_code == 403  # roles elsewhere
    assert admin.post(f"{USERS}{personas['admin'].pk}/{action}/").status_code == 403  # oneself
    assert admin.post(f"{USERS}999999/{action}/").status_code == 404
    assert admin.get(f"{USERS}{viewer.pk}/{action}/").status_code == 405
    assert not AuditEntry.objects.filter(action__in=["user.reactivate", "user.invite"]).exists()


def test_the_account_page_links_the_users_of_each_administered_region_by_its_name(
    personas: Personas,
) -> None:
    html = personas.client("admin").get("/akun/").content.decode()
    assert "Pengguna · Kabupaten Tanah Laut" in html
    assert "Pengguna 63.01" not in html
