"""Every object page shows who changed what, field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.slums.models import Location
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.location_actions import update_location
from sikumuh.surveys.models import Observation
from tests.conftest import Personas
from tests.web.test_dashboard_support import SARANG_HALANG, demo, demo_module, location_in

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures used by name below


def test_the_location_page_shows_a_renamed_location_with_before_and_after(demo: Personas) -> None:
    location: Location = location_in(SARANG_HALANG)
    old = location.name
    update_location(actor=Actor.of(demo["admin"]), location=location, name="Kampung Baru")
    text = demo.client("facilitator").get(f"/lokasi/{location.pk}/").content.decode()
    assert "Kampung Baru" in text
    assert old in text  # the before value in the history panel
    assert "admin" in text


def test_the_rt_page_shows_a_changed_volume_with_before_and_after(demo: Personas) -> None:
    obs = Observation.objects.filter(rt__desa_id=SARANG_HALANG).order_by("id").first()
    assert obs is not None
    volumes = {k: (Decimal(v) if v is not None else None) for k, v in obs.volumes.items()}
    header = {
        name: getattr(obs, name)
        for name in (
            "luas_ha",
            "jumlah_bangunan",
            "jumlah_penduduk",
            "jumlah_kk",
            "panjang_jalan_ideal_m",
            "panjang_drainase_ideal_m",
        )
    }
    volumes["3a"] = Decimal("7")
    save_observation(
        actor=Actor.of(demo["facilitator"]),
        rt=obs.rt,
        tahun=obs.tahun,
        header=header,
        volumes=volumes,
    )
    text = demo.client("viewer").get(f"/rt/{obs.rt_id}/?tahun={obs.tahun}").content.decode()
    assert "Volume 3a" in text
    assert "facilitator" in text
