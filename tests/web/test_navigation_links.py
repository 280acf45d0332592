"""Issue 12 §4: the links people look for, per role; the role-and-scope banner; the one
breadcrumb partial; the national and province dashboards reachable by whoever holds them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from sikumuh.accounts.actions import grant_role
from sikumuh.audit.actions import Actor
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from tests.conftest import Personas
from tests.web.test_dashboard_support import (
    KABUPATEN,
    SARANG_HALANG,
    demo,
    demo_module,
    location_in,
    rt_in,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

ALL = ("admin", "reviewer", "facilitator", "viewer")
EDITORS = {"admin", "facilitator"}


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return str(response.content.decode())


def crumbs_of(page: str) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S)
    assert nav, "no breadcrumbs"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", nav[0])]


@pytest.mark.parametrize("persona", ALL)
def test_rt_page_links_to_its_form(demo: Personas, persona: str) -> None:
    rt = rt_in(SARANG_HALANG)
    page = html(demo.client(persona), f"/rt/{rt.pk}/")
    years = sorted(rt.observations.values_list("tahun", flat=True))
    assert f"/rt/{rt.pk}/isian/{years[-1]}/" in page
    # The next round is offered to those who may enter it only.
    assert (f"/rt/{rt.pk}/isian/{years[-1] + 1}/" in page) is (persona in EDITORS)


@pytest.mark.parametrize("persona", ALL)
def test_location_page_links(demo: Personas, persona: str) -> None:
    loc = location_in(SARANG_HALANG)
    page = html(demo.client(persona), f"/lokasi/{loc.pk}/")
    links = re.search(r'<ul class="page-links" id="location-links">.*?</ul>', page, re.S)
    assert links
    assert f"/lokasi/{loc.pk}/profil.pdf" in links[0]
    assert f"/lokasi/{loc.pk}/delineasi/" in links[0]
    assert f"?lokasi={loc.pk}" in links[0]
    assert (f"/lokasi/{loc.pk}/rt-baru/" in links[0]) is (persona in EDITORS)


def _run(status: str, kind: str = "template") -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        file_name="rt.xlsx",
        region_code=SARANG_HALANG,
        status=status,
        finished_at=timezone.now(),
        actor_label="t",
    )


@pytest.mark.parametrize(
    ("persona", "status", "kind", "offered"),
    [
        ("facilitator", "committed", "template", True),
        ("admin", "partial", "template", True),
        ("facilitator", "rejected", "template", False),
        ("facilitator", "unchanged", "template", False),
        ("admin", "committed", "investments", False),
        ("viewer", "committed", "template", False),
        ("reviewer", "committed", "template", False),
    ],
)
def test_import_result_offers_submit_for_review(
    demo: Personas, persona: str, status: str, kind: str, offered: bool
) -> None:
    run = _run(status, kind)
    page = html(demo.client(persona), f"/impor/riwayat/{run.pk}/")
    offer = re.search(r'<p class="card next-step" id="run-next">.*?</p>', page, re.S)
    assert bool(offer) is offered
    if offer:
        assert f'href="/wilayah/{SARANG_HALANG}/tinjauan/"' in offer[0]


def _holder(code: str | None, name: str) -> Client:
    user = User.objects.create_user(name)
    region = Region.objects.get(code=code) if code else None
    grant_role(actor=Actor.system("test"), user=user, region=region, role="viewer")
    client = Client()
    client.force_login(user)
    return client


def _topbar(page: str) -> str:
    found = re.search(r'<header class="topbar">.*?</header>', page, re.S)
    assert found
    return found[0]


@pytest.mark.parametrize(
    ("holder", "national", "province"),
    [("national", True, False), ("province", False, True), ("kabupaten", False, False)],
)
def test_national_and_province_dashboards_in_the_top_bar(
    demo: Personas, holder: str, national: bool, province: bool
) -> None:
    code = {"national": None, "province": "63", "kabupaten": KABUPATEN}[holder]
    client = _holder(code, f"holder-{holder}")
    bar = _topbar(html(client, "/akun/"))
    assert ('href="/wilayah/ID/"' in bar) is national
    assert ('href="/wilayah/63/"' in bar) is province
    if province:
        assert "Prov. " in bar


@pytest.mark.parametrize("persona", [*ALL, "outsider"])
def test_who_sees_which_dashboard_is_said(demo: Personas, persona: str) -> None:
    page = html(demo.client(persona), "/akun/")
    assert 'id="who-sees"' in page
    assert "demo-fasilitator" in page


@pytest.mark.parametrize(
    ("holder", "url", "said"),
    [
        ("national", "/wilayah/ID/", True),
        ("province", "/wilayah/63/", True),
        ("kabupaten", f"/wilayah/{KABUPATEN}/", False),
    ],
)
def test_the_national_and_province_dashboards_say_who_sees_them(
    demo: Personas, holder: str, url: str, said: bool
) -> None:
    code = {"national": None, "province": "63", "kabupaten": KABUPATEN}[holder]
    page = html(_holder(code, f"seer-{holder}"), url)
    assert ('id="who-sees"' in page) is said


def test_facilitator_sees_role_and_scope(demo: Personas) -> None:
    client = demo.client("facilitator")
    client.cookies["django_language"] = "id"
    bar = _topbar(html(client, f"/wilayah/{SARANG_HALANG}/"))
    assert "Fasilitator · Kel. Sarang Halang" in bar or "Fasilitator · Desa Sarang Halang" in bar


@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        ("admin", "rt", ["Kabupaten Tanah Laut", "Kecamatan Pelaihari"]),
        ("facilitator", "rt", []),
        ("admin", "rt_data", ["Wilayah saya", "Kabupaten Tanah Laut", "Data RT"]),
        ("admin", "sk", []),
        ("admin", "fieldwork", ["Kabupaten Tanah Laut"]),
        ("facilitator", "fieldwork", []),
    ],
)
def test_one_breadcrumb_partial(
    demo: Personas, persona: str, page: str, expected: list[str]
) -> None:
    client = demo.client(persona)
    client.cookies["django_language"] = "id"
    rt = rt_in(SARANG_HALANG)
    url = {
        "rt": f"/rt/{rt.pk}/",
        "rt_data": f"/wilayah/{KABUPATEN}/data-rt/",
        "sk": f"/wilayah/{KABUPATEN}/sk/",
        "fieldwork": f"/wilayah/{SARANG_HALANG}/pendataan/",
    }[page]
    trail = crumbs_of(html(client, url))
    assert trail, url
    for label in expected:
        assert any(label in crumb for crumb in trail), (label, trail)
    if persona == "facilitator":
        assert not any("Kabupaten" in crumb for crumb in trail), trail


def test_no_page_draws_its_own_breadcrumbs() -> None:
    """Every breadcrumb trail comes from web/_crumbs.html."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "sikumuh" / "web" / "templates"
    own = [
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if 'class="breadcrumbs"' in p.read_text() and p.name != "_crumbs.html"
    ]
    assert own == []


def test_trail_tag() -> None:
    from sikumuh.web.crumbs import Crumb
    from sikumuh.web.templatetags.sikumuh import trail

    assert trail("A", "/a/", "", "", "B", "", "C") == [
        Crumb("A", "/a/"),
        Crumb("B", None),
        Crumb("C", None),
    ]
