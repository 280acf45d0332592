"""An administrator deactivates, reactivates and invites a user again in a real browser, on a
desktop and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from sikumuh.accounts.actions import create_user
from sikumuh.audit.actions import Actor
from sikumuh.regions.models import Region
from tests.conftest import Personas, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_an_administrator_deactivates_reactivates_and_invites_again(
    page: Any, personas: Personas, width: int, height: int
) -> None:
    viewer = personas["viewer"]
    invited = create_user(
        actor=Actor.system("test"), username="fasil2", email="fasil2@example.org",
        role="editor", region=Region.objects.get(code="63.01.03.1001"),
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "admin")
    page.wait_for_url(lambda url: "/masuk/" not in url)

    page.goto(f"{page.base_url}/wilayah/63.01/pengguna/{viewer.pk}/")
    page.click("button:has-text('Nonaktifkan')")
    page.locator("button:has-text('Aktifkan kembali')").wait_for(state="visible")
    assert not User.objects.get(pk=viewer.pk).is_active
    assert fits_the_width(page)
    page.click("button:has-text('Aktifkan kembali')")
    page.locator("text=aktif kembali").first.wait_for(state="visible")
    assert User.objects.get(pk=viewer.pk).is_active

    page.goto(f"{page.base_url}/wilayah/63.01/pengguna/{invited.pk}/")
    assert fits_the_width(page)
    page.click("button:has-text('Kirim ulang undangan')")
    page.locator("text=telah diundang").first.wait_for(state="visible")
    assert [m.to for m in mail.outbox] == [["fasil2@example.org"]]
