"""The draft list of locations that may leave the SK (hapus status kumuh), on the demo."""

from __future__ import annotations

import pytest

from sikumuh.demo.build import build_demo
from sikumuh.surveys.sk_entries import removal_draft
from tests.conftest import Personas
from tests.factories import ACTOR

pytestmark = pytest.mark.django_db

URL = "/wilayah/63.01/sk/hapus-status/"


@pytest.fixture
def demo(personas: Personas) -> None:
    build_demo(actor=ACTOR)


def test_the_draft_shows_the_qualifying_desa_with_both_conditions(
    personas: Personas, demo: None
) -> None:
    response = personas.client("reviewer").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for desa in ("Sungai Bakar", "Pemalongan", "Gunung Mas"):
        assert desa in html
    draft = removal_draft("63.01")
    assert draft is not None
    # Every location the selector lists is on the page, with the right verdict count.
    for row in draft.rows:
        assert row.code in html
    assert html.count('class="sk-qualifies"') == len(draft.qualifying)
    assert html.count('class="sk-score-only"') == len(draft.score_only)
    # Totals: the SK area now → after removing the qualifying locations.
    assert "184,92 Ha" in html
    remaining = f"{draft.remaining_ha:.2f}".replace(".", ",")
    assert f"{remaining} Ha" in html


def test_a_kecamatan_draft_lists_its_own_locations(personas: Personas, demo: None) -> None:
    html = personas.client("viewer").get("/wilayah/63.01.10/sk/hapus-status/").content.decode()
    assert "Sungai Bakar" in html
    assert "Gunung Mas" not in html  # Batu Ampar


def test_a_facilitator_sees_the_draft_of_their_desa(personas: Personas, demo: None) -> None:
    response = personas.client("facilitator").get("/wilayah/63.01.03.1001/sk/hapus-status/")
    assert response.status_code == 200
    assert "Bumi Jaya" not in response.content.decode()  # another desa of Pelaihari


def test_without_an_sk_the_page_says_so(personas: Personas) -> None:
    response = personas.client("admin").get(URL)
    assert response.status_code == 200
    assert "Belum ada SK Kumuh" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "url", "method", "expected"),
    [
        ("outsider", URL, "get", 404),
        ("facilitator", URL, "get", 404),
        ("admin", "/wilayah/99.99/sk/hapus-status/", "get", 404),
        ("admin", "/wilayah/63/sk/hapus-status/", "get", 404),  # a province holds no SK
        ("admin", URL, "post", 405),
    ],
)
def test_the_removal_checklist(
    personas: Personas, persona: str, url: str, method: str, expected: int
) -> None:
    assert getattr(personas.client(persona), method)(url).status_code == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?tahun=2020", "SK yang berlaku pada tahun 2020"),
        ("?tahun=2019", "Tidak ada SK yang berlaku pada tahun 2019"),  # the demo SK is of June 2020
        ("?tahun=abc", "SK yang berlaku pada tahun 20"),  # an unreadable year: this year
    ],
)
def test_the_draft_compares_with_the_sk_in_force_in_the_year_asked_for(
    personas: Personas, demo: None, query: str, expected: str
) -> None:
    response = personas.client("viewer").get(URL + query)
    assert response.status_code == 200
    assert expected in response.content.decode()
