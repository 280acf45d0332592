"""The RT table of a region: latest total and class per RT, filters, pages, scope."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.surveys.models import Score
from sikumuh.web.views.rtdata import selectors
from tests.conftest import Personas
from tests.web.test_rtdata_support import (
    BENUA_LAWAS,
    SARANG_HALANG,
    demo,
    demo_module,
    rt_in,
)

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

URL = "/wilayah/63.01/data-rt/"


def test_the_table_lists_every_rt_of_the_region_with_its_latest_class_in_indonesian(
    demo: Personas,
) -> None:
    response = demo.client("viewer").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data RT" in html
    assert "178 RT" in html
    assert "Halaman 1 dari 4" in html
    rt = rt_in(SARANG_HALANG)
    latest = Score.objects.get(observation__rt=rt, tahun=2021)
    assert f"/rt/{rt.pk}/isian/2021/" in html
    assert f"/rt/{rt.pk}/isian/2019/" in html
    assert f'badge {latest.klass}"' in html


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 178),
        ({"desa": SARANG_HALANG}, 6),
        ({"desa": "33.75.01.1001"}, 178),  # outside the region: ignored
        ({"desa": '63.01.03.1001"; x=y'}, 178),  # not a desa code: ignored
        ({"desa": "63.01.03"}, 178),  # a kecamatan: not a desa filter
        ({"tahun": "2021", "kelas": "tidak_kumuh"}, None),
        ({"tahun": "1900"}, 178),  # not a survey year: ignored
        ({"tahun": "2020"}, 178),  # a year without data: every RT, none with a class
        ({"tahun": "2020", "kelas": "none"}, 178),
        ({"kelas": "kumuh_berat", "tahun": "2019"}, None),
    ],
)
def test_the_filters_narrow_the_rts(
    demo: Personas, query: dict[str, str], count: int | None
) -> None:
    filters = selectors.RtFilters.from_query(query, "63.01")
    table = selectors.rt_table("63.01", filters)
    if count is None:  # as many as the scores say
        count = Score.objects.filter(tahun=int(query["tahun"]), klass=query["kelas"]).count()
    assert table.page.paginator.count == count
    if filters.klass and filters.klass != selectors.NO_CLASS:
        assert {row.klass for row in table.rows} <= {filters.klass}


def test_a_year_filter_shows_that_years_class_not_the_latest(demo: Personas) -> None:
    table = selectors.rt_table("63.01", selectors.RtFilters(tahun=2019, desa=SARANG_HALANG))
    for row in table.rows:
        score = Score.objects.get(observation__rt=row.rt, tahun=2019)
        assert (row.tahun, row.total, row.klass) == (2019, score.total, score.klass)
        assert row.years == [2019, 2021]


def test_the_table_reads_a_page_in_five_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(5):
        table = selectors.rt_table("63.01", selectors.RtFilters(), 2)
        assert len(table.rows) == 50
        assert [row.rt.location.code for row in table.rows]
        assert [row.rt.desa.name for row in table.rows]
    assert table.next_year == 2022
    assert table.years == [2019, 2021]


def test_pages_keep_the_filters(demo: Personas) -> None:
    html = demo.client("admin").get(URL, {"tahun": 2021}).content.decode()
    assert "?tahun=2021&amp;page=2" in html


def test_a_facilitator_sees_only_their_desa(demo: Personas) -> None:
    client = demo.client("facilitator")
    response = client.get(f"/wilayah/{SARANG_HALANG}/data-rt/")
    assert response.status_code == 200
    assert "6 RT" in response.content.decode()
    assert client.get(URL).status_code == 404
    assert client.get(f"/wilayah/{BENUA_LAWAS}/data-rt/").status_code == 404


def test_editors_get_a_link_to_the_next_year_viewers_do_not(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    new_year = f"/rt/{rt.pk}/isian/2022/"
    assert (
        new_year
        in demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/data-rt/").content.decode()
    )
    assert new_year not in demo.client("viewer").get(URL).content.decode()
    assert 'href="/wilayah/63.01/impor/"' not in demo.client("viewer").get(URL).content.decode()
    assert 'href="/wilayah/63.01/impor/"' in demo.client("admin").get(URL).content.decode()


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("outsider", URL, 404),
        ("admin", "/wilayah/99.99/data-rt/", 404),
        ("admin", "/wilayah/63.01/data-rt/?format=pdf", 200),  # unknown format: the page
        ("reviewer", URL, 200),
    ],
)
def test_the_table_is_scoped(demo: Personas, persona: str, path: str, status: int) -> None:
    assert demo.client(persona).get(path).status_code == status


def test_the_table_answers_only_get(demo: Personas) -> None:
    assert demo.client("admin").post(URL).status_code == 405
