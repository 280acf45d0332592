"""The audit panel (any object page) and the region's audit log: who changed what, when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.selectors import LogFilter, history_for, history_for_region
from sikumuh.surveys.actions import save_observation
from sikumuh.web.audit_rows import FieldChange, field_changes, history, rows_of
from sikumuh.web.views.review import LOG_PAGE_SIZE
from tests import factories

DESA = "63.01.03.1001"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"participants": [12, 15]}, [("participants", "12", "15")]),
        ({"place": [None, "Balai"]}, [("place", "–", "Balai")]),
        ({"delineation_agreed": [False, True]}, [("delineation agreed", "no", "yes")]),
        # A JSON field is shown key by key, only the keys that changed.
        (
            {"volumes": [{"1a": "10", "1b": "2"}, {"1a": "8", "1b": "2", "2a": "1"}]},
            [("Volume 1a", "10", "8"), ("Volume 2a", "–", "1")],
        ),
        ({"volumes": [None, {"1a": "3"}]}, [("Volume 1a", "–", "3")]),
        ({"volumes": [{"1a": "18.000000"}, {"1a": "0.610000"}]}, [("Volume 1a", "18", "0.61")]),
        # Labels, not codes (issue 12); no "percents: {}", no file digests.
        ({"percents": [{}, {}]}, []),
        ({"percents": [None, {}]}, []),
        ({"file_sha256": ["", "9f86d081884c7d65"]}, []),
        ({"status": ["draft", "submitted"]}, [("status", "Draft", "Submitted")]),
        ({"typology": ["", "di_dataran_rendah"]}, [("typology", "–", "Di dataran rendah")]),
        (
            {"rule_set": ["permen-pupr-02-2016", "permen-pupr-14-2018"]},
            [("rule set", "Permen PUPR 02/2016", "Permen PUPR 14/2018")],
        ),
        ({"jumlah_kk": [60, 61]}, [("number of households", "60", "61")]),
        ({"unlock_reason": ["", None]}, []),  # empty both sides: nothing to show
        # Fields of every record by the model's label or the table's; codes by their labels;
        # dates and decimals as Indonesians write them (issue 12's tour of the audit log).
        ({"closing_evidence": [None, "foto"]}, [("closing evidence", "–", "foto")]),
        ({"status": ["open", "done"]}, [("status", "Open", "Done")]),
        ({"role": [None, "viewer"]}, [("role", "–", "Pemantau (viewer)")]),
        ({"allocation": [None, "size"]}, [("allocation", "–", "Proportional to size")]),
        ({"deadline": [None, "2021-12-16"]}, [("deadline", "–", "16 December 2021")]),
        ({"volume": [None, "0.27"]}, [("volume", "–", "0.27")]),
        ({"tahun": [None, 2020]}, [("year", "–", "2020")]),
        ({"volumes_found": [None, {"4a": "0.09"}]}, [("Volume found 4a", "–", "0.09")]),
        (
            {"locked_at": [None, "2021-11-04T02:30:00+00:00"]},
            [("locked at", "–", "4 November 2021 10.30")],
        ),
        # Lists item by item, each by its label: an uji petik's strata and years.
        (
            {"strata_fields": [None, ["kecamatan", "aspect"]]},
            [("strata", "–", "Kecamatan, Activity type (aspect)")],
        ),
        ({"tahun": [None, [2020, 2021]]}, [("year", "–", "2020, 2021")]),
        ({"strata_fields": [["kecamatan"], []]}, [("strata", "Kecamatan", "–")]),
        # Amounts grouped by thousands; years, seeds, RT numbers and region codes as they are.
        ({"cost": [None, "30576000"]}, [("cost (Rp)", "–", "30,576,000")]),
        ({"cost": ["1250000.50", None]}, [("cost (Rp)", "1,250,000.5", "–")]),
        ({"participants": [980, 1250]}, [("participants", "980", "1,250")]),
        ({"volumes": [None, {"2a": "1250.500000"}]}, [("Volume 2a", "–", "1,250.5")]),
        ({"seed": [None, 20211104]}, [("seed", "–", "20211104")]),
        ({"year": [2019, 2020]}, [("year", "2019", "2020")]),
        ({"rt": [None, "005"]}, [("RT", "–", "005")]),
        ({"region": [None, "63.01"]}, [("region", "–", "63.01")]),  # not a decimal "63,01"
        # Codes of other apps' fields, files by their names, outlines in words.
        ({"status": ["failed", "queued"]}, [("status", "failed", "waiting")]),
        (
            {"polygon": [None, "MultiPolygon (1250 positions)"]},
            [("outline", "–", "multipolygon, 1,250 points")],
        ),
        (
            {"unit_costs": [{"2a": "150000"}, {"2a": "175000", "4b": "90000"}]},
            [("Unit cost 2a", "150,000", "175,000"), ("Unit cost 4b", "–", "90,000")],
        ),
        (
            {"closing_file": [None, "uji-petik/tindak-lanjut/2021/bukti.jpg"]},
            [("closing file", "–", "bukti.jpg")],
        ),
        ({"file": [None, "rt/2021/foto.jpg"]}, []),
    ],
)
def test_changes_are_flattened_field_by_field(
    changes: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    with translation.override("en"), timezone.override("Asia/Makassar"):
        assert field_changes(changes) == [FieldChange(*row) for row in expected]


@pytest.fixture
def observation(personas: Any) -> Any:
    rt = factories.rt(factories.location("L-01", DESA), "001")
    facilitator = Actor.of(personas["facilitator"])
    kwargs = {"rt": rt, "tahun": 2021, "header": factories.HEADER}
    save_observation(actor=facilitator, volumes=factories.volumes_at("0.5"), **kwargs)
    volumes = {**factories.volumes_at("0.5"), "1a": factories.HEADER["jumlah_bangunan"]}
    obs, _ = save_observation(actor=facilitator, volumes=volumes, **kwargs)
    return obs


def test_the_panel_shows_an_observations_field_level_before_and_after(
    observation: Any, personas: Any, django_assert_num_queries: Any
) -> None:
    scope = Scope.for_user(personas["reviewer"])
    with django_assert_num_queries(1):
        rows = history(observation, scope=scope)
    assert [r.entry.action for r in rows] == ["observation.update", "observation.create"]
    assert rows[0].changes == [FieldChange("Volume 1a", "25", "50")]
    html = render_to_string("web/audit/_panel.html", {"entries": rows})
    assert '<span class="field">Volume 1a</span>: <del>25</del>' in html
    assert "Data RT diubah" in html  # the action as a sentence, not observation.update
    assert "observation.update" not in html
    assert "<ins>50</ins>" in html
    assert "facilitator" in html


def test_history_is_scoped_like_everything_else(observation: Any, personas: Any) -> None:
    assert history(observation, scope=Scope.for_user(personas["outsider"])) == []
    assert len(history(observation, scope=Scope.for_user(personas["facilitator"]))) == 2


@pytest.mark.parametrize(("persona", "count"), [("outsider", 0), ("facilitator", 2), ("admin", 2)])
def test_the_selector_keeps_the_entries_within_the_filter_it_is_given(
    observation: Any, personas: Any, persona: str, count: int
) -> None:
    within = Scope.for_user(personas[persona]).q("region_code")
    assert len(history_for(observation, within=within)) == count


def test_the_panel_says_when_nothing_was_recorded() -> None:
    html = render_to_string("web/audit/_panel.html", {"entries": []})
    assert "Belum ada perubahan yang tercatat." in html


# --- The region's audit log page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("admin", "63.01", 200),
        ("reviewer", "63.01", 200),
        ("viewer", "63.01", 200),
        ("facilitator", DESA, 200),
        ("facilitator", "63.01", 404),
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
    ],
)
def test_the_audit_log_page_is_scoped(
    observation: Any, personas: Any, who: str, code: str, status: int
) -> None:
    assert personas.client(who).get(f"/wilayah/{code}/audit/").status_code == status


def test_the_audit_log_answers_only_get(personas: Any) -> None:
    assert personas.client("admin").post("/wilayah/63.01/audit/").status_code == 405


def test_a_facilitator_sees_only_the_entries_of_their_desa(observation: Any, personas: Any) -> None:
    # The personas' own role grants are recorded at 63.01 and 33.75: not in a desa's log.
    rows = personas.client("facilitator").get(f"/wilayah/{DESA}/audit/").context["rows"]
    assert {r.entry.region_code for r in rows} == {DESA}
    assert {r.entry.action for r in rows} >= {"observation.update", "location.create"}


def test_the_log_filters_by_action_user_and_date(observation: Any, personas: Any) -> None:
    client = personas.client("admin")

    def actions(query: str) -> list[str]:
        return [
            r.entry.action for r in client.get(f"/wilayah/63.01/audit/?{query}").context["rows"]
        ]

    assert actions("action=observation") == ["observation.update", "observation.create"]
    assert actions("action=observation.update") == ["observation.update"]
    assert set(actions("user=FACILITATOR")) == {"observation.update", "observation.create"}
    today = timezone.localdate().isoformat()
    assert "observation.update" in actions(f"since={today}&until={today}")
    assert actions("until=2000-01-01") == []
    assert actions("since=bukan-tanggal&action=observation.update") == ["observation.update"]


def test_the_log_is_paginated_and_keeps_the_filters_across_pages(personas: Any) -> None:
    at = timezone.now() - dt.timedelta(days=1)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=at,
            actor_label="impor",
            action="rt.create",
            object_type="slums.rtunit",
            object_id=str(n),
            region_code=DESA,
        )
        for n in range(LOG_PAGE_SIZE + 5)
    )
    client = personas.client("admin")
    first = client.get("/wilayah/63.01/audit/?action=rt.create")
    assert len(first.context["rows"]) == LOG_PAGE_SIZE
    assert "?action=rt.create&amp;page=2" in first.content.decode()
    second = client.get("/wilayah/63.01/audit/?action=rt.create&page=2")
    assert len(second.context["rows"]) == 5
    assert len(client.get("/wilayah/63.01/audit/?action=rt.create&page=99").context["rows"]) == 5


def test_the_region_log_reads_a_page_in_a_fixed_number_of_queries(
    observation: Any, personas: Any, django_assert_num_queries: Any
) -> None:
    scope = Scope.for_user(personas["admin"])
    entries = history_for_region(
        "63.01", within=scope.q("region_code"), filters=LogFilter(action="observation")
    )
    with django_assert_num_queries(1):
        assert len(list(entries[:50])) == 2


@pytest.mark.parametrize(
    ("action", "sentence"),
    [
        ("observation.submit", "Data RT diajukan untuk ditinjau"),
        ("observation.approve", "Data RT disetujui"),
        ("year.lock", "Tahun dikunci"),
        ("uji_petik.draw", "Sampel uji petik ditarik"),
        ("something.new", "something.new"),  # never hidden
    ],
)
def test_actions_read_as_sentences(action: str, sentence: str) -> None:
    from sikumuh.web.audit_labels import action_label

    with translation.override("id"):
        assert action_label(action) == sentence


def test_fields_and_values_read_by_their_labels_in_indonesian() -> None:
    with translation.override("id"):
        assert field_changes(
            {
                "volumes": [{"1a": "18"}, {"1a": "12.500000"}],
                "status": ["draft", "submitted"],
                "source": ["form", "template"],
            }
        ) == [
            FieldChange("sumber", "Formulir", "Impor templat"),
            FieldChange("status", "Draf", "Diajukan"),
            FieldChange("Volume 1a", "18", "12,5"),
        ]


def test_amounts_read_the_indonesian_way_with_thousands_grouped() -> None:
    with translation.override("id"):
        assert field_changes(
            {"cost": [None, "1250000"], "luas_ha": ["0.61", "1250.5"], "tahun": [None, 2021]}
        ) == [
            FieldChange("biaya (Rp)", "–", "1.250.000"),
            FieldChange("luas (ha)", "0,61", "1.250,5"),
            FieldChange("tahun", "–", "2021"),
        ]


def test_an_uji_petik_draw_reads_its_strata_years_and_items_by_their_labels(
    personas: Any,
) -> None:
    from sikumuh.inspections.models import SampleItem
    from tests.inspections.helpers import build_works, draw

    build_works()
    uji_petik = draw(n=4)
    item = SampleItem.objects.filter(uji_petik=uji_petik).select_related("rt__location").first()
    assert item is not None
    assert item.rt is not None
    scope = Scope.for_user(personas["admin"])
    with translation.override("id"):
        (drawn,) = history(uji_petik, scope=scope)
        (added,) = history(item, scope=scope)
    shown = {c.field: c.after for c in drawn.changes}
    assert shown["strata"] == "Kecamatan, Jenis kegiatan (aspek)"
    assert shown["tahun"] == "2021"
    item_shown = {c.field: c.after for c in added.changes}
    assert item_shown["strata"] == item.stratum_label  # "Pelaihari × …", not "63.01.03|2"
    assert "|" not in item_shown["strata"]
    assert item_shown["RT"] == f"RT {item.rt.rt} · {item.rt.location.code}"
    # An item drawn before: its entry holds the stratum's key, read by the label it stands for.
    earlier = AuditEntry(
        action="uji_petik.item.create", changes={"stratum": [None, item.stratum_key]}
    )
    with translation.override("id"):
        (row,) = rows_of([earlier])
    assert row.changes == [FieldChange("strata", "–", item.stratum_label)]


def test_regions_and_records_read_by_their_names_in_a_query_per_kind(
    observation: Any, personas: Any, django_assert_num_queries: Any
) -> None:
    rt = observation.rt
    entry = AuditEntry.objects.create(
        at=timezone.now(),
        actor_label="admin",
        action="rt.create",
        object_type="slums.rtunit",
        object_id=str(rt.pk),
        region_code=DESA,
        changes={"desa": [None, DESA], "location": [None, rt.location_id], "rt": [None, rt.rt]},
    )
    grant = AuditEntry.objects.create(
        at=timezone.now(),
        actor_label="admin",
        action="membership.grant",
        object_type="accounts.membership",
        object_id="1",
        region_code="63.01",
        changes={"region": [None, "63.01"], "investment": [None, 987654]},  # since deleted
    )
    with django_assert_num_queries(3):  # regions, locations, investments
        first, second = rows_of([entry, grant])
    assert {c.field: c.after for c in first.changes} == {
        "desa/kelurahan": "Sarang Halang",
        "lokasi": f"{rt.location.code} {rt.location.name}",
        "RT": rt.rt,
    }
    assert {c.field: c.after for c in second.changes}["wilayah"] == "Kabupaten Tanah Laut"
    assert {c.field: c.after for c in second.changes}["investasi"] == "987654"
