"""The Investasi pages: list with filters and totals, downloads, add, edit, delete.

Persona checklist on every view: the administrator works; the reviewer reads (writes 403: not an
editing role); the facilitator of Sarang Halang reads and adds only in their desa (other desa
404); the viewer reads, writes 403; the outsider (Kota Pekalongan) 404; bad id 404; wrong method
405; a locked year refused with the lock's wording.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from sikumuh.audit.models import AuditEntry
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region
from sikumuh.surveys.review import lock_year
from tests import factories
from tests.web.test_rtdata_support import body

pytestmark = pytest.mark.django_db

SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa
BENUA_LAWAS = "63.01.01.2001"
KAB = "63.01"


@pytest.fixture
def data(personas: Any) -> dict[str, Any]:
    here = factories.location("L-01", SARANG_HALANG)
    there = factories.location("L-02", BENUA_LAWAS)
    rt_here, rt_there = factories.rt(here, "001"), factories.rt(there, "001")

    def investment(loc: Any, rt: Any, criterion: str, cost: str, source: str) -> Investment:
        return Investment.objects.create(
            location=loc,
            rt=rt,
            criterion=criterion,
            tahun=2023,
            activity="Pengaspalan jalan" if criterion == "2b" else "Saluran",
            volume=Decimal(120),
            unit="m",
            funding_source=source,
            cost=Decimal(cost),
        )

    return {
        "personas": personas,
        "rt_here": rt_here,
        "rt_there": rt_there,
        "here": investment(here, rt_here, "2b", "1250000", "apbd"),
        "here_too": investment(here, rt_here, "2b", "750000", "apbd"),
        "there": investment(there, rt_there, "4b", "5000000", "apbn"),
    }


def get(data: dict[str, Any], who: str, url: str) -> Any:
    return data["personas"].client(who).get(url)


def list_url(code: str = KAB, query: str = "") -> str:
    return reverse("web:investments", kwargs={"code": code}) + (f"?{query}" if query else "")


def create_url(code: str = KAB) -> str:
    return reverse("web:investment_create", kwargs={"code": code})


def form_data(place: str, **more: Any) -> dict[str, Any]:
    return {
        "place": place,
        "criterion": "2b",
        "tahun": "2024",
        "activity": "Paving blok",
        "volume": "80",
        "funding_source": "dana_desa",
        "cost": "2500000",
        "status": "rencana",
        "note": "",
        **more,
    }


def test_the_list_shows_criteria_names_rupiah_and_totals_per_criterion_year_source(
    data: dict[str, Any],
) -> None:
    response = get(data, "admin", list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kualitas permukaan jalan lingkungan buruk" in html
    assert "Rp 1.250.000" in html
    assert "Rp 2.000.000" in html  # the 2b × 2023 × APBD total of the two in Sarang Halang
    assert "240 m" in html  # their volume


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("kriteria=4b", {"there"}),
        ("sumber=apbd", {"here", "here_too"}),
        ("tahun=2022", set()),
        ("status=rencana", set()),
        ("kriteria=zz", {"here", "here_too", "there"}),  # not a criterion: ignored
    ],
)
def test_the_filters_narrow_the_list(data: dict[str, Any], query: str, shown: set[str]) -> None:
    page = get(data, "admin", list_url(query=query)).context["page"]
    assert {inv.pk for inv in page} == {data[name].pk for name in shown}


def test_the_list_of_one_rt_and_its_download(data: dict[str, Any]) -> None:
    rt = data["rt_there"].pk
    page = get(data, "admin", list_url(query=f"rt={rt}")).context["page"]
    assert [inv.pk for inv in page] == [data["there"].pk]
    response = get(data, "admin", list_url(query=f"rt={rt}&format=csv"))
    lines = body(response).decode().splitlines()
    assert lines[0].startswith("kode_desa,lokasi,rt,tahun,kriteria,volume,satuan,kegiatan")
    assert len(lines) == 2
    assert "Saluran" in lines[1]
    xlsx = get(data, "admin", list_url(query="format=xlsx"))
    assert xlsx.status_code == 200
    assert body(xlsx)[:2] == b"PK"
    assert get(data, "admin", list_url(query="format=pdf")).status_code == 404


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("admin", KAB, 200),
        ("reviewer", KAB, 200),
        ("viewer", KAB, 200),
        ("facilitator", SARANG_HALANG, 200),
        ("facilitator", KAB, 404),
        ("facilitator", BENUA_LAWAS, 404),
        ("outsider", KAB, 404),
    ],
)
def test_the_list_is_scoped(data: dict[str, Any], who: str, code: str, status: int) -> None:
    assert get(data, who, list_url(code)).status_code == status


def test_the_facilitator_sees_only_their_desas_investments(data: dict[str, Any]) -> None:
    page = get(data, "facilitator", list_url(SARANG_HALANG)).context["page"]
    assert {inv.pk for inv in page} == {data["here"].pk, data["here_too"].pk}


def test_the_facilitator_adds_in_their_desa_and_not_in_another(data: dict[str, Any]) -> None:
    client = data["personas"].client("facilitator")
    form = client.get(create_url(SARANG_HALANG)).context["form"]
    offered = {value for value, _ in form.fields["place"].choices}
    assert f"R{data['rt_here'].pk}" in offered
    assert f"R{data['rt_there'].pk}" not in offered
    refused = client.post(create_url(SARANG_HALANG), form_data(f"R{data['rt_there'].pk}"))
    assert refused.status_code == 422
    response = client.post(create_url(SARANG_HALANG), form_data(f"R{data['rt_here'].pk}"))
    assert response.status_code == 302
    stored = Investment.objects.get(activity="Paving blok")
    assert (stored.unit, stored.status, stored.rt_id) == ("m", "rencana", data["rt_here"].pk)
    entry = AuditEntry.objects.get(action="investment.create", object_id=str(stored.pk))
    assert entry.actor == data["personas"]["facilitator"]
    assert client.post(create_url(BENUA_LAWAS), form_data("x")).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reviewer", 403), ("outsider", 404)])
def test_who_may_not_add_is_refused(data: dict[str, Any], who: str, status: int) -> None:
    client = data["personas"].client(who)
    assert client.get(create_url()).status_code == status
    assert client.post(create_url(), form_data(f"R{data['rt_here'].pk}")).status_code == status
    assert not Investment.objects.filter(activity="Paving blok").exists()


def test_a_locked_year_is_refused_with_the_locks_wording(data: dict[str, Any]) -> None:
    lock_year(actor=factories.ACTOR, kabupaten=Region.objects.get(code=KAB), tahun=2024)
    client = data["personas"].client("admin")
    response = client.post(create_url(), form_data(f"R{data['rt_here'].pk}"))
    assert response.status_code == 422
    assert "terkunci" in response.content.decode()
    assert not Investment.objects.filter(activity="Paving blok").exists()


def edit_url(inv: Investment) -> str:
    return reverse("web:investment_edit", kwargs={"pk": inv.pk})


def delete_url(inv: Investment) -> str:
    return reverse("web:investment_delete", kwargs={"pk": inv.pk})


def test_an_edit_is_saved_and_audited(data: dict[str, Any]) -> None:
    client = data["personas"].client("admin")
    inv = data["here"]
    assert client.get(edit_url(inv)).status_code == 200
    response = client.post(edit_url(inv), {**form_data("", cost="1300000"), "tahun": "2023"})
    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.cost == Decimal(1300000)
    entry = AuditEntry.objects.get(action="investment.update", object_id=str(inv.pk))
    assert entry.changes["cost"] == ["1250000", "1300000"]


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("viewer", "here", 403),
        ("reviewer", "here", 403),
        ("facilitator", "there", 404),
        ("outsider", "here", 404),
        ("facilitator", "here", 200),
    ],
)
def test_editing_is_scoped(data: dict[str, Any], who: str, name: str, status: int) -> None:
    assert get(data, who, edit_url(data[name])).status_code == status


def test_a_deletion_needs_a_reason_and_is_audited_with_it(data: dict[str, Any]) -> None:
    client = data["personas"].client("admin")
    inv = data["here"]
    assert client.post(delete_url(inv), {"reason": " "}).status_code == 400
    assert client.post(delete_url(inv), {"reason": "double entry"}).status_code == 302
    assert not Investment.objects.filter(pk=inv.pk).exists()
    entry = AuditEntry.objects.get(action="investment.delete", object_id=str(inv.pk))
    assert entry.context["reason"] == "double entry"


def test_deleting_is_scoped_and_post_only(data: dict[str, Any]) -> None:
    personas = data["personas"]
    assert (
        personas.client("viewer").post(delete_url(data["here"]), {"reason": "x"}).status_code == 403
    )
    assert (
        personas.client("outsider").post(delete_url(data["here"]), {"reason": "x"}).status_code
        == 404
    )
    assert personas.client("admin").get(delete_url(data["here"])).status_code == 405
    assert (
        personas.client("admin").post("/investasi/999999/hapus/", {"reason": "x"}).status_code
        == 404
    )
    assert Investment.objects.count() == 3


def test_the_lists_queries_do_not_grow_with_its_rows(data: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = data["personas"].client("admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url()).status_code == 200
        return len(captured)

    before = queries()
    for inv in Investment.objects.all():
        inv.pk = None
        inv.activity += " (tahap 2)"
        inv.save()
    assert queries() == before


def test_a_save_of_a_form_opened_before_another_change_is_refused_with_409(
    data: dict[str, Any],
) -> None:
    client = data["personas"].client("admin")
    inv = data["here"]
    opened = inv.version
    posted = {**form_data("", cost="1300000"), "tahun": "2023", "version": str(opened)}
    assert client.post(edit_url(inv), posted).status_code == 302
    again = {**posted, "cost": "1400000"}
    response = client.post(edit_url(inv), again)
    assert response.status_code == 409
    inv.refresh_from_db()
    assert inv.cost == Decimal(1300000)


@pytest.mark.parametrize(
    ("who", "code", "narrowed_to"),
    [
        ("outsider", "33.75", "rt_here"),  # Kota Pekalongan's admin, a Tanah Laut RT
        ("outsider", "33.75", "location_here"),
        ("facilitator", SARANG_HALANG, "rt_there"),  # Sarang Halang's, a Benua Lawas RT
        ("facilitator", SARANG_HALANG, "location_there"),
    ],
)
def test_a_list_narrowed_to_a_place_outside_the_region_is_404_and_names_nothing(
    data: dict[str, Any], who: str, code: str, narrowed_to: str
) -> None:
    rt = data["rt_here" if narrowed_to.endswith("_here") else "rt_there"]
    query = f"rt={rt.pk}" if narrowed_to.startswith("rt") else f"lokasi={rt.location_id}"
    response = get(data, who, list_url(code, query))
    assert response.status_code == 404
    assert rt.location.name not in response.content.decode()


def test_a_list_narrowed_to_a_place_of_the_region_names_it(data: dict[str, Any]) -> None:
    rt = data["rt_here"]
    for query in (f"rt={rt.pk}", f"lokasi={rt.location_id}"):
        response = get(data, "facilitator", list_url(SARANG_HALANG, query))
        assert response.status_code == 200
        assert response.context["place"] is not None


def test_an_investment_of_a_locked_year_is_neither_changed_nor_moved_nor_deleted(
    data: dict[str, Any],
) -> None:
    lock_year(actor=factories.ACTOR, kabupaten=Region.objects.get(code=KAB), tahun=2023)
    client = data["personas"].client("admin")
    inv = data["here"]
    edited = client.post(edit_url(inv), {**form_data("", cost="1300000"), "tahun": "2023"})
    assert edited.status_code == 422
    assert "terkunci" in edited.content.decode()
    moved = client.post(edit_url(inv), form_data(""))  # out of 2023 into open 2024
    assert moved.status_code == 422
    deleted = client.post(delete_url(inv), {"reason": "double entry"}, follow=True)
    assert "terkunci" in deleted.content.decode()
    inv.refresh_from_db()
    assert (inv.tahun, inv.cost) == (2023, Decimal(1250000))
    assert not AuditEntry.objects.filter(action__in=["investment.update", "investment.delete"])


def test_planned_money_is_totalled_apart_from_realised_money(data: dict[str, Any]) -> None:
    # A plan imported back (status rencana) is not money spent: the 2b × 2023 × APBD total of
    # the two realised works stays Rp 2.000.000 beside the planned Rp 9.000.000.
    planned = Investment.objects.get(pk=data["here"].pk)
    planned.pk = None
    planned.activity, planned.cost, planned.status = "Jalan (rencana)", Decimal(9000000), "rencana"
    planned.save()
    totals = get(data, "admin", list_url()).context["totals"]
    by_status = {(t.criterion, t.tahun, t.funding_source, t.status): t.cost for t in totals}
    assert by_status[("2b", 2023, "apbd", "realisasi")] == Decimal(2000000)
    assert by_status[("2b", 2023, "apbd", "rencana")] == Decimal(9000000)
    html = get(data, "admin", list_url()).content.decode()
    assert "Rp 2.000.000" in html
    assert "Rp 11.000.000" not in html
