"""The RT entry form: pre-filled, scored live as typed, saved and audited; adding an RT."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.io.exporters import plain
from sikumuh.regions.models import Region
from sikumuh.slums.actions import RtExists, create_rt
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.scoring import score_values
from sikumuh.web.views.rtdata import selectors
from sikumuh.web.views.rtdata.entry import parse_value, read_entry, score_view
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


def form_url(rt: RtUnit, tahun: int = 2021) -> str:
    return f"/rt/{rt.pk}/isian/{tahun}/"


def posted(obs: Observation, **changes: str) -> dict[str, str]:
    """The form as a browser posts it for a stored observation, with changes."""
    data = {name: format(getattr(obs, name), "f") for name in HEADER_FIELDS}
    data.update({f"v_{c}": str(v) for c, v in obs.volumes.items()})
    data["rules"] = obs.rule_set
    data.update(changes)
    return data


# --- Reading typed numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,59", Decimal("0.59")),
        ("0.59", Decimal("0.59")),
        (" 12 ", Decimal(12)),
        ("-3", Decimal(-3)),
        ("", None),
        ("-", None),
    ],
)
def test_a_typed_number_takes_a_comma_or_a_point_as_the_decimal_mark(
    text: str, expected: Decimal | None
) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.218,5", "Gunakan satu tanda desimal tanpa pemisah ribuan"),
        ("abc", "Bukan angka"),
        ("1,2,3", "Bukan angka"),
        ("1e5", "Bukan angka"),
    ],
)
def test_a_typed_number_with_two_marks_or_letters_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_value(text)


# --- The form page --------------------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_stored_observation_in_indonesian_writing(
    demo: Personas,
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    response = demo.client("facilitator").get(form_url(rt))
    assert response.status_code == 200
    html = response.content.decode()
    luas = format(obs.luas_ha.normalize(), "f").replace(".", ",")
    assert f'name="luas_ha" value="{luas}"' in html
    volume = format(plain(obs.volumes["1b"]), "f").replace(".", ",")
    assert "," in volume  # 1b is in hectares: a decimal, written with a comma
    assert f'name="v_1b" value="{volume}"' in html
    assert f'<div class="value" id="rt-total">{obs.score.total}</div>' in html
    assert 'hx-post="/rt/' in html
    assert 'hx-trigger="input changed delay:300ms"' in html


def test_a_new_year_copies_the_previous_years_header_and_leaves_the_volumes_empty(
    demo: Personas,
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    html = demo.client("facilitator").get(form_url(rt, 2022)).content.decode()
    assert "Data umum disalin dari tahun 2021" in html
    kk = format(obs.jumlah_kk.normalize(), "f")
    assert f'name="jumlah_kk" value="{kk}"' in html
    assert 'name="v_2b" value=""' in html
    assert "16 kriteria belum diisi." in html


def test_a_viewer_reads_the_form_without_inputs_to_change(demo: Personas) -> None:
    html = demo.client("viewer").get(form_url(rt_in(SARANG_HALANG))).content.decode()
    assert "disabled" in html
    assert "hx-post" not in html
    assert "Anda dapat membaca data RT ini" in html


def test_the_form_reads_an_rt_in_two_queries(
    demo: Personas, django_assert_num_queries: Any
) -> None:
    rt = rt_in(SARANG_HALANG)
    scope = demo.users["facilitator"]
    from sikumuh.accounts.scope import Scope

    within = Scope.for_user(scope).q("desa__code")
    with django_assert_num_queries(2):
        data = selectors.rt_form_data(rt.pk, 2021, within)
        assert data.observation is not None
        assert data.observation.score.total is not None
        assert data.rt.location.code
        assert data.rt.desa.name
    assert data.years == [2019, 2021]
    assert data.previous is not None
    assert data.previous.tahun == 2019


# --- Saving ---------------------------------------------------------------------------------------


def test_the_facilitator_saves_a_change_which_is_rescored_and_audited(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    header = {name: getattr(obs, name) for name in HEADER_FIELDS}
    volumes = dict(obs.volumes)
    volumes["2b"] = str(header["panjang_jalan_ideal_m"])  # 100 % → 5
    expected = score_values(header=header, volumes=volumes, percents={}, rule_set_id=obs.rule_set)
    data = posted(
        obs, v_2b=str(header["panjang_jalan_ideal_m"]).replace(".", ","), confirm_review="on"
    )
    response = demo.client("facilitator").post(form_url(rt), data)
    assert response.status_code == 302
    assert response["Location"] == form_url(rt)
    obs.refresh_from_db()
    score = Score.objects.get(observation=obs)
    assert score.total == expected.total
    assert expected.klass is not None
    assert score.klass == expected.klass.value
    entry = AuditEntry.objects.get(action="observation.update", object_id=str(obs.pk))
    assert entry.actor == demo.users["facilitator"]
    assert "volumes" in entry.changes


def test_a_new_year_is_saved_as_a_new_observation(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    response = demo.client("facilitator").post(form_url(rt, 2022), posted(obs))
    assert response.status_code == 302
    new = Observation.objects.get(rt=rt, tahun=2022)
    assert new.source == "form"
    assert new.score.total == obs.score.total
    assert AuditEntry.objects.filter(action="observation.create", object_id=str(new.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"v_2b": "-5"}, "Volume negatif"),
        ({"v_2b": "abc"}, "Bukan angka"),
        ({"v_2b": ""}, "Belum diisi."),
        ({"jumlah_bangunan": "1.218,5"}, "Gunakan satu tanda desimal"),
        ({"jumlah_bangunan": "12,5"}, "Jumlah harus bilangan bulat"),
    ],
)
def test_a_form_with_a_wrong_value_is_refused_with_the_reason_beside_it(
    demo: Personas, changes: dict[str, str], message: str
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    before = Observation.objects.get(pk=obs.pk).volumes
    response = demo.client("facilitator").post(form_url(rt), posted(obs, **changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'id="save-error"' in html
    assert Observation.objects.get(pk=obs.pk).volumes == before
    assert not AuditEntry.objects.filter(actor=demo.users["facilitator"]).exists()


@pytest.mark.parametrize(
    ("persona", "desa", "status"),
    [
        ("facilitator", SARANG_HALANG, 302),
        ("admin", SARANG_HALANG, 302),
        ("facilitator", BENUA_LAWAS, 404),  # another desa: not even visible
        ("viewer", SARANG_HALANG, 403),
        ("reviewer", SARANG_HALANG, 403),
        ("outsider", SARANG_HALANG, 404),
    ],
)
def test_only_editors_of_the_rts_desa_may_save(
    demo: Personas, persona: str, desa: str, status: int
) -> None:
    rt = rt_in(desa)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    data = posted(obs, confirm_review="on")  # 2021 is approved: a facilitator confirms
    assert demo.client(persona).post(form_url(rt), data).status_code == status


@pytest.mark.parametrize(
    ("persona", "desa", "status"),
    [
        ("viewer", SARANG_HALANG, 200),
        ("reviewer", BENUA_LAWAS, 200),
        ("facilitator", BENUA_LAWAS, 404),
        ("outsider", SARANG_HALANG, 404),
    ],
)
def test_the_form_page_is_scoped(demo: Personas, persona: str, desa: str, status: int) -> None:
    assert demo.client(persona).get(form_url(rt_in(desa))).status_code == status


@pytest.mark.parametrize(
    "path", ["/rt/999999/isian/2021/", "/rt/{pk}/isian/1999/", "/rt/{pk}/isian/2101/"]
)
def test_a_bad_rt_or_year_is_404(demo: Personas, path: str) -> None:
    rt = rt_in(SARANG_HALANG)
    assert demo.client("admin").get(path.format(pk=rt.pk)).status_code == 404


def test_the_form_answers_get_and_post_only(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    assert demo.client("admin").put(form_url(rt)).status_code == 405


# --- The live score -----------------------------------------------------------------------------


def test_the_live_score_equals_the_engine_for_the_demo_rts_of_pelaihari(demo: Personas) -> None:
    client = demo.client("admin")
    observations = Observation.objects.filter(tahun=2021, rt__desa__code__startswith="63.01.03.")
    assert observations.count() == 39
    for obs in observations.select_related("rt"):
        html = client.post(form_url(obs.rt) + "skor/", posted(obs)).content.decode()
        header = {name: getattr(obs, name) for name in HEADER_FIELDS}
        result = score_values(
            header=header, volumes=obs.volumes, percents={}, rule_set_id=obs.rule_set
        )
        assert result.klass is not None
        assert f'<div class="value" id="rt-total">{result.total}</div>' in html
        assert f'<span class="badge {result.klass.value}">{result.klass.label_id}</span>' in html


def test_the_form_scores_every_demo_rt_as_stored(demo: Personas) -> None:
    """The form's reading of the values (as the browser sends them) gives every stored score."""
    observations = Observation.objects.select_related("score")
    assert observations.count() == 356
    for obs in observations:
        view = score_view(read_entry(posted(obs), get_rule_set(obs.rule_set)))
        assert view.result.total == obs.score.total
        assert view.result.klass == obs.score.klass
        assert view.error_count == 0


def test_the_live_score_updates_each_criterion_out_of_band(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    html = demo.client("facilitator").post(form_url(rt) + "skor/", posted(obs)).content.decode()
    for code in obs.volumes:
        assert f'<span id="res-{code}" class="rt-result" hx-swap-oob="true">' in html
    assert '<span id="err-luas_ha" class="rt-result" hx-swap-oob="true">' in html
    assert not Observation.objects.filter(rt=rt, tahun=2021).exclude(pk=obs.pk).exists()


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"v_2b": "-5"}, "2b", "Volume negatif"),
        ({"v_1a": "3", "jumlah_bangunan": "0"}, "1a", "padahal Jumlah bangunan bernilai 0"),
    ],
)
def test_the_live_score_shows_an_error_beside_its_criterion_and_no_total(
    demo: Personas, changes: dict[str, str], code: str, message: str
) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    before = Observation.objects.get(pk=obs.pk).volumes
    html = (
        demo.client("facilitator")
        .post(form_url(rt) + "skor/", posted(obs, **changes))
        .content.decode()
    )
    cell = html.split(f'<span id="res-{code}"', 1)[1].split('<span id="res-', 1)[0]
    assert message in cell
    assert '<div class="value" id="rt-total">–</div>' in html
    assert Observation.objects.get(pk=obs.pk).volumes == before


def test_a_volume_above_its_denominator_scores_5_with_a_warning(demo: Personas) -> None:
    rt = rt_in(SARANG_HALANG)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    volume = str(obs.jumlah_kk * 2)
    html = (
        demo.client("facilitator")
        .post(form_url(rt) + "skor/", posted(obs, v_3a=volume))
        .content.decode()
    )
    cell = html.split('<span id="res-3a"', 1)[1].split('<span id="res-', 1)[0]
    assert "score-5" in cell
    assert "Volume melebihi Jumlah KK" in cell
    assert "1 peringatan" in html


@pytest.mark.parametrize(
    ("persona", "desa", "status"),
    [
        ("viewer", SARANG_HALANG, 200),  # computes, stores nothing
        ("facilitator", BENUA_LAWAS, 404),
        ("outsider", SARANG_HALANG, 404),
    ],
)
def test_the_live_score_is_scoped(demo: Personas, persona: str, desa: str, status: int) -> None:
    rt = rt_in(desa)
    obs = Observation.objects.get(rt=rt, tahun=2021)
    assert demo.client(persona).post(form_url(rt) + "skor/", posted(obs)).status_code == status


def test_the_live_score_answers_only_post(demo: Personas) -> None:
    assert demo.client("admin").get(form_url(rt_in(SARANG_HALANG)) + "skor/").status_code == 405


# --- Adding an RT ---------------------------------------------------------------------------------


def create_url(location: Location) -> str:
    return f"/lokasi/{location.pk}/rt-baru/"


def test_a_facilitator_adds_an_rt_and_lands_on_its_form(demo: Personas) -> None:
    location = Location.objects.get(desa_id=SARANG_HALANG)
    client = demo.client("facilitator")
    assert client.get(create_url(location)).status_code == 200
    response = client.post(
        create_url(location), {"rt": " 099 ", "desa": SARANG_HALANG, "tahun": "2022"}
    )
    unit = RtUnit.objects.get(location=location, rt="099")
    assert response.status_code == 302
    assert response["Location"] == form_url(unit, 2022)
    entry = AuditEntry.objects.get(action="rt.create", object_id=str(unit.pk))
    assert entry.actor == demo.users["facilitator"]
    assert entry.changes["rt"] == [None, "099"]


def test_an_rt_that_exists_is_not_added_twice(demo: Personas) -> None:
    location = Location.objects.get(desa_id=SARANG_HALANG)
    existing = RtUnit.objects.filter(location=location).first()
    assert existing is not None
    response = demo.client("facilitator").post(
        create_url(location), {"rt": existing.rt, "desa": SARANG_HALANG}
    )
    assert response.status_code == 422
    assert "sudah memiliki RT" in response.content.decode()


def test_an_rt_cannot_be_put_in_a_desa_the_editor_may_not_edit(demo: Personas) -> None:
    location = Location.objects.get(desa_id=SARANG_HALANG)
    response = demo.client("facilitator").post(
        create_url(location), {"rt": "100", "desa": BENUA_LAWAS}
    )
    assert response.status_code == 422
    assert not RtUnit.objects.filter(rt="100").exists()


@pytest.mark.parametrize(
    ("persona", "desa", "method", "status"),
    [
        ("viewer", SARANG_HALANG, "post", 403),
        ("reviewer", SARANG_HALANG, "get", 403),
        ("facilitator", BENUA_LAWAS, "get", 404),
        ("outsider", SARANG_HALANG, "post", 404),
        ("admin", SARANG_HALANG, "put", 405),
    ],
)
def test_adding_an_rt_is_for_editors_of_the_location(
    demo: Personas, persona: str, desa: str, method: str, status: int
) -> None:
    location = Location.objects.get(desa_id=desa)
    response = getattr(demo.client(persona), method)(create_url(location), {"rt": "100"})
    assert response.status_code == status
    assert not RtUnit.objects.filter(rt="100").exists()


def test_adding_an_rt_to_a_missing_location_is_404(demo: Personas) -> None:
    assert demo.client("admin").get("/lokasi/999999/rt-baru/").status_code == 404


def test_create_rt_refuses_a_desa_of_another_kabupaten(demo: Personas) -> None:
    location = Location.objects.get(desa_id=SARANG_HALANG)
    other = Region.objects.filter(level=4, code__startswith="33.75.").first()
    assert other is not None
    with pytest.raises(ValueError, match=r"not inside 63\.01"):
        create_rt(actor=Actor.system("test"), location=location, rt="1", desa=other)
    existing = RtUnit.objects.filter(location=location).first()
    assert existing is not None
    with pytest.raises(RtExists):
        create_rt(actor=Actor.system("test"), location=location, rt=existing.rt, desa=existing.desa)


def test_english_is_an_explicit_choice_on_the_form(demo: Personas) -> None:
    client = demo.client("facilitator")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(form_url(rt_in(SARANG_HALANG))).content.decode()
    assert "Total score" in html
    assert "Volumes per criterion" in html
    assert "Kumuh" in html  # class names stay Indonesian: the regulation's terms
