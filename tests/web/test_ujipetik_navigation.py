"""Issue 12 §5 on the uji petik pages: collapsible sections, overdue follow-ups flagged, the
purposive picker of the draw form (server-side checks unchanged), the items' search and sort,
jargon explained where it stands."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from sikumuh.inspections.actions.checklists import add_follow_up, record_finding
from sikumuh.inspections.models import FollowUp, SampleItem, UjiPetik
from sikumuh.investments.models import Investment
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.inspections.helpers import build_works, draw
from tests.web.test_ujipetik import draw_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def up(personas: Personas) -> UjiPetik:
    build_works()
    return draw(n=6, seed=42)


def page(personas: Personas, persona: str, url: str, **query: str) -> str:
    response = personas.client(persona).get(url, query)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_the_detail_page_is_in_collapsible_sections(
    up: UjiPetik, personas: Personas, persona: str
) -> None:
    html = page(personas, persona, f"/uji-petik/{up.pk}/")
    sections = dict(re.findall(r'<details class="card up-section" id="(\w+)"( open)?>', html))
    assert set(sections) == {"plan", "estimates", "sample", "reliability", "findings"}
    assert sections["sample"] == " open"  # the working list stays open
    assert sections["plan"] == ""
    assert "<section" not in html.split("<main>")[1].split("</main>")[0]


@pytest.mark.parametrize(
    ("deadline", "status", "flagged"),
    [
        (dt.date.today() - dt.timedelta(days=1), "open", True),
        (dt.date.today(), "open", False),
        (dt.date.today() + dt.timedelta(days=30), "open", False),
        (dt.date.today() - dt.timedelta(days=1), "done", False),
        (None, "open", False),
    ],
)
def test_follow_ups_past_their_deadline_are_flagged(
    up: UjiPetik, personas: Personas, deadline: dt.date | None, status: str, flagged: bool
) -> None:
    finding = record_finding(actor=ACTOR, uji_petik=up, severity="tinggi", description="Ambles")
    follow_up = add_follow_up(
        actor=ACTOR, finding=finding, action="Perbaikan", responsible="Dinas", deadline=deadline
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(status=status)
    follow_up.refresh_from_db()
    assert follow_up.overdue is flagged
    client = personas.client("viewer")
    client.cookies["django_language"] = "id"
    html = client.get(f"/uji-petik/{up.pk}/").content.decode()
    row = re.search(rf'<tr id="follow-up-{follow_up.pk}".*?</tr>', html, re.S)
    assert row
    assert ("lewat tenggat" in row[0]) is flagged
    # The findings section is closed; its summary says what needs doing.
    summary = re.search(r'<details class="card up-section" id="findings">.*?</summary>', html, re.S)
    assert summary
    assert ("1 lewat tenggat" in summary[0]) is flagged
    assert ("1 tindak lanjut terbuka" in summary[0]) is (status == "open")


def test_the_draw_form_offers_a_picker_to_the_pokja(up: UjiPetik, personas: Personas) -> None:
    html = page(personas, "reviewer", "/wilayah/63.01/uji-petik/")
    assert "data-picker" in html
    assert 'data-picker-group="investments"' in html
    assert 'data-picker-group="rts"' in html
    some = Investment.objects.filter(location__kabupaten_id="63.01").first()
    assert some is not None
    assert f'name="purposive" value="{some.pk}"' in html
    assert "dipisah koma" not in html
    # No picker (no form at all) for those who may not draw.
    assert "data-picker" not in page(personas, "viewer", "/wilayah/63.01/uji-petik/")


@pytest.mark.parametrize(
    ("ticked", "status"),
    [
        (["first"], 302),  # one activity ticked: drawn with it as a purposive item
        (["first", "second"], 302),
        (["999999"], 400),  # not in the population: refused as before
        (["abc"], 400),  # not a number: refused as before
    ],
)
def test_ticked_items_are_checked_by_the_server(
    up: UjiPetik, personas: Personas, ticked: list[str], status: int
) -> None:
    ids = list(
        Investment.objects.filter(location__kabupaten_id="63.01", tahun=2021)
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    values = [str(ids[0]) if t == "first" else str(ids[1]) if t == "second" else t for t in ticked]
    client = personas.client("reviewer")
    response = client.post(
        "/wilayah/63.01/uji-petik/", draw_data(purposive=values, purposive_reason="aduan")
    )
    assert response.status_code == status
    if status == 302:
        drawn = UjiPetik.objects.exclude(pk=up.pk).get()
        purposive = set(
            SampleItem.objects.filter(uji_petik=drawn, purposive=True).values_list(
                "investment_id", flat=True
            )
        )
        assert purposive == {int(v) for v in values}
    else:
        assert 'role="alert"' in response.content.decode()


def test_the_items_are_searched_and_sorted(up: UjiPetik, personas: Personas) -> None:
    items = list(up.items.order_by("position"))
    html = page(personas, "admin", f"/uji-petik/{up.pk}/", sort="-no")
    positions = [
        int(p) for p in re.findall(r'<tr id="item-\d+"[^>]*>\s*<td class="num">(\d+)', html)
    ]
    assert positions == sorted((i.position for i in items), reverse=True)
    html = page(personas, "admin", f"/uji-petik/{up.pk}/", q="zzz-nothing")
    assert 'id="item-' not in html


@pytest.mark.parametrize(
    ("url", "subject"),
    [
        ("detail", "seed"),
        ("detail", "strata"),
        ("/wilayah/63.01/delineasi/", "crs"),
        ("/wilayah/63.01/sk/hapus-status/", "both-conditions"),
    ],
)
def test_jargon_is_explained_where_it_stands(
    up: UjiPetik, personas: Personas, url: str, subject: str
) -> None:
    target = f"/uji-petik/{up.pk}/" if url == "detail" else url
    assert f'data-help="{subject}"' in page(personas, "admin", target)
