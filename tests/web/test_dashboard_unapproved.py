"""The dashboards' notice of RT data not yet approved by the Pokja: at every level and on the
location page, absent when all is approved, with a link to the review only for reviewers, in
both languages, in the map data; the figures themselves unchanged."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.regions.models import Region
from sikumuh.surveys import dashboard
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.review import approve_desa_year, submit_desa_year
from tests.conftest import Personas
from tests.factories import HEADER, volumes_at
from tests.web.test_dashboard_pages import PINNED_QUERIES, text_of
from tests.web.test_dashboard_support import (
    BAJUIN,
    KABUPATEN,
    KARANG_TARUNA,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
    location_in,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

SH_2021 = "Termasuk 3 data RT tahun 2021 yang belum disetujui Pokja (2 draf, 1 diajukan)."
KT_2019 = "Termasuk 1 data RT tahun 2019 yang belum disetujui Pokja (1 dikembalikan)."
NOTICE = "belum disetujui Pokja"


@pytest.fixture
def pending(demo: Personas) -> Personas:
    """Three RTs of the Sarang Halang location in 2021 not approved (2 drafts, 1 submitted) and
    one of Karang Taruna in 2019 returned."""
    picked = list(
        Observation.objects.filter(
            rt__location=location_in(SARANG_HALANG), rt__desa_id=SARANG_HALANG, tahun=2021
        ).order_by("pk")[:3]
    )
    assert len(picked) == 3
    for obs, status in zip(picked, (Status.DRAFT, Status.DRAFT, Status.SUBMITTED), strict=True):
        Observation.objects.filter(pk=obs.pk).update(status=status)
    returned = Observation.objects.filter(rt__desa_id=KARANG_TARUNA, tahun=2019).order_by("pk")[0]
    Observation.objects.filter(pk=returned.pk).update(status=Status.RETURNED)
    return demo


def pages() -> dict[str, str]:
    return {
        "kabupaten": f"/wilayah/{KABUPATEN}/",
        "kecamatan": f"/wilayah/{PELAIHARI}/",
        "desa": f"/wilayah/{SARANG_HALANG}/",
        "location": f"/lokasi/{location_in(SARANG_HALANG).pk}/",
    }


def notice_html(response: Any) -> str:
    found = re.search(
        r'<div class="callout info unapproved-notice".*?</div>', response.content.decode(), re.S
    )
    return found.group() if found else ""


# --- What the notice says, where -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "sentences"),
    [
        ("kabupaten", [SH_2021, KT_2019]),
        ("kecamatan", [SH_2021, KT_2019]),
        ("desa", [SH_2021]),
        ("location", [SH_2021]),
    ],
)
def test_every_level_says_how_much_of_each_year_is_not_approved(
    pending: Personas, page: str, sentences: list[str]
) -> None:
    text = text_of(pending.client("viewer").get(pages()[page]))
    for sentence in sentences:
        assert sentence in text
    assert text.count(NOTICE) == len(sentences)


@pytest.mark.parametrize("code", ["ID", "63"], ids=["national", "province"])
def test_the_national_and_provincial_dashboards_say_it_too(pending: Personas, code: str) -> None:
    pending["admin"].is_superuser = True
    pending["admin"].save()
    response = pending.client("admin").get(f"/wilayah/{code}/")
    assert SH_2021 in text_of(response)
    assert KT_2019 in text_of(response)
    assert f'href="/wilayah/{code}/tinjauan/#tahun-2021"' in notice_html(response)


def test_a_region_outside_the_unapproved_data_has_no_notice(pending: Personas) -> None:
    response = pending.client("viewer").get(f"/wilayah/{BAJUIN}/")
    assert response.status_code == 200
    assert NOTICE not in text_of(response)


@pytest.mark.parametrize("page", ["kabupaten", "kecamatan", "desa", "location"])
def test_no_notice_when_everything_shown_is_approved(demo: Personas, page: str) -> None:
    response = demo.client("reviewer").get(pages()[page])
    assert response.status_code == 200
    assert NOTICE not in text_of(response)
    assert "unapproved-notice" not in response.content.decode()


def test_the_notice_reads_in_english_too(pending: Personas) -> None:
    client = pending.client("reviewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = text_of(client.get(f"/wilayah/{KABUPATEN}/"))
    assert (
        "Includes 3 RT records of 2021 not yet approved by the Pokja (2 drafts, 1 submitted)."
        in text
    )
    assert "Includes 1 RT record of 2019 not yet approved by the Pokja (1 returned)." in text
    assert "Review 2021" in text


# --- Who gets the link to the review -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "page", "link"),
    [
        ("viewer", "kabupaten", None),
        ("reviewer", "kabupaten", f"/wilayah/{KABUPATEN}/tinjauan/#tahun-2021"),
        ("admin", "kabupaten", f"/wilayah/{KABUPATEN}/tinjauan/#tahun-2021"),
        ("viewer", "kecamatan", None),
        ("reviewer", "kecamatan", f"/wilayah/{PELAIHARI}/tinjauan/#tahun-2021"),
        ("facilitator", "desa", None),
        ("reviewer", "desa", f"/wilayah/{SARANG_HALANG}/tinjauan/#tahun-2021"),
        ("viewer", "location", None),
        ("facilitator", "location", None),
        ("reviewer", "location", f"/wilayah/{SARANG_HALANG}/tinjauan/#tahun-2021"),
    ],
)
def test_a_reviewer_gets_a_link_to_the_year_on_the_review_page_a_reader_only_the_notice(
    pending: Personas, persona: str, page: str, link: str | None
) -> None:
    notice = notice_html(pending.client(persona).get(pages()[page]))
    assert "2 draf, 1 diajukan" in notice
    if link is None:
        assert "<a " not in notice
    else:
        assert f'href="{link}"' in notice
        assert "Tinjau data 2021" in notice
        review = pending.client(persona).get(link.split("#")[0])
        assert review.status_code == 200
        assert f'id="tahun-{link.rsplit("-", 1)[1]}"' in review.content.decode()


# --- The real workflow, the figures, the map data, the queries ----------------------------------


def test_the_notice_follows_the_review_from_draft_to_approved(demo: Personas) -> None:
    rt = location_in(SARANG_HALANG).rts.filter(desa_id=SARANG_HALANG).order_by("pk").first()
    assert rt is not None
    facilitator, reviewer = Actor.of(demo["facilitator"]), Actor.of(demo["reviewer"])
    desa = Region.objects.get(code=SARANG_HALANG)
    url = f"/wilayah/{SARANG_HALANG}/"

    save_observation(actor=facilitator, rt=rt, tahun=2021, header=HEADER, volumes=volumes_at("0.4"))
    assert "(1 draf)" in text_of(demo.client("viewer").get(url))
    submit_desa_year(actor=facilitator, desa=desa, tahun=2021)
    assert "(1 diajukan)" in text_of(demo.client("viewer").get(url))
    approve_desa_year(actor=reviewer, desa=desa, tahun=2021)
    assert NOTICE not in text_of(demo.client("viewer").get(url))


@pytest.mark.parametrize("code", [KABUPATEN, PELAIHARI, SARANG_HALANG])
def test_the_figures_still_count_every_rt_whatever_its_status(demo: Personas, code: str) -> None:
    before = dashboard.region_dashboard(code)
    Observation.objects.filter(rt__desa__code__startswith=PELAIHARI).update(status=Status.DRAFT)
    after = dashboard.region_dashboard(code)
    assert after.years == before.years
    assert after.location_classes == before.location_classes
    assert dashboard.unapproved_years(code)  # and the notice says so


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"/wilayah/{SARANG_HALANG}/peta.geojson",
            {"total": 3, "draft": 2, "submitted": 1, "returned": 0},
        ),
        (
            f"/wilayah/{SARANG_HALANG}/peta.geojson?tahun=2019",
            {"total": 0, "draft": 0, "submitted": 0, "returned": 0},
        ),
        (
            f"/wilayah/{KABUPATEN}/peta.geojson?tahun=2019",
            {"total": 1, "draft": 0, "submitted": 0, "returned": 1},
        ),
        (
            f"/wilayah/{BAJUIN}/peta.geojson?tahun=2021",
            {"total": 0, "draft": 0, "submitted": 0, "returned": 0},
        ),
    ],
)
def test_the_map_data_carry_the_years_count(
    pending: Personas, url: str, expected: dict[str, int]
) -> None:
    body = json.loads(pending.client("viewer").get(url).content)
    assert body["type"] == "FeatureCollection"
    assert body["unapproved"] == expected


def test_a_region_without_data_has_no_count_in_its_map_data(demo: Personas) -> None:
    body = json.loads(demo.client("outsider").get("/wilayah/33.75/peta.geojson").content)
    assert body["tahun"] is None
    assert body["unapproved"] is None


@pytest.mark.parametrize(
    ("url", "queries"),
    [pytest.param(*PINNED_QUERIES[name], id=name) for name in ("kabupaten", "desa")],
)
def test_the_notice_costs_no_more_queries_when_it_has_something_to_say(
    pending: Personas, django_assert_num_queries: Any, url: str, queries: int
) -> None:
    client = pending.client("reviewer")
    with django_assert_num_queries(queries):
        assert NOTICE in text_of(client.get(url))
