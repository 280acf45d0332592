"""The long tables' helper (sikumuh.web.tables): search, sort, kecamatan → desa filters and
pages, read from the query string; first as parsing, then on the Data RT table of the demo."""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest

from sikumuh.slums.models import RtUnit
from sikumuh.web.tables import Column, TableQuery, TableSpec
from sikumuh.web.views.rtdata import selectors
from tests.conftest import Personas
from tests.web.test_dashboard_support import KABUPATEN, PELAIHARI, SARANG_HALANG, demo, demo_module

__all__ = ["demo", "demo_module"]  # fixtures used by name below

SPEC = TableSpec(
    columns=(Column("nama", ("name",)), Column("total", ("total", "name"))),
    default_sort="nama",
    search=("name",),
    region_field="desa_id",
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"q": "", "sort": "nama", "kecamatan": None, "desa": None, "page": "1"}),
        ({"q": "  sarang   halang "}, {"q": "sarang halang"}),
        ({"q": "x" * 300}, {"q": "x" * 100}),
        ({"sort": "-total"}, {"sort": "-total"}),
        ({"sort": "total"}, {"sort": "total"}),
        ({"sort": "password"}, {"sort": "nama"}),
        ({"sort": "--total"}, {"sort": "nama"}),
        ({"kecamatan": "63.01.03"}, {"kecamatan": "63.01.03"}),
        ({"kecamatan": "63.02.03"}, {"kecamatan": None}),  # outside the region
        ({"kecamatan": "63.01"}, {"kecamatan": None}),  # not a kecamatan
        ({"kecamatan": "'; drop"}, {"kecamatan": None}),
        ({"desa": "63.01.03.1001"}, {"desa": "63.01.03.1001"}),
        ({"desa": "63.01.03.1001", "kecamatan": "63.01.03"}, {"desa": "63.01.03.1001"}),
        ({"desa": "63.01.03.1001", "kecamatan": "63.01.04"}, {"desa": None}),  # not inside
        ({"desa": "63.01.03"}, {"desa": None}),
        ({"page": "3"}, {"page": "3"}),
        ({"halaman": "2"}, {"page": "2"}),  # the old parameter
    ],
)
def test_query_is_read_and_cleaned(query: dict[str, str], expected: dict[str, Any]) -> None:
    tq = TableQuery.from_query(query, SPEC, "63.01")
    for name, value in expected.items():
        assert getattr(tq, name) == value, name


@pytest.mark.parametrize(
    ("sort", "order"),
    [("nama", ["name", "pk"]), ("-nama", ["-name", "pk"]), ("-total", ["-total", "name", "pk"])],
)
def test_order_by(sort: str, order: list[str]) -> None:
    assert TableQuery.from_query({"sort": sort}, SPEC).order_by() == order


def test_no_region_filters_without_a_region_field() -> None:
    spec = TableSpec(columns=SPEC.columns, default_sort="nama")
    tq = TableQuery.from_query({"kecamatan": "63.01.03", "desa": "63.01.03.1001"}, spec)
    assert (tq.kecamatan, tq.desa) == (None, None)


def test_params_leave_out_the_defaults() -> None:
    assert TableQuery.from_query({"sort": "nama", "q": ""}, SPEC).params() == {}
    tq = TableQuery.from_query({"sort": "-total", "q": "a", "kecamatan": "63.01.03"}, SPEC)
    assert tq.params() == {"q": "a", "sort": "-total", "kecamatan": "63.01.03"}


# --- On the Data RT table -------------------------------------------------------------------


def _table(query: dict[str, str]) -> selectors.RtTable:
    filters = selectors.RtFilters.from_query(query, KABUPATEN)
    tq = TableQuery.from_query(query, selectors.RT_TABLE, KABUPATEN)
    return selectors.rt_table(KABUPATEN, filters, table=tq)


def _all_rows(query: dict[str, str]) -> list[selectors.RtRow]:
    rows: list[selectors.RtRow] = []
    page = 1
    while True:
        table = _table({**query, "page": str(page)})
        rows += table.rows
        if not table.page.has_next():
            return rows
        page += 1


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ({"q": "Sarang"}, lambda r: r.rt.desa.name == "Sarang Halang"),
        ({"q": "sarang halang"}, lambda r: r.rt.desa.name == "Sarang Halang"),
        ({"kecamatan": PELAIHARI}, lambda r: r.rt.desa_id.startswith(PELAIHARI + ".")),
        ({"desa": SARANG_HALANG}, lambda r: r.rt.desa_id == SARANG_HALANG),
        (
            {"kecamatan": PELAIHARI, "desa": SARANG_HALANG},
            lambda r: r.rt.desa_id == SARANG_HALANG,
        ),
    ],
)
def test_search_and_filters_narrow(demo: Personas, query: dict[str, str], check: Any) -> None:
    rows = _all_rows(query)
    assert rows
    assert all(check(row) for row in rows)
    everything = RtUnit.objects.filter(desa__pk__startswith=KABUPATEN + ".").count()
    assert len(rows) < everything


def test_search_without_match_is_empty(demo: Personas) -> None:
    assert _table({"q": "zzzz-no-such-place"}).page.paginator.count == 0


@pytest.mark.parametrize("sort", ["total", "-total", "tahun", "-kelas", "rt", "-lokasi"])
def test_sort_orders_every_page_without_overlap(demo: Personas, sort: str) -> None:
    rows = _all_rows({"sort": sort, "kecamatan": PELAIHARI})
    ids = [row.rt.pk for row in rows]
    assert len(ids) == len(set(ids)) == _table({"kecamatan": PELAIHARI}).page.paginator.count
    field = sort.removeprefix("-")
    values: list[Any] = [
        {
            "total": row.total,
            "tahun": row.tahun,
            "kelas": row.klass,
            "rt": row.rt.rt,
            "lokasi": row.rt.location.code,
        }[field]
        for row in rows
    ]
    known = [v for v in values if v is not None]  # empty values come last
    assert values[: len(known)] == known
    assert known == sorted(known, reverse=sort.startswith("-"))


def test_the_page_draws_the_controls(demo: Personas) -> None:
    client = demo.client("admin")
    query = {"tahun": "2021", "sort": "-total", "kecamatan": PELAIHARI}
    html = client.get(f"/wilayah/{KABUPATEN}/data-rt/", query).content.decode()
    assert 'name="q"' in html
    # The kecamatan chosen: desa elsewhere are hidden, those inside shown.
    option = r'<option value="(63\.01\.\d\d\.\d+)" data-kecamatan="([\d.]+)"([^>]*)>'
    options = re.findall(option, html)
    assert options
    for _code, kecamatan, rest in options:
        assert ("hidden" in rest) is (kecamatan != PELAIHARI)
    # The current sort marked, the heads keep the other parameters and reverse on a click.
    head = re.search(r'aria-sort="descending"[^>]*><a class="sort-head" href="([^"]+)"', html)
    assert head
    for part in ("sort=total", "tahun=2021", f"kecamatan={PELAIHARI}"):
        assert part in head[1]
    assert 'name="sort" value="-total"' in html  # the search form keeps the order


def test_the_facilitator_gets_no_kecamatan_choice_outside(demo: Personas) -> None:
    html = demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/data-rt/").content.decode()
    assert 'data-kecamatan="63.01.03"' in html
    assert not re.search(r'data-kecamatan="63\.01\.(?!03)', html)


# --- Every table page: the controls, hostile values, scope ----------------------------------


def _table_pages() -> dict[str, str]:
    from sikumuh.inspections.models import UjiPetik
    from sikumuh.slums.models import SkDecree

    decree = SkDecree.objects.filter(kabupaten_id=KABUPATEN).order_by("-date").first()
    up = UjiPetik.objects.filter(kabupaten_id=KABUPATEN).first()
    assert decree is not None
    assert up is not None
    return {
        "rt_data": f"/wilayah/{KABUPATEN}/data-rt/",
        "sk_list": f"/wilayah/{KABUPATEN}/sk/",
        "sk_detail": f"/sk/{decree.pk}/",
        "audit": f"/wilayah/{KABUPATEN}/audit/",
        "investments": f"/wilayah/{KABUPATEN}/investasi/",
        "uji_petik": f"/uji-petik/{up.pk}/",
    }


PAGES = ["rt_data", "sk_list", "sk_detail", "audit", "investments", "uji_petik"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "sarang", "sort": "-luas", "page": "2"},
        {"kecamatan": PELAIHARI, "desa": SARANG_HALANG},
        {"sort": "'; drop table", "page": "-1", "kecamatan": "../../x", "desa": "<b>"},
        {"q": "x" * 500, "halaman": "999"},
    ],
)
def test_every_table_page_reads_its_controls(
    demo: Personas, name: str, query: dict[str, str]
) -> None:
    response = demo.client("admin").get(_table_pages()[name], query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    assert 'value="<b>"' not in html  # escaped, and dropped as not a desa code


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("outsider", "rt_data", 404),
        ("outsider", "audit", 404),
        ("outsider", "investments", 404),
        ("outsider", "sk_list", 404),
        ("viewer", "rt_data", 200),
        ("viewer", "investments", 200),
        ("reviewer", "audit", 200),
    ],
)
def test_the_filters_never_widen_the_scope(
    demo: Personas, persona: str, name: str, status: int
) -> None:
    query = {"kecamatan": PELAIHARI, "desa": SARANG_HALANG, "q": "a"}
    assert demo.client(persona).get(_table_pages()[name], query).status_code == status


def test_a_facilitator_cannot_filter_into_another_desa(demo: Personas) -> None:
    html = (
        demo.client("facilitator")
        .get(f"/wilayah/{SARANG_HALANG}/data-rt/", {"desa": "63.01.03.1002"})
        .content.decode()
    )
    rows = re.findall(r"<td>[^<]*<span class=\"muted\">(63\.01\.\d\d\.\d+)</span></td>", html)
    assert rows
    assert set(rows) == {SARANG_HALANG}


def _csv_lines(response: Any) -> list[str]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return str(data.decode("utf-8-sig")).strip().splitlines()


def test_the_investment_download_holds_the_rows_listed(demo: Personas) -> None:
    client = demo.client("admin")
    url = f"/wilayah/{KABUPATEN}/investasi/"
    whole = _csv_lines(client.get(url, {"format": "csv"}))
    narrowed = _csv_lines(client.get(url, {"format": "csv", "desa": SARANG_HALANG}))
    assert 1 < len(narrowed) < len(whole)
    assert all(SARANG_HALANG in line for line in narrowed[1:])
    page = client.get(url, {"desa": SARANG_HALANG}).content.decode()
    assert f"desa={SARANG_HALANG}&amp;format=csv" in page


@pytest.mark.parametrize(
    "query",
    [
        {"q": "sarang"},  # the search alone: every year's latest, one row per RT shown
        {"q": "TL-1", "tahun": "2021"},
        {"kecamatan": PELAIHARI, "kelas": "kumuh_ringan"},
        {"q": "001", "sort": "-total"},
        {"sort": "-kelas", "tahun": "2019"},
        {},  # every page of the whole kabupaten
    ],
)
def test_the_rt_data_download_holds_exactly_the_rows_the_table_shows(
    demo: Personas, query: dict[str, str]
) -> None:
    client = demo.client("admin")
    url = f"/wilayah/{KABUPATEN}/data-rt/"
    listed = client.get(url, query).context["table"].page.paginator.object_list
    shown = [
        (rt.desa_id, rt.location.code, rt.rt, str(rt.s_tahun))
        for rt in listed
        if rt.s_tahun is not None
    ]
    header, *cells = csv.reader(_csv_lines(client.get(url, {**query, "format": "csv"})))
    downloaded = [
        tuple(row[header.index(name)] for name in ("kode_desa", "lokasi", "rt", "tahun"))
        for row in cells
    ]
    assert shown
    assert downloaded == shown  # none missing, none more, in the table's order
