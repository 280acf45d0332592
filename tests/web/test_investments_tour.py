"""The Investasi pages as the tester toured them (issue 10): numbers in the form as people write
them, the place of a narrowed list named as people know it, grand totals of the filtered list
(planned and realised apart), and the criteria of the rule set the place's data use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.investments.models import Investment
from tests.web.test_investments_pages import data, edit_url, form_data, get, list_url

pytestmark = pytest.mark.django_db
__all__ = ["data"]  # the fixture


def test_the_edit_form_shows_and_takes_numbers_as_people_write_them(
    data: dict[str, Any],
) -> None:
    inv = data["here"]
    Investment.objects.filter(pk=inv.pk).update(volume=Decimal("12.5"), cost=Decimal(15_000_000))
    html = get(data, "admin", edit_url(inv)).content.decode()
    assert 'value="12,5"' in html
    assert 'value="15.000.000"' in html
    client = data["personas"].client("admin")
    response = client.post(edit_url(inv), form_data("", volume="7,25", cost="1.500.000"))
    assert response.status_code == 302, response.context["form"].errors
    inv.refresh_from_db()
    assert (inv.volume, inv.cost) == (Decimal("7.25"), Decimal(1_500_000))
    entry = AuditEntry.objects.get(action="investment.update", object_id=str(inv.pk))
    assert entry.changes["cost"][1] == "1500000"


def test_the_list_has_grand_totals_of_money_and_count_planned_apart(
    data: dict[str, Any],
) -> None:
    planned = Investment.objects.get(pk=data["there"].pk)
    planned.pk = None
    planned.activity, planned.cost, planned.status = "Saluran (rencana)", Decimal(9), "rencana"
    planned.save()
    html = get(data, "admin", list_url()).content.decode()
    foot = html.split('id="inv-grand-totals"', 1)[1].split("</tfoot>", 1)[0]
    realised, plan = foot.split('class="inv-grand-rencana"')
    assert ">3<" in realised  # 1.250.000 + 750.000 + 5.000.000
    assert "Rp 7.000.000" in realised
    assert "Realisasi" in realised
    assert ">1<" in plan
    assert "Rp 9" in plan
    # The filters narrow the totals too.
    html = get(data, "admin", list_url(query="sumber=apbd")).content.decode()
    foot = html.split('id="inv-grand-totals"', 1)[1].split("</tfoot>", 1)[0]
    assert "Rp 2.000.000" in foot
    assert "inv-grand-rencana" not in foot


def test_a_list_narrowed_to_an_rt_names_it_as_people_know_it(data: dict[str, Any]) -> None:
    rt = data["rt_here"]
    html = get(data, "admin", list_url(query=f"rt={rt.pk}")).content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert f"{rt.location.code} {rt.location.name} · RT {rt.rt}" in crumbs
    assert "(lokasi " not in html


OLD_RULES = "permen-pupr-02-2016"


def observe(rt: Any, rule_set: str) -> None:
    from sikumuh.surveys.actions import save_observation
    from tests import factories

    volumes = factories.volumes_at("0.5", rule_set=rule_set)
    save_observation(
        actor=factories.ACTOR,
        rt=rt,
        tahun=2021,
        header=factories.HEADER,
        volumes=volumes,
        rule_set=rule_set,
    )


def test_the_add_form_offers_the_criteria_of_the_rule_set_the_data_use(
    data: dict[str, Any],
) -> None:
    from tests.web.test_investments_pages import create_url

    client = data["personas"].client("admin")
    html = client.get(create_url()).content.decode()
    assert 'value="2b"' in html
    assert 'value="4d"' not in html  # 2018 data only: 2018's criteria
    old, new = data["rt_here"], data["rt_there"]
    observe(old, OLD_RULES)
    observe(new, "permen-pupr-14-2018")
    html = client.get(create_url()).content.decode()
    assert 'value="4d"' in html  # 2016 data in the region: 2016's criteria too
    saved = client.post(create_url(), form_data(f"R{old.pk}", criterion="4d", tahun="2023"))
    assert saved.status_code == 302
    assert Investment.objects.filter(rt=old, criterion="4d").exists()
    # An RT whose data use 2018's rule set: the criterion is refused, naming the rule set.
    refused = client.post(create_url(), form_data(f"R{new.pk}", criterion="4d", tahun="2023"))
    assert refused.status_code == 422
    assert "Permen PUPR No. 14/PRT/M/2018" in refused.content.decode()
    # Editing an investment of the 2016 RT offers its rule set's criteria.
    inv = Investment.objects.get(rt=old, criterion="4d")
    assert 'value="4e"' in get(data, "admin", edit_url(inv)).content.decode()


def test_the_import_takes_a_criterion_of_the_rule_set_of_the_rts_data(
    data: dict[str, Any],
) -> None:
    from sikumuh.audit.actions import Actor
    from sikumuh.io.investment_file import import_investment_file

    old = data["rt_here"]
    observe(old, OLD_RULES)
    head = "kode_desa,lokasi,rt,tahun,kriteria,volume,satuan,kegiatan,sumber_dana,biaya_rp\n"
    line = f"{old.desa_id},{old.location.code},{old.rt},2023,4d,10,m,Saluran,apbd,1000\n"
    report = import_investment_file(
        (head + line).encode(), file_name="i.csv", region_code="63.01", actor=Actor.system()
    )
    assert report.errors == []
    assert report.created == 1
