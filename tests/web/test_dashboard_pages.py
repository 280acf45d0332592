"""The dashboard, location and RT pages: who sees what, the report's figures with their bases,
drill-down links, breadcrumbs, the RT's criteria and what would change its class."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import SlumClass
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_location
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Score
from tests.conftest import Personas
from tests.web.test_dashboard_support import (
    KABUPATEN,
    KARANG_TARUNA,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
    location_in,
    rt_in,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below


def text_of(response: Any) -> str:
    """The page's visible text, whitespace collapsed (scripts and data blocks left out)."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def urls(desa: str = SARANG_HALANG) -> dict[str, str]:
    location = location_in(desa)
    rt = rt_in(desa)
    return {
        "kabupaten": f"/wilayah/{KABUPATEN}/",
        "desa": f"/wilayah/{desa}/",
        "map": f"/wilayah/{desa}/peta.geojson",
        "location": f"/lokasi/{location.pk}/",
        "rt": f"/rt/{rt.pk}/",
    }


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "page", "status"),
    [
        ("admin", "kabupaten", 200),
        ("reviewer", "kabupaten", 200),
        ("viewer", "kabupaten", 200),
        ("facilitator", "kabupaten", 404),
        ("outsider", "kabupaten", 404),
        ("facilitator", "desa", 200),
        ("viewer", "desa", 200),
        ("outsider", "desa", 404),
        ("facilitator", "map", 200),
        ("outsider", "map", 404),
        ("facilitator", "location", 200),
        ("viewer", "location", 200),
        ("outsider", "location", 404),
        ("facilitator", "rt", 200),
        ("reviewer", "rt", 200),
        ("outsider", "rt", 404),
    ],
)
def test_each_page_answers_in_scope_and_hides_itself_outside(
    demo: Personas, persona: str, page: str, status: int
) -> None:
    assert demo.client(persona).get(urls()[page]).status_code == status


@pytest.mark.parametrize("page", ["desa", "map", "location", "rt"])
def test_the_facilitator_gets_404_for_another_desa(demo: Personas, page: str) -> None:
    assert demo.client("facilitator").get(urls(KARANG_TARUNA)[page]).status_code == 404


@pytest.mark.parametrize("page", ["kabupaten", "desa", "map", "location", "rt"])
def test_each_page_is_read_only_and_refuses_a_post(demo: Personas, page: str) -> None:
    assert demo.client("admin").post(urls()[page]).status_code == 405


@pytest.mark.parametrize("page", ["kabupaten", "map", "location", "rt"])
def test_an_anonymous_visitor_is_sent_to_log_in(demo: Personas, page: str) -> None:
    response = Client().get(urls()[page])
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/99.99/",
        "/wilayah/bukan-kode/",
        "/wilayah/63.01/?tahun=2020",
        "/wilayah/63.01/?tahun=dua",
        "/wilayah/99.99/peta.geojson",
        "/lokasi/999999/",
        "/rt/999999/",
    ],
)
def test_a_bad_code_id_or_year_is_404(demo: Personas, url: str) -> None:
    assert demo.client("admin").get(url).status_code == 404


def test_a_year_without_data_for_the_rt_is_404(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    assert demo.client("admin").get(f"/rt/{rt.pk}/?tahun=2020").status_code == 404


def test_only_a_national_user_sees_the_national_dashboard(demo: Personas) -> None:
    assert demo.client("admin").get("/wilayah/ID/").status_code == 404
    demo["admin"].is_superuser = True
    demo["admin"].save()
    assert demo.client("admin").get("/wilayah/ID/").status_code == 200


# --- Figures ------------------------------------------------------------------------------------


def test_pelaihari_shows_the_report_figures_each_percentage_with_its_base(
    demo: Personas,
) -> None:
    text = text_of(demo.client("viewer").get(f"/wilayah/{PELAIHARI}/"))
    for figure in ("47,53 Ha", "24,36 Ha", "23,17 Ha", "48,75 %", "12,53 %"):
        assert figure in text
    assert "48,75 % dari luas kumuh awal Kecamatan Pelaihari (47,53 Ha, 2019)" in text
    assert "12,53 % dari luas kumuh SK Kabupaten Tanah Laut (184,92 Ha)" in text
    assert "Data demo sintetis" in text


def test_the_bases_are_named_in_english_too(demo: Personas) -> None:
    client = demo.client("viewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = text_of(client.get(f"/wilayah/{PELAIHARI}/"))
    assert "48.75 % of the initial slum area of Kecamatan Pelaihari (47.53 Ha, 2019)" in text
    assert "12.53 % of the SK slum area of Kabupaten Tanah Laut (184.92 Ha)" in text
    assert "Synthetic demo data" in text


def test_the_kabupaten_shows_its_sk_and_the_reduction_against_it(demo: Personas) -> None:
    text = text_of(demo.client("admin").get(f"/wilayah/{KABUPATEN}/"))
    assert "184,92 Ha" in text
    assert "152,56 Ha" in text
    assert "SK DEMO/188.45/2020 (2020)" in text
    assert "17,50 % dari luas kumuh SK Kabupaten Tanah Laut (184,92 Ha)" in text


def test_a_facilitator_sees_the_desa_figures_without_the_kabupaten_sk_base(
    demo: Personas,
) -> None:
    text = text_of(demo.client("facilitator").get(f"/wilayah/{SARANG_HALANG}/"))
    assert "7,30 Ha" in text
    assert "dari luas kumuh awal Kelurahan Sarang Halang (7,30 Ha, 2019)" in text
    assert "184,92" not in text


def test_the_trend_chart_gets_its_data_through_json_script(demo: Personas) -> None:
    html = demo.client("viewer").get(f"/wilayah/{PELAIHARI}/").content.decode()
    assert '<script id="trend-data" type="application/json">' in html
    assert 'data-chart="trend-data"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/web/charts.js" in html
    assert " style=" not in html


# --- Drill-down and breadcrumbs -----------------------------------------------------------------


def test_the_dashboards_link_down_kabupaten_kecamatan_desa_location_rt(demo: Personas) -> None:
    client = demo.client("admin")
    location = location_in(SARANG_HALANG)
    rt = RtUnit.objects.filter(location=location).order_by("rt").first()
    assert rt is not None
    steps = [
        (f"/wilayah/{KABUPATEN}/", f'href="/wilayah/{PELAIHARI}/"'),
        (f"/wilayah/{PELAIHARI}/", f'href="/wilayah/{SARANG_HALANG}/"'),
        (f"/wilayah/{SARANG_HALANG}/", f'href="/lokasi/{location.pk}/"'),
        (f"/lokasi/{location.pk}/", f'href="/rt/{rt.pk}/?tahun=2021"'),
    ]
    for url, link in steps:
        assert link in client.get(url).content.decode(), url


def test_the_kabupaten_lists_every_location_with_or_without_a_polygon(demo: Personas) -> None:
    Location.objects.filter(kabupaten_id=KABUPATEN, code="TL-11").update(polygon=None)
    html = demo.client("admin").get(f"/wilayah/{KABUPATEN}/").content.decode()
    for location in Location.objects.filter(kabupaten_id=KABUPATEN):
        assert f'href="/lokasi/{location.pk}/"' in html


def test_breadcrumbs_stop_at_what_the_facilitator_may_see(demo: Personas) -> None:
    crumbs = re.compile(r'<nav class="breadcrumbs".*?</nav>', re.S)
    admin = crumbs.search(demo.client("admin").get(f"/wilayah/{SARANG_HALANG}/").content.decode())
    assert admin is not None
    assert f'href="/wilayah/{KABUPATEN}/"' in admin.group()
    assert f'href="/wilayah/{PELAIHARI}/"' in admin.group()
    facilitator = crumbs.search(
        demo.client("facilitator").get(f"/lokasi/{location_in(SARANG_HALANG).pk}/").content.decode()
    )
    assert facilitator is not None
    assert "/wilayah/63.01/" not in facilitator.group()
    assert f"/wilayah/{PELAIHARI}/" not in facilitator.group()
    assert f'href="/wilayah/{SARANG_HALANG}/"' in facilitator.group()


# --- Location and RT pages ----------------------------------------------------------------------


def test_the_location_page_shows_its_class_handling_pattern_and_kewenangan(
    demo: Personas,
) -> None:
    text = text_of(demo.client("facilitator").get(f"/lokasi/{location_in(SARANG_HALANG).pk}/"))
    assert "Kawasan Sarang Halang" in text
    assert "Kumuh Ringan" in text
    assert "Pemugaran" in text  # ringan + legal land
    assert "Pemukiman Kembali" in text  # not legal
    assert "Pemerintah Kabupaten/Kota" in text  # 7.30 ha < 10 ha (UU 23/2014)
    assert "SK DEMO/188.45/2020 (2020)" in text


def _kumuh_rt() -> RtUnit:
    score = (
        Score.objects.filter(desa_code=SARANG_HALANG, tahun=2021)
        .exclude(klass=SlumClass.TIDAK_KUMUH)
        .select_related("observation__rt")
        .first()
    )
    assert score is not None
    return score.observation.rt


def test_the_rt_page_explains_all_16_criteria_and_what_would_change_the_class(
    demo: Personas,
) -> None:
    rt = _kumuh_rt()
    response = demo.client("facilitator").get(f"/rt/{rt.pk}/")
    html = response.content.decode()
    assert len(re.findall(r'<tr class="criterion[^"]*" data-code="\d[a-c]"', html)) == 16
    text = text_of(response)
    assert "Ketidakteraturan bangunan" in text
    assert "Ketidaktersediaan sarana proteksi kebakaran" in text
    assert "Apa yang mengubah tingkat kekumuhan" in text
    assert "Untuk menjadi Tidak Kumuh (total nilai 15 atau kurang)" in text
    assert "kurangi" in text


def test_the_rt_page_shows_an_earlier_year_and_its_history(demo: Personas) -> None:
    rt = _kumuh_rt()
    text = text_of(demo.client("admin").get(f"/rt/{rt.pk}/?tahun=2019"))
    assert "Tingkat kekumuhan 2019" in text
    assert "RT ini dari tahun ke tahun" in text


# --- Query counts of whole pages (session, user and scope included) -----------------------------


# Queries per dashboard page, pinned; each includes one aggregate count of the RT data not yet
# approved (the notice), whether or not it has anything to say (test_dashboard_unapproved).
PINNED_QUERIES = {
    "kabupaten": (f"/wilayah/{KABUPATEN}/", 12),
    "kecamatan": (f"/wilayah/{PELAIHARI}/", 12),
    "desa": (f"/wilayah/{SARANG_HALANG}/", 11),
}


@pytest.mark.parametrize(
    ("url", "queries"),
    [pytest.param(url, n, id=name) for name, (url, n) in PINNED_QUERIES.items()],
)
def test_each_dashboard_page_takes_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any, url: str, queries: int
) -> None:
    client = demo.client("admin")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_location_and_rt_pages_take_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    client = demo.client("facilitator")
    location, rt = location_in(SARANG_HALANG), _kumuh_rt()
    # One query of each is the object's audit history; the location's has one more, the name of
    # the desa its entries point at (`web.audit_rows.names_of`: one per kind of record). The
    # location's RT data not yet approved are counted from the observations its page reads
    # anyway: no query of their own.
    with django_assert_num_queries(11):  # the SK versions in force are one of them
        assert client.get(f"/lokasi/{location.pk}/").status_code == 200
    # One of the RT page's is its investments after the year shown (kumuh akhir); one its
    # phone submission (GPS point; a second, its photos, only when there is one).
    with django_assert_num_queries(9):
        assert client.get(f"/rt/{rt.pk}/").status_code == 200


# --- Regions, locations and RTs without data ----------------------------------------------------


def test_a_region_without_data_shows_no_figures_and_no_demo_banner(demo: Personas) -> None:
    response = demo.client("outsider").get("/wilayah/33.75/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Belum ada data RT." in text
    assert "Data demo sintetis" not in text


def test_an_rt_without_data_says_so_and_a_location_without_desa_stays_at_kabupaten_level(
    demo: Personas,
) -> None:
    loose = create_location(
        actor=Actor.system("test"),
        kabupaten=Region.objects.get(code=KABUPATEN),
        code="TL-99",
        name="Lokasi tanpa desa",
    )
    rt = RtUnit.objects.create(location=loose, desa_id=SARANG_HALANG, rt="099")
    assert demo.client("admin").get(f"/lokasi/{loose.pk}/").status_code == 200
    assert demo.client("facilitator").get(f"/lokasi/{loose.pk}/").status_code == 404
    response = demo.client("facilitator").get(f"/rt/{rt.pk}/")
    assert response.status_code == 200
    assert "Belum ada data untuk RT ini." in text_of(response)


def test_a_location_with_a_polygon_gets_a_small_map_fed_by_json_script(demo: Personas) -> None:
    location = location_in(SARANG_HALANG)
    location.polygon = {
        "type": "Polygon",
        "coordinates": [[[114.75, -3.8], [114.76, -3.8], [114.76, -3.79], [114.75, -3.8]]],
    }
    location.save()
    html = demo.client("facilitator").get(f"/lokasi/{location.pk}/").content.decode()
    assert '<script id="location-geojson" type="application/json">' in html
    assert 'data-geojson="location-geojson"' in html
    assert "/static/web/map.js" in html
