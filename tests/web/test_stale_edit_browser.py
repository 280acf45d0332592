"""Two people in two browsers save the same RT-year: the second sees who changed it and when,
the other values beside the fields, their own values kept; saving again works. At desktop
width and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_location, create_rt
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation
from tests.audit.test_edit_version_race import HEADER, volumes
from tests.conftest import Personas, browser_login
from tests.web.test_rtdata_support import SARANG_HALANG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYSTEM = Actor.system("test")


@pytest.fixture
def rt(personas: Personas) -> RtUnit:
    admin = personas.users["admin"]
    admin.first_name = "Budi"
    admin.save(update_fields=["first_name"])
    desa = Region.objects.get(code=SARANG_HALANG)
    location = create_location(
        actor=SYSTEM, kabupaten=Region.objects.get(code="63.01"), code="L1", name="L1", desa=desa
    )
    unit = create_rt(actor=SYSTEM, location=location, rt="001", desa=desa)
    save_observation(actor=SYSTEM, rt=unit, tahun=2024, header=HEADER, volumes=volumes(0))
    return unit


def person(chromium: Any, live_server: Any, username: str, width: int) -> Any:
    context = chromium.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    browser_login(page, username)
    return page


def save(page: Any, code: str, value: str) -> None:
    page.fill(f"#f-v_{code}", value)
    confirm = page.locator("#f-confirm_review")
    if confirm.count():
        confirm.check()
    page.click("#rt-form button[type=submit].primary")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_second_browser_sees_the_conflict_and_saves_after_looking(
    chromium: Any, live_server: Any, rt: RtUnit, width: int
) -> None:
    url = f"{live_server.url}/rt/{rt.pk}/isian/2024/"
    budi = person(chromium, live_server, "admin", width)
    mine = person(chromium, live_server, "facilitator", width)
    try:
        budi.goto(url)
        mine.goto(url)
        save(budi, "2b", "7")
        assert budi.locator(".messages").inner_text()

        save(mine, "3a", "4")

        message = mine.locator("#save-error")
        assert "Data ini sudah diubah oleh Budi pada" in message.inner_text()
        theirs = mine.locator("#f-v_2b + .theirs")
        theirs.scroll_into_view_if_needed()
        assert theirs.is_visible()
        assert theirs.inner_text() == "Nilai mereka: 7"
        assert mine.input_value("#f-v_3a") == "4"
        box = message.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width  # the message fits the screen
        assert Observation.objects.get(rt=rt, tahun=2024).volumes["3a"] == "0"

        save(mine, "2b", "7")  # takes Budi's value after looking, keeps own 3a

        assert not mine.locator("#save-error").count()
        stored = Observation.objects.get(rt=rt, tahun=2024)
        assert (stored.volumes["2b"], stored.volumes["3a"]) == ("7", "4")
    finally:
        budi.context.close()
        mine.context.close()
