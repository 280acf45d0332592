"""The class an SK's source states (a consultant's GIS layer) on the SK page: beside the class
computed from the RT data, by its label, and the locations where the two differ listed; each
reader sees the rows of their own region only."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import SkDecree
from sikumuh.surveys.actions import save_observation
from tests.conftest import Personas
from tests.factories import ACTOR, HEADER, location, rt, volumes_at
from tests.slums.test_sk_data import KARANG_TARUNA, SARANG_HALANG

pytestmark = pytest.mark.django_db


@pytest.fixture
def decree(personas: Personas) -> SkDecree:
    """Four locations: A stated sedang, computed berat (differs); B stated ringan, computed
    berat, in another desa (differs); C stated berat, computed berat (agrees); D stated
    sedang without RT data (nothing to compare)."""
    places = {
        "A": location("SK-A", SARANG_HALANG),
        "B": location("SK-B", KARANG_TARUNA),
        "C": location("SK-C", SARANG_HALANG),
        "D": location("SK-D", SARANG_HALANG),
    }
    for code in "ABC":
        unit = rt(places[code], "001")
        save_observation(actor=ACTOR, rt=unit, tahun=2024, header=HEADER, volumes=volumes_at("0.8"))
    return create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="188.45/77/2025",
        year=2025,
        entries=[(place, Decimal("2.5")) for place in places.values()],
        stated_classes={
            "SK-A": "kumuh_sedang",
            "SK-B": "kumuh_ringan",
            "SK-C": "kumuh_berat",
            "SK-D": "kumuh_sedang",
        },
    )


def differences(html: str) -> list[str]:
    """The codes listed as stated ≠ computed."""
    table = re.search(r'<table class="sk-class-differences">.*?</table>', html, re.S)
    return re.findall(r"<tr><td>(SK-\w)</td>", table.group(0)) if table else []


def entry_cells(html: str, code: str) -> str:
    row = re.search(rf"<tr>\s*<td>{code}</td>.*?</tr>", html, re.S)
    assert row is not None
    return row.group(0)


@pytest.mark.parametrize(
    ("persona", "listed"),
    [
        ("admin", ["SK-A", "SK-B"]),
        ("reviewer", ["SK-A", "SK-B"]),
        ("viewer", ["SK-A", "SK-B"]),
        ("facilitator", ["SK-A"]),  # Karang Taruna is not their desa
    ],
)
def test_the_sk_page_lists_where_the_stated_class_differs_from_the_computed_one(
    personas: Personas, decree: SkDecree, persona: str, listed: list[str]
) -> None:
    response = personas.client(persona).get(f"/sk/{decree.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert differences(html) == listed
    assert "Tingkat menurut SK" in html


def test_the_stated_class_is_shown_by_its_label_beside_the_computed_one(
    personas: Personas, decree: SkDecree
) -> None:
    html = personas.client("admin").get(f"/sk/{decree.pk}/").content.decode()
    a, c, d = (entry_cells(html, code) for code in ("SK-A", "SK-C", "SK-D"))
    assert "Kumuh Sedang" in a
    assert "⚠" in a
    assert "Kumuh Berat" in a  # the computed class beside it
    assert "⚠" not in c
    assert "Kumuh Sedang" in d
    assert "⚠" not in d  # no RT data: nothing to compare
    assert "kumuh_sedang</td>" not in html  # labels, never codes


@pytest.mark.parametrize(("persona", "expected"), [("outsider", 404), ("admin", 405)])
def test_the_page_keeps_its_checklist(
    personas: Personas, decree: SkDecree, persona: str, expected: int
) -> None:
    client = personas.client(persona)
    url = f"/sk/{decree.pk}/"
    assert (client.post(url) if persona == "admin" else client.get(url)).status_code == expected


def test_an_sk_without_stated_classes_lists_no_difference(personas: Personas) -> None:
    place = location("SK-A", SARANG_HALANG)
    save_observation(
        actor=ACTOR, rt=rt(place, "001"), tahun=2024, header=HEADER, volumes=volumes_at("0.8")
    )
    decree = create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="188.45/78/2025",
        year=2025,
        entries=[(place, Decimal("2.5"))],
    )
    html = personas.client("admin").get(f"/sk/{decree.pk}/").content.decode()
    assert differences(html) == []
    assert 'id="class-differences"' not in html


def test_the_table_export_carries_the_stated_class_by_its_label(
    personas: Personas, decree: SkDecree
) -> None:
    response = personas.client("viewer").get(f"/sk/{decree.pk}/?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Tingkat menurut SK")
    assert {row[0]: row[column] for row in rows[1:]} == {
        "SK-A": "Kumuh Sedang",
        "SK-B": "Kumuh Ringan",
        "SK-C": "Kumuh Berat",
        "SK-D": "Kumuh Sedang",
    }
