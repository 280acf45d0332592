"""`import_simkotaku` on the quirks of real SIM KOTAKU exports that the data README does not
describe (checked against exports of Kota Ambon and Kabupaten Kebumen; the fixtures here are
made up and only reproduce the quirks): `luas_awal` is the slum area inside the RT and becomes
the RT's area, so the slum hectares are SIM KOTAKU's; negative percentages may be scored as 0;
an RT exported in two parts is one RT.

Runs on the test database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape

from sikumuh.audit.actions import Actor
from sikumuh.core.geometry import geodesic_area_ha
from sikumuh.core.rows import ImportReport
from sikumuh.io.simkotaku import RULE_SET_ID, import_simkotaku
from sikumuh.regions.models import Region
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.scoring import score_values
from sikumuh.surveys.selectors import slum_area
from tests.io.geo_files import square
from tests.io.simkotaku_files import Export, profil_properties, slum_ha, status_properties

pytestmark = pytest.mark.django_db


def _import(profil: Path, status: Path | None = None, **options: Any) -> ImportReport:
    return import_simkotaku(profil, status, region_code="33.75", actor=Actor.system(), **options)


def _slum_ha(tahun: int = 2020) -> Decimal:
    [year] = [y for y in slum_area("33.75").years if y.tahun == tahun]
    return year.slum_ha


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".zip"])
def test_slum_hectares_are_sim_kotakus_sum_of_luas_awal_over_the_kumuh_rts(
    kota_pekalongan: Region, tmp_path: Path, suffix: str
) -> None:
    export = Export(tmp_path)
    export.rts[2].luas_awal = "0.001"  # a placeholder: SIM KOTAKU counts it as it is
    export.rts[3].luas_awal = "0.5"  # Tidak Kumuh with an area: not slum hectares
    report = _import(export.write_profil(suffix), export.write_status(suffix))
    assert report.status == "committed", report.errors
    expected = slum_ha(export.rts, export.status)
    assert expected == Decimal("0.73") * 2 + Decimal("0.001")  # 60 % of 2 outlines of 1.22 ha
    assert _slum_ha() == expected
    stored = dict(Observation.objects.values_list("rt__rt", "luas_ha"))
    assert stored == {
        "RT001-RW002": Decimal("0.73"),
        "RT003-RW001": Decimal("0.73"),
        "RT002-RW005": Decimal("0.001"),
        "RT010-RW003": Decimal("0.5"),
    }


def test_without_a_status_layer_an_rt_keeps_its_outlines_area(
    kota_pekalongan: Region, tmp_path: Path
) -> None:
    export = Export(tmp_path)
    _import(export.write_profil(".geojson"))
    assert Observation.objects.get(rt__rt="RT001-RW002").luas_ha == Decimal("1.2223")


@pytest.mark.parametrize(
    ("suffix", "luas_awal", "expected"),
    [
        (".geojson", None, []),  # 60 % of the outline, as real exports have
        (".geojson", "1.22", []),  # the outline's own area
        (".geojson", "1.24", []),  # 1.6 % larger: within the tolerance
        (".geojson", "1.83", [("1.83", "1.2223", "warning", "lebih besar dari batas RT")]),
        (".geojson", "0.001", [("0.001", None, "warning", "angka pengganti")]),
        (".csv", "0.001", [("0.001", None, "warning", "angka pengganti")]),
        (".csv", "1.83", []),  # no outline to compare with
        (".geojson", "luas", [("luas", None, "error", "bukan luas")]),
        (".geojson", "-1", [("-1", None, "error", "bukan luas")]),
    ],
)
def test_luas_awal_is_checked_only_as_an_upper_bound_and_a_placeholder_warned(
    kota_pekalongan: Region,
    tmp_path: Path,
    suffix: str,
    luas_awal: str | None,
    expected: list[tuple[str, str | None, str, str]],
) -> None:
    export = Export(tmp_path)
    export.rts[0].luas_awal = luas_awal
    report = _import(export.write_profil(suffix), export.write_status(suffix))
    found = [
        (d["stated"], d["computed"], d["severity"], d["note"])
        for d in report.extra["status_differences"]
    ]
    assert [(s, c, v) for s, c, v, _n in found] == [(s, c, v) for s, c, v, _n in expected]
    for (*_f, note), (*_e, words) in zip(found, expected, strict=True):
        assert words in note
    assert all(d["kode_rtrw"] == "33750108-RT001-RW002" for d in report.extra["status_differences"])


def _negatives(export: Export) -> dict[str, str]:
    export.rts[1].percents.update({"4a": "-100.0", "2b": "-6.67"})
    return {"4a": "0", "2b": "0"}


@pytest.mark.parametrize(
    ("negatives_as_zero", "status", "created", "severity"),
    [(False, "rejected", 0, "error"), (True, "committed", 4, "warning")],
)
def test_negative_percentages_are_errors_unless_scored_as_zero_as_sim_kotaku_does(
    kota_pekalongan: Region,
    tmp_path: Path,
    negatives_as_zero: bool,
    status: str,
    created: int,
    severity: str,
) -> None:
    export = Export(tmp_path)
    zeros = _negatives(export)
    report = _import(export.write_profil(".csv"), negatives_as_zero=negatives_as_zero)
    assert (report.status, report.created) == (status, created)
    found = sorted(
        (p.severity, p.row, p.column, p.value)
        for p in [*report.errors, *report.warnings]
        if p.column in ("k2_b_p", "k4_a_p")
    )
    assert found == [(severity, "3", "k2_b_p", "-6.67"), (severity, "3", "k4_a_p", "-100.0")]
    if not negatives_as_zero:
        return
    obs = Observation.objects.get(rt__rt="RT003-RW001")
    assert (obs.percents["4a"], obs.percents["2b"]) == ("0", "0")
    percents = {code: Decimal(export.rts[1].value(code)) for code in obs.percents}
    expected = score_values(
        header={},
        volumes={},
        percents={**percents, **{c: Decimal(v) for c, v in zeros.items()}},
        rule_set_id=RULE_SET_ID,
    )
    score = Score.objects.get(observation=obs)
    assert (score.total, score.klass) == (expected.total, str(expected.klass))


def _two_parts(export: Export, *, same: bool) -> list[tuple[dict[str, Any], Any]]:
    """The profil features with RT 1 again as a second part east of the first (FID differs)."""
    rt = export.rts[0]
    second = profil_properties(rt, 4)
    if not same:
        second["k1_a_p"] = "55"
    return [*export.profil_features(), (second, square(rt.lon + 0.001, rt.lat, 0.001))]


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_an_rt_in_two_parts_of_the_same_attributes_is_one_rt_with_both_outlines(
    kota_pekalongan: Region, tmp_path: Path, suffix: str
) -> None:
    export = Export(tmp_path)
    profil = export.write(f"profil{suffix}", _two_parts(export, same=True))
    rt = export.rts[0]
    status_features = [
        *export.status_features(),
        (status_properties(rt, 4, 95, "Kumuh Berat", kum="kumuh"), rt.geometry),
    ]
    status = export.write(f"status{suffix}", status_features)
    report = _import(profil, status)
    assert (report.status, report.created, report.rejected_rows) == ("committed", 4, [])
    [joined] = [w for w in report.warnings if w.column == "Kode_RTRW"]
    first, second = ("1", "5") if suffix == ".geojson" else ("2", "6")
    assert (joined.row, joined.value) == (first, rt.kode_rtrw)
    assert f"{first}, {second}" in joined.reason
    differences = report.extra["status_differences"]
    assert [(d["row"], d["severity"]) for d in differences] == [(first, "warning")]
    assert _slum_ha() == slum_ha(export.rts, export.status)  # the RT counted once
    polygon = RtUnit.objects.get(rt="RT001-RW002").polygon
    if suffix == ".csv":
        assert polygon is None
    else:
        both = geodesic_area_ha(rt.geometry) + geodesic_area_ha(
            square(rt.lon + 0.001, rt.lat, 0.001)
        )
        assert geodesic_area_ha(shape(polygon)) == pytest.approx(both, rel=1e-6)


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_an_rt_given_twice_with_other_attributes_is_refused_naming_both_rows(
    kota_pekalongan: Region, tmp_path: Path, suffix: str
) -> None:
    export = Export(tmp_path)
    report = _import(export.write(f"profil{suffix}", _two_parts(export, same=False)))
    assert report.status == "rejected"
    [error] = report.errors
    first, second = ("1", "5") if suffix == ".geojson" else ("2", "6")
    assert (error.row, error.column, error.value) == (second, "rt", "RT001-RW002")
    assert first in error.reason
