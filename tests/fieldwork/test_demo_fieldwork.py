"""The demo's synthetic sosialisasi and FGD records (pure, then written by the builder)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.demo.build import build_demo
from sikumuh.demo.fieldwork import FGD_LAST, NOTE, generate_fieldwork
from sikumuh.demo.tanah_laut import generate
from sikumuh.fieldwork.models import Fgd, Sosialisasi

UJI_PETIK = dt.date(2021, 11, 4)


def test_the_demo_holds_7_sosialisasi_and_35_fgds_on_2021_working_days_before_the_uji_petik() -> (
    None
):
    data = generate()
    fieldwork = generate_fieldwork(data)
    assert len(fieldwork.sosialisasi) == 7
    assert len(fieldwork.fgd) == 35
    assert {s.kecamatan_code for s in fieldwork.sosialisasi} == set(data.sosialisasi_kecamatan)
    assert {f.desa_code for f in fieldwork.fgd} == set(data.fgd_desa)
    dates = [m.date for m in (*fieldwork.sosialisasi, *fieldwork.fgd)]
    assert all(dt.date(2021, 1, 1) <= d <= FGD_LAST < UJI_PETIK for d in dates)
    assert all(d.weekday() < 5 for d in dates)
    assert all(NOTE in m.notes for m in (*fieldwork.sosialisasi, *fieldwork.fgd))


def test_each_fgd_follows_the_sosialisasi_of_its_kecamatan() -> None:
    data = generate()
    fieldwork = generate_fieldwork(data)
    opened = {s.kecamatan_code: s.date for s in fieldwork.sosialisasi}
    kecamatan = {loc.desa_code: loc.kecamatan_code for loc in data.locations}
    assert all(
        f.date >= opened[kecamatan[f.desa_code]] + dt.timedelta(weeks=3) for f in fieldwork.fgd
    )


def test_the_same_seed_gives_the_same_records() -> None:
    assert generate_fieldwork(generate(7)) == generate_fieldwork(generate(7))


def test_building_the_demo_writes_them_once_through_the_audited_actions(
    load_regions_under: Any,
) -> None:
    load_regions_under("63.01")
    summary = build_demo(actor=Actor.system("test"))
    assert summary.fieldwork_created == 42
    assert (Sosialisasi.objects.count(), Fgd.objects.count()) == (7, 35)
    assert AuditEntry.objects.filter(action__in=["sosialisasi.create", "fgd.create"]).count() == 42
    again = build_demo(actor=Actor.system("test"))
    assert again.fieldwork_created == 0
    assert not again.changed
