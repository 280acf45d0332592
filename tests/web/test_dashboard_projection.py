"""The kumuh akhir panel of the region dashboard and the location page (criteria.md §7).

Persona checklist: the administrator, the reviewer and the viewer read the kabupaten's panel;
the facilitator of Sarang Halang reads their desa's and its locations' (404 for the kabupaten
and another desa); the outsider gets 404; a province or the nation has no panel (404); bad
years 404; other methods 405. The panel's figures are those of `sikumuh projection`.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from sikumuh.cli import main
from sikumuh.cli.base import dump_json
from sikumuh.core.criteria import SlumClass
from sikumuh.surveys.models import Score
from sikumuh.web.templatetags.sikumuh import ha
from tests.conftest import Personas
from tests.web.test_dashboard_pages import text_of
from tests.web.test_dashboard_support import (
    KABUPATEN,
    KARANG_TARUNA,
    PELAIHARI,
    SARANG_HALANG,
    demo,
    demo_module,
    location_in,
)

__all__ = ["demo", "demo_module"]  # fixtures used by name below

HTMX = {"HTTP_HX_REQUEST": "true"}


def region_url(code: str = KABUPATEN, query: str = "") -> str:
    return f"/wilayah/{code}/kumuh-akhir/" + (f"?{query}" if query else "")


def location_url(desa: str = SARANG_HALANG, query: str = "") -> str:
    return f"/lokasi/{location_in(desa).pk}/kumuh-akhir/" + (f"?{query}" if query else "")


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("admin", lambda: region_url(), 200),
        ("reviewer", lambda: region_url(), 200),
        ("viewer", lambda: region_url(), 200),
        ("facilitator", lambda: region_url(), 404),
        ("outsider", lambda: region_url(), 404),
        ("facilitator", lambda: region_url(SARANG_HALANG), 200),
        ("facilitator", lambda: region_url(KARANG_TARUNA), 404),
        ("viewer", lambda: region_url(PELAIHARI), 200),
        ("admin", lambda: location_url(), 200),
        ("facilitator", lambda: location_url(), 200),
        ("viewer", lambda: location_url(), 200),
        ("facilitator", lambda: location_url(KARANG_TARUNA), 404),
        ("outsider", lambda: location_url(), 404),
    ],
)
def test_each_panel_answers_in_scope_and_hides_itself_outside(
    demo: Personas, persona: str, url: Any, status: int
) -> None:
    assert demo.client(persona).get(url()).status_code == status


def test_a_province_or_the_nation_has_no_panel(demo: Personas) -> None:
    demo["admin"].is_superuser = True
    demo["admin"].save()
    client = demo.client("admin")
    assert client.get("/wilayah/ID/").status_code == 200
    assert client.get(region_url("ID")).status_code == 404
    assert client.get(region_url("63")).status_code == 404
    assert "kumuh-akhir" not in client.get("/wilayah/63/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda: region_url(query="dasar=2020"),  # no RT data that year
        lambda: region_url(query="dasar=dua"),
        lambda: region_url(query="dasar=2019&sampai=2030"),  # no investment that late
        lambda: region_url(query="dasar=2021&sampai=2020"),  # before the base year
        lambda: region_url("99.99"),
        lambda: "/lokasi/999999/kumuh-akhir/",
    ],
)
def test_a_bad_year_code_or_id_is_404(demo: Personas, url: Any) -> None:
    assert demo.client("admin").get(url()).status_code == 404


@pytest.mark.parametrize("url", [lambda: region_url(), lambda: location_url()])
def test_the_panel_is_read_only(demo: Personas, url: Any) -> None:
    assert demo.client("admin").post(url()).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(demo: Personas) -> None:
    from django.test import Client

    assert Client().get(region_url()).status_code == 302


# --- The pages load the panel after themselves ---------------------------------------------------


def test_the_kabupaten_and_location_pages_load_the_panel_through_htmx(demo: Personas) -> None:
    client = demo.client("facilitator")
    html = client.get(f"/wilayah/{SARANG_HALANG}/").content.decode()
    assert f'hx-get="{region_url(SARANG_HALANG)}"' in html
    location = location_in(SARANG_HALANG)
    html = client.get(f"/lokasi/{location.pk}/").content.decode()
    assert f'hx-get="/lokasi/{location.pk}/kumuh-akhir/"' in html


def test_through_htmx_the_panel_is_a_fragment_and_without_it_a_page(demo: Personas) -> None:
    client = demo.client("viewer")
    fragment = client.get(region_url(), **HTMX).content.decode()
    assert fragment.lstrip().startswith("<section")
    page = client.get(region_url()).content.decode()
    assert "<html" in page
    assert 'id="kumuh-akhir"' in page


# --- Figures: the same as `sikumuh projection` --------------------------------------------------


def cli_json(code: str, base: int, until: int) -> dict[str, Any]:
    out = io.StringIO()
    argv = ["projection", "--region", code, "--base-year", str(base), "--until", str(until)]
    assert main([*argv, "--format", "json"], out=out, err=io.StringIO()) == 0
    return dict(json.loads(out.getvalue()))


def as_json(value: Any) -> Any:
    """Through the command's own JSON writer (decimals as numbers)."""
    out = io.StringIO()
    dump_json(value, out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("code", [KABUPATEN, PELAIHARI, SARANG_HALANG])
def test_the_panel_gives_the_figures_of_the_command(demo: Personas, code: str) -> None:
    response = demo.client("admin").get(region_url(code, "dasar=2019&sampai=2021"), **HTMX)
    report = response.context["report"]
    expected = cli_json(code, 2019, 2021)
    assert as_json(report.as_json()) == expected
    assert report.projected_slum_ha < report.measured_slum_ha  # the demo's works did something
    text = text_of(response)
    assert ha(report.measured_slum_ha) in text
    assert ha(report.projected_slum_ha) in text
    assert "Ini perkiraan" in text


def test_by_default_the_latest_year_with_data_and_the_last_investment_year(
    demo: Personas,
) -> None:
    context = demo.client("viewer").get(region_url(), **HTMX).context
    # The demo's investments are of TA 2020–2021, its RT data of 2019 and 2021.
    assert (context["base"], context["until"], context["years"]) == (2021, 2021, [2019, 2021])
    assert context["outcomes"] is None
    assert "belum ada investasi" in context["sentence"].lower()


def test_the_location_panel_counts_the_location_rts_only(demo: Personas) -> None:
    context = demo.client("facilitator").get(location_url(query="dasar=2019"), **HTMX).context
    location = location_in(SARANG_HALANG)
    assert {row["lokasi"] for row in context["report"].as_json()["units"]} == {location.code}


# --- Against a later survey ---------------------------------------------------------------------


def test_the_demo_works_did_what_was_planned_in_every_rt(demo: Personas) -> None:
    response = demo.client("viewer").get(region_url(query="dasar=2019"), **HTMX)
    outcomes = response.context["outcomes"]
    judged = len(outcomes.judged)
    assert judged > 0
    assert outcomes.achieved == judged
    assert f"Pekerjaan mencapai yang direncanakan di {judged} dari {judged} RT" in text_of(response)
    assert response.context["missed"] == []


def test_an_rt_measured_heavier_than_projected_is_listed_with_its_link(demo: Personas) -> None:
    client = demo.client("facilitator")
    first = client.get(region_url(SARANG_HALANG, "dasar=2019"), **HTMX).context["outcomes"]
    target = first.rts[0]
    Score.objects.filter(observation__rt_id=target.item.figures.key, tahun=2021).update(
        klass=SlumClass.BERAT.value
    )
    response = client.get(region_url(SARANG_HALANG, "dasar=2019"), **HTMX)
    outcomes = response.context["outcomes"]
    assert outcomes.achieved == len(outcomes.judged) - 1
    assert [row["figures"].key for row in response.context["missed"]] == [target.item.figures.key]
    assert f'href="/rt/{target.item.figures.key}/?tahun=2019"' in response.content.decode()
    text = text_of(response)
    assert f"di {outcomes.achieved} dari {len(outcomes.judged)} RT" in text
    assert "RT tempat pekerjaan belum mencapai yang direncanakan" in text


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        pytest.param(lambda: region_url(query="dasar=2019"), 10, id="kabupaten"),
        pytest.param(lambda: region_url(SARANG_HALANG, "dasar=2019"), 10, id="desa"),
        pytest.param(lambda: location_url(query="dasar=2019"), 10, id="location"),
    ],
)
def test_the_panel_takes_a_fixed_number_of_queries(
    demo: Personas, django_assert_num_queries: Any, url: Any, queries: int
) -> None:
    client = demo.client("admin")
    target = url()
    with django_assert_num_queries(queries):
        assert client.get(target, **HTMX).status_code == 200


# --- The RT page --------------------------------------------------------------------------------


def invested_rt(desa: str = SARANG_HALANG) -> Any:
    from sikumuh.investments.models import Investment

    found = Investment.objects.filter(rt__desa_id=desa, tahun__gt=2019).order_by("rt_id").first()
    assert found is not None
    return found.rt


def test_the_rt_page_shows_which_investment_changed_which_criterion(demo: Personas) -> None:
    rt = invested_rt()
    response = demo.client("facilitator").get(f"/rt/{rt.pk}/?tahun=2019")
    assert response.status_code == 200
    context = response.context
    first = context["rtp_rows"][0]
    assert first["step"].counted
    assert first["step"].after == max(0, first["step"].before - first["investment"].volume)
    text = text_of(response)
    assert "Investasi mana mengubah kriteria mana" in text
    assert first["investment"].activity in text
    # Projected beside measured, and the 2021 survey agrees (the demo's works did their part).
    assert context["rtp_later"]["tahun"] == 2021
    assert context["rtp_later"]["verdict"] is True
    assert "Pekerjaan mencapai yang direncanakan." in text


def test_the_rt_projection_is_the_panel_projection(demo: Personas) -> None:
    rt = invested_rt()
    client = demo.client("admin")
    rt_context = client.get(f"/rt/{rt.pk}/?tahun=2019").context
    panel = client.get(region_url(SARANG_HALANG, "dasar=2019&sampai=2021"), **HTMX).context
    row = next(
        u
        for u in panel["report"].as_json()["units"]
        if u["rt"] == rt.rt and u["lokasi"] == rt.location.code
    )
    assert rt_context["rtp_projected"]["total"] == row["projected_total"]
    assert rt_context["rtp_measured"]["total"] == row["total"]


def test_the_latest_year_of_an_rt_has_no_investment_after_it(demo: Personas) -> None:
    rt = invested_rt()
    response = demo.client("viewer").get(f"/rt/{rt.pk}/")
    assert not response.context["rtp_counted"]
    assert "Belum ada investasi terealisasi di RT ini setelah 2021" in text_of(response)


def test_a_planned_work_is_listed_as_not_counted(demo: Personas) -> None:
    from sikumuh.investments.models import Investment

    rt = invested_rt()
    Investment.objects.create(
        location=rt.location,
        rt=rt,
        criterion="2b",
        tahun=2024,
        activity="Rencana",
        volume=5,
        status="rencana",
    )
    response = demo.client("viewer").get(f"/rt/{rt.pk}/")
    assert not response.context["rtp_counted"]
    assert [inv.activity for inv in response.context["rtp"].planned] == ["Rencana"]
    assert "1 rencana pekerjaan di RT ini tidak dihitung" in text_of(response)


def test_a_missed_rt_of_another_desa_is_listed_without_a_link_for_the_facilitator(
    demo: Personas,
) -> None:
    from sikumuh.slums.models import RtUnit

    client = demo.client("facilitator")
    first = client.get(location_url(query="dasar=2019"), **HTMX).context["outcomes"]
    key = first.rts[0].item.figures.key
    Score.objects.filter(observation__rt_id=key, tahun=2021).update(klass=SlumClass.BERAT.value)
    # The location straddles two desa: this RT lies in one the facilitator may not open.
    RtUnit.objects.filter(pk=key).update(desa_id=KARANG_TARUNA)
    response = client.get(location_url(query="dasar=2019"), **HTMX)
    [row] = response.context["missed"]
    assert (row["figures"].key, row["url"]) == (key, None)
    assert f'href="/rt/{key}/' not in response.content.decode()
    assert (
        demo.client("admin")
        .get(location_url(query="dasar=2019"), **HTMX)
        .context["missed"][0]["url"]
        == f"/rt/{key}/"
    )
