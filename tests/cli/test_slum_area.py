from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.cli import main
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.surveys.actions import save_observation
from tests.factories import ACTOR, header, location, rt, volumes_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")
    loc = location()
    create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="SK-1",
        year=2019,
        entries=[(loc, Decimal("4.00"))],
    )
    for number, luas, share_2019, share_2021 in [
        ("001", "1.50", "0.8", "0.1"),
        ("002", "2.50", "0.5", "0.5"),
    ]:
        unit = rt(loc, number)
        for tahun, share in ((2019, share_2019), (2021, share_2021)):
            h = header(luas)
            save_observation(
                actor=ACTOR, rt=unit, tahun=tahun, header=h, volumes=volumes_at(share, h)
            )


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_slum_area_as_json_gives_every_year_with_both_reductions(data: None) -> None:
    code, out, _ = call("slum-area", "--region", "63.01.03", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["region"] == "63.01.03"
    assert set(report["years"]) == {"2019", "2021"}
    y2019, y2021 = report["years"]["2019"], report["years"]["2021"]
    assert (y2019["slum_ha"], y2019["assessed_ha"]) == (4.0, 4.0)
    assert y2021["slum_ha"] == 2.5
    assert y2021["by_class"]["tidak_kumuh"] == {"ha": 1.5, "rt": 1}
    assert y2021["reduction_vs_baseline"]["percent"] == 37.5
    assert y2021["reduction_vs_sk"]["base_ha"] == 4.0
    assert y2021["reduction_vs_sk"]["percent"] == 37.5


def test_slum_area_as_text_names_each_percentage_base(data: None) -> None:
    code, out, _ = call("slum-area", "--region", "63.01.03")
    assert code == 0
    assert "2019: kumuh 4,00 ha dari 4,00 ha yang dinilai [" in out
    assert "pengurangan 1,50 ha = 37,50 % dari luas kumuh 63.01.03 tahun 2019 (4,00 ha)" in out
    assert "Tidak Kumuh 1,50 ha / 1 RT" in out  # classes by their names, not their codes
    assert "lengkap: " in out


def test_an_unknown_region_is_one_clear_error_line(data: None) -> None:
    code, out, err = call("slum-area", "--region", "99.99")
    assert code == 2
    assert err.strip() == "sikumuh: kesalahan: kode wilayah 99.99 tidak dikenal"
    assert out == ""
