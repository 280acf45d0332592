"""The review page links each desa-year to the data under review (the RT list of that desa and
year) with its change against the year before; the RT list of a year shows each RT's change."""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.review_changes import rt_changes
from sikumuh.surveys.review_selectors import attach_changes, review_overview
from sikumuh.web.views.rtdata import selectors
from tests.conftest import Personas
from tests.web.test_rtdata_form import form_url, posted
from tests.web.test_rtdata_support import SARANG_HALANG, demo, demo_module

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

REVIEW = "/wilayah/63.01/tinjauan/"


def row_html(html: str, desa: str, tahun: int) -> str:
    section = html.split(f'id="tahun-{tahun}"', 1)[1].split("</section>", 1)[0]
    return section.split(f'data-desa="{desa}"', 1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("reviewer", "63.01", 200),
        ("admin", "63.01", 200),
        ("viewer", "63.01", 200),
        ("facilitator", SARANG_HALANG, 200),
        ("outsider", "63.01", 404),
    ],
)
def test_each_desa_year_links_to_its_rt_data_of_that_year(
    demo: Personas, persona: str, code: str, status: int
) -> None:
    response = demo.client(persona).get(f"/wilayah/{code}/tinjauan/")
    assert response.status_code == status
    if status == 200:
        row = row_html(response.content.decode(), SARANG_HALANG, 2021)
        assert f'href="/wilayah/{SARANG_HALANG}/data-rt/?tahun=2021"' in row


def under_review(desa: str, tahun: int) -> None:
    """The desa-year as if its facilitator had submitted it (the demo is all approved)."""
    Observation.objects.filter(rt__desa_id=desa, tahun=tahun).update(status=Status.SUBMITTED)


def test_the_desa_year_row_summarises_its_change_against_the_year_before(demo: Personas) -> None:
    under_review(SARANG_HALANG, 2021)
    row = row_html(demo.client("reviewer").get(REVIEW).content.decode(), SARANG_HALANG, 2021)
    # The demo's Sarang Halang, 2021 against 2019: 4 of its 6 RTs moved, RT 39 left the slum.
    assert "4 dari 6 RT berubah" in row
    assert "1 perubahan kelas" in row
    assert "kumuh 7,30 → 6,40 ha" in row


def test_the_first_year_counts_every_rt_as_new(demo: Personas) -> None:
    under_review(SARANG_HALANG, 2019)
    row = row_html(demo.client("reviewer").get(REVIEW).content.decode(), SARANG_HALANG, 2019)
    assert "6 dari 6 RT berubah (6 baru)" in row
    assert "kumuh 0,00 → 7,30 ha" in row


def test_a_facilitators_change_shows_in_the_summary(demo: Personas) -> None:
    units = RtUnit.objects.filter(desa_id=SARANG_HALANG)
    unchanged = [c for c in rt_changes([u.pk for u in units], 2021).values() if not c.changed]
    rt = RtUnit.objects.get(pk=unchanged[0].after.rt_id)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    data = posted(obs, v_2b=format(obs.panjang_jalan_ideal_m, "f"), confirm_review="on")
    assert demo.client("facilitator").post(form_url(rt), data).status_code == 302
    row = row_html(demo.client("reviewer").get(REVIEW).content.decode(), SARANG_HALANG, 2021)
    assert "5 dari 6 RT berubah" in row


def test_an_approved_desa_year_keeps_its_link_without_a_summary(demo: Personas) -> None:
    row = row_html(demo.client("reviewer").get(REVIEW).content.decode(), SARANG_HALANG, 2021)
    assert f'href="/wilayah/{SARANG_HALANG}/data-rt/?tahun=2021"' in row
    assert "review-change" not in row


@pytest.mark.parametrize("code", ["63.01", "ID"])
def test_the_changes_of_the_rows_under_review_are_one_query(
    demo: Personas, django_assert_num_queries: Any, code: str
) -> None:
    years = review_overview(code)
    with django_assert_num_queries(0):  # the demo is all approved: nothing to read
        attach_changes(code, years)
    under_review(SARANG_HALANG, 2021)
    under_review("63.01.03.1002", 2021)
    years = review_overview(code)
    with django_assert_num_queries(1):
        attach_changes(code, years)
    changed = {(r.desa_code, r.tahun) for b in years for r in b.rows if r.change is not None}
    assert changed == {(SARANG_HALANG, 2021), ("63.01.03.1002", 2021)}


# --- The RT list of a year ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "reviewer", "admin", "viewer"])
def test_the_rt_list_of_a_year_shows_each_rts_change_from_its_previous_year(
    demo: Personas, persona: str
) -> None:
    response = demo.client(persona).get(f"/wilayah/{SARANG_HALANG}/data-rt/", {"tahun": 2021})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perubahan dari tahun sebelumnya" in html
    assert "2019: 20 Kumuh Ringan → 5 Tidak Kumuh" in html
    assert "9 nilai berubah" in html
    assert "tidak ada nilai yang berubah" in html


def test_the_rt_list_of_the_first_year_marks_the_rts_new(demo: Personas) -> None:
    html = demo.client("reviewer").get(f"/wilayah/{SARANG_HALANG}/data-rt/?tahun=2019")
    assert "baru: belum ada data sebelumnya" in html.content.decode()


def test_the_rt_list_without_a_year_has_no_change_column(demo: Personas) -> None:
    html = demo.client("reviewer").get(f"/wilayah/{SARANG_HALANG}/data-rt/").content.decode()
    assert "Perubahan dari tahun sebelumnya" not in html


def test_the_rt_list_is_404_for_an_outsider(demo: Personas) -> None:
    url = f"/wilayah/{SARANG_HALANG}/data-rt/?tahun=2021"
    assert demo.client("outsider").get(url).status_code == 404


def test_the_rt_table_of_a_year_reads_the_changes_in_one_more_query(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(6):
        table = selectors.rt_table("63.01", selectors.RtFilters(tahun=2021), 1)
        changes = [row.change for row in table.rows]
    assert len(changes) == selectors.PER_PAGE
    assert sum(c is not None for c in changes) > 0
