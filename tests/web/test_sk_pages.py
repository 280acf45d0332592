"""The SK registry's read pages: the persona checklist on each, and what each shows."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree, create_location
from sikumuh.slums.models import SkDecree
from sikumuh.web.views.sk import pages
from tests.conftest import Personas
from tests.factories import ACTOR
from tests.slums.test_sk_data import SARANG_HALANG, SUNGAI_BAKAR, Versions, two_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(personas: Personas) -> Versions:
    return two_versions()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def status(client: Client, url: str, method: str = "get") -> int:
    return int(getattr(client, method)(url).status_code)


# --- The list --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "reviewer", "viewer"])
def test_the_kabupaten_sees_its_decrees_newest_first(
    personas: Personas, versions: Versions, persona: str
) -> None:
    html = page(personas.client(persona), "/wilayah/63.01/sk/")
    assert html.index("188.45/120/2021") < html.index("188.45/050/2016")
    assert "8,70 Ha" in html
    assert "20,45 Ha" in html


def test_only_an_admin_is_offered_to_register_an_sk(personas: Personas, versions: Versions) -> None:
    assert "/wilayah/63.01/sk/baru/" in page(personas.client("admin"), "/wilayah/63.01/sk/")
    assert "/wilayah/63.01/sk/baru/" not in page(personas.client("viewer"), "/wilayah/63.01/sk/")


def test_a_facilitator_sees_the_decrees_counting_only_their_desa(
    personas: Personas, versions: Versions
) -> None:
    html = page(personas.client("facilitator"), f"/wilayah/{SARANG_HALANG}/sk/")
    assert "188.45/120/2021" in html
    assert "6,20 Ha" in html  # SK-A and SK-D
    assert "8,70 Ha" not in html  # the kabupaten's total stays hidden


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("facilitator", "/wilayah/63.01/sk/", 404),  # the kabupaten is outside their scope
        ("outsider", "/wilayah/63.01/sk/", 404),
        ("admin", "/wilayah/99.99/sk/", 404),
        ("admin", "/wilayah/33.75/sk/", 404),
    ],
)
def test_the_list_answers_404_outside_the_scope(
    personas: Personas, versions: Versions, persona: str, url: str, expected: int
) -> None:
    assert status(personas.client(persona), url) == expected


def test_the_list_refuses_a_post_and_sends_strangers_to_the_login(
    personas: Personas, versions: Versions
) -> None:
    assert status(personas.client("admin"), "/wilayah/63.01/sk/", "post") == 405
    response = Client().get("/wilayah/63.01/sk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_the_list_page_reads_a_fixed_number_of_queries(
    personas: Personas, versions: Versions, django_assert_num_queries: Any
) -> None:
    client = personas.client("admin")
    # session, user, memberships, region, decrees with their counts
    with django_assert_num_queries(5):
        client.get("/wilayah/63.01/sk/")


# --- One decree --------------------------------------------------------------------------------


def test_the_detail_shows_entries_kewenangan_totals_per_kecamatan_versions_and_history(
    personas: Personas, versions: Versions
) -> None:
    html = page(personas.client("admin"), f"/sk/{versions.v1.pk}/")
    for text in ("SK-A", "SK-B", "SK-C", "Sarang Halang", "Bajuin", "Pemerintah Provinsi"):
        assert text in html
    assert "20,45 Ha" in html
    assert "7,95 Ha" in html  # Pelaihari
    assert f"/sk/{versions.v2.pk}/banding/{versions.v1.pk}/" in html  # the version chain
    assert "SK digantikan" in html  # its audit history, the action as a sentence
    assert "188.45/120/2021" in html  # "superseded; the SK in force is …"


def test_the_detail_in_english_translates_kewenangan_but_keeps_domain_terms(
    personas: Personas, versions: Versions
) -> None:
    client = personas.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, f"/sk/{versions.v1.pk}/")
    assert "Provincial government" in html
    assert "Kecamatan" in html


def test_a_facilitator_sees_only_the_entries_of_their_desa_and_no_history(
    personas: Personas, versions: Versions
) -> None:
    html = page(personas.client("facilitator"), f"/sk/{versions.v2.pk}/")
    assert "SK-A" in html
    assert "SK-D" in html
    assert "SK-B" not in html
    assert "6,20 Ha" in html
    assert "sk.create" not in html


@pytest.mark.parametrize(
    ("persona", "path", "expected"),
    [
        ("outsider", "/sk/{v1}/", 404),
        ("admin", "/sk/987654/", 404),
        ("viewer", "/sk/{v1}/", 200),
        ("reviewer", "/sk/{v1}/", 200),
    ],
)
def test_the_detail_checklist(
    personas: Personas, versions: Versions, persona: str, path: str, expected: int
) -> None:
    assert status(personas.client(persona), path.format(v1=versions.v1.pk)) == expected


def test_the_detail_refuses_a_post(personas: Personas, versions: Versions) -> None:
    assert status(personas.client("admin"), f"/sk/{versions.v1.pk}/", "post") == 405


def test_the_detail_page_reads_the_same_number_of_queries_for_48_entries(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    from sikumuh.demo.build import build_demo

    build_demo(actor=ACTOR)
    decree = SkDecree.objects.get()
    client = personas.client("admin")
    # session, user, memberships, decree, entries, observations, the kabupaten's decrees, audit
    with django_assert_num_queries(8):
        response = client.get(f"/sk/{decree.pk}/")
    assert response.content.decode().count("<tr>") >= 48


# --- Two versions compared ---------------------------------------------------------------------


def test_the_diff_shows_added_removed_and_changed_locations_and_the_totals(
    personas: Personas, versions: Versions
) -> None:
    html = page(personas.client("viewer"), f"/sk/{versions.v2.pk}/banding/{versions.v1.pk}/")
    added = html.index("sk-diff-added")
    removed = html.index("sk-diff-removed")
    changed = html.index("sk-diff-changed")
    assert added < html.index("SK-D") < removed < html.index("SK-C") < changed
    assert html.index("SK-B") > changed
    assert "20,45 Ha → 8,70 Ha" in html
    assert "-11,75 Ha" in html


def test_a_facilitator_compares_only_their_desa(personas: Personas, versions: Versions) -> None:
    html = page(personas.client("facilitator"), f"/sk/{versions.v1.pk}/banding/{versions.v2.pk}/")
    assert "4,95 Ha → 6,20 Ha" in html
    assert "SK-C" not in html


def test_decrees_of_two_kabupaten_are_not_compared(personas: Personas, versions: Versions) -> None:
    kota = Region.objects.get(code="33.75")
    other = create_decree(
        actor=ACTOR,
        kabupaten=kota,
        number="1/2020",
        year=2020,
        entries=[(create_location(actor=ACTOR, kabupaten=kota, code="P1", name="P"), Decimal(1))],
    )
    assert status(personas.client("admin"), f"/sk/{versions.v1.pk}/banding/{other.pk}/") == 404


@pytest.mark.parametrize(
    ("persona", "path", "method", "expected"),
    [
        ("admin", "/sk/{v1}/banding/{v2}/", "get", 200),
        ("reviewer", "/sk/{v1}/banding/{v2}/", "get", 200),
        ("viewer", "/sk/{v1}/banding/{v2}/", "get", 200),
        ("facilitator", "/sk/{v1}/banding/{v2}/", "get", 200),  # their desa's locations only
        ("outsider", "/sk/{v1}/banding/{v2}/", "get", 404),
        ("outsider", "/sk/{v1}/banding/{v2}/?q=SK&kecamatan=63.01.03", "get", 404),
        ("admin", "/sk/{v1}/banding/987654/", "get", 404),
        ("admin", "/sk/{v1}/banding/{v2}/", "post", 405),
    ],
)
def test_the_diff_checklist(
    personas: Personas, versions: Versions, persona: str, path: str, method: str, expected: int
) -> None:
    url = path.format(v1=versions.v1.pk, v2=versions.v2.pk)
    assert status(personas.client(persona), url, method) == expected


def diff_rows(client: Client, versions: Versions, query: str = "") -> list[tuple[str, str]]:
    """(kind, location code) of each row of the comparison's table, in the order shown."""
    html = page(client, f"/sk/{versions.v1.pk}/banding/{versions.v2.pk}/?{query}")
    return re.findall(r'<tr class="sk-diff-(\w+)">\s*<td>[^<]*</td>\s*<td>([^<]+)</td>', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [("added", "SK-D"), ("removed", "SK-C"), ("changed", "SK-B")]),
        ("q=sk-d", [("added", "SK-D")]),
        ("q=sungai+bakar", [("removed", "SK-C")]),  # by desa name
        ("perubahan=removed", [("removed", "SK-C")]),
        ("perubahan=changed&q=sk-d", []),
        ("sort=-selisih", [("added", "SK-D"), ("changed", "SK-B"), ("removed", "SK-C")]),
        ("sort=kode", [("changed", "SK-B"), ("removed", "SK-C"), ("added", "SK-D")]),
        (f"kecamatan={SUNGAI_BAKAR[:8]}", [("removed", "SK-C")]),
        (f"desa={SARANG_HALANG}", [("added", "SK-D")]),
        # Unknown values are dropped, never errors.
        (
            "perubahan=bogus&sort=password&kecamatan=99.99.99&page=x",
            [
                ("added", "SK-D"),
                ("removed", "SK-C"),
                ("changed", "SK-B"),
            ],
        ),
    ],
)
def test_the_comparison_table_is_searched_filtered_and_sorted(
    personas: Personas, versions: Versions, query: str, expected: list[tuple[str, str]]
) -> None:
    assert diff_rows(personas.client("viewer"), versions, query) == expected


def test_the_comparison_table_pages_and_keeps_its_filters_across_pages(
    personas: Personas, versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "DIFF_TABLE", replace(pages.DIFF_TABLE, per_page=1))
    client = personas.client("viewer")
    html = page(client, f"/sk/{versions.v1.pk}/banding/{versions.v2.pk}/?q=sk")
    assert "?q=sk&amp;page=2" in html
    assert diff_rows(client, versions, "q=sk&page=2") == [("removed", "SK-C")]
    assert diff_rows(client, versions, "q=sk&page=99") == [("changed", "SK-B")]


def test_the_comparison_offers_the_kecamatan_and_desa_of_its_rows_in_indonesian(
    personas: Personas, versions: Versions
) -> None:
    html = page(personas.client("viewer"), f"/sk/{versions.v1.pk}/banding/{versions.v2.pk}/")
    assert 'name="q"' in html
    assert f'<option value="{SUNGAI_BAKAR}"' in html
    assert "Lokasi yang dihapus" in html  # the change filter
    assert "<td>ditambahkan</td>" in html


def test_a_facilitator_cannot_filter_the_comparison_beyond_their_desa(
    personas: Personas, versions: Versions
) -> None:
    client = personas.client("facilitator")
    assert diff_rows(client, versions, f"desa={SUNGAI_BAKAR}") == []  # SK-C stays hidden
    assert diff_rows(client, versions, "q=sk-c") == []
    assert diff_rows(client, versions) == [("added", "SK-D")]
