"""The shared commit path: validate every row, then commit once (or not at all)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.rows import ImportReport, ObservationRow
from sikumuh.io.importer import import_rows
from sikumuh.io.models import ImportRun
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation, Score

pytestmark = pytest.mark.django_db

CODES = ("1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c",
         "5a", "5b", "6a", "6b", "7a", "7b")  # fmt: skip
HEADER = {
    "luas_ha": Decimal("1.5"),
    "jumlah_bangunan": Decimal(50),
    "jumlah_penduduk": Decimal(200),
    "jumlah_kk": Decimal(60),
    "panjang_jalan_ideal_m": Decimal(780),
    "panjang_drainase_ideal_m": Decimal(385),
}


def row(
    n: int,
    *,
    rt: str = "001",
    tahun: int = 2019,
    desa: str = "63.01.03.1001",
    share: str = "0.5",
    **overrides: Decimal | None,
) -> ObservationRow:
    """An RT whose every volume is `share` of its denominator (0.5 → all criteria 50 % → 1)."""
    from sikumuh.core.criteria import get_rule_set

    rules = get_rule_set("permen-pupr-14-2018")
    volumes: dict[str, Decimal | None] = {
        c.code: (HEADER[c.denominator] * Decimal(share)) for c in rules.criteria
    }
    volumes.update(overrides)
    return ObservationRow(
        file="rt.csv",
        row=str(n),
        kode_desa=desa,
        lokasi="L-01",
        lokasi_name="Lokasi satu",
        rt=rt,
        tahun=tahun,
        header=dict(HEADER),
        volumes=volumes,
    )


@pytest.fixture
def tanah_laut(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")


def run(rows: list[ObservationRow], **kwargs: Any) -> ImportReport:
    return import_rows(
        rows,
        actor=Actor.system("test"),
        kind="template",
        source="template",
        file_name="rt.csv",
        **kwargs,
    )


def test_a_valid_file_creates_locations_rts_observations_scores_and_audit(tanah_laut: None) -> None:
    report = run([row(2, rt="001"), row(3, rt="002"), row(4, rt="001", tahun=2021, share="0.1")])
    assert report.status == ImportRun.Status.COMMITTED
    assert (Location.objects.count(), RtUnit.objects.count(), Observation.objects.count()) == (
        1,
        2,
        3,
    )
    score = Score.objects.get(observation__tahun=2019, observation__rt__rt="001")
    assert score.total == 16  # 16 criteria at 50.00 % → score 1 each
    assert score.klass == "kumuh_ringan"
    assert score.kecamatan_code == "63.01.03"
    assert score.kabupaten_code == "63.01"
    assert Score.objects.get(observation__tahun=2021).klass == "tidak_kumuh"
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["location.create"] + ["observation.create"] * 3 + ["rt.create"] * 2
    entry = AuditEntry.objects.filter(action="observation.create").first()
    assert entry is not None
    assert entry.object_type == "surveys.observation"
    assert entry.changes["luas_ha"] == [None, "1.5"]


def test_one_invalid_row_rejects_the_file_and_names_row_column_value(tanah_laut: None) -> None:
    report = run([row(2), row(3, rt="002", **{"4a": Decimal("-1")})])
    assert report.status == ImportRun.Status.REJECTED
    assert Observation.objects.count() == 0
    assert Location.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    [problem] = report.errors
    assert (problem.file, problem.row, problem.column) == ("rt.csv", "3", "v_4a")
    assert problem.value is not None
    assert ImportRun.objects.get().status == "rejected"


def test_skip_invalid_stores_the_valid_rows_and_lists_the_rejected(tanah_laut: None) -> None:
    report = run([row(2), row(3, rt="002", **{"2a": None})], skip_invalid=True)
    assert report.status == ImportRun.Status.PARTIAL
    assert report.rejected_rows == ["3"]
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("desa", "reason"),
    [("99.99.99.9999", "unknown desa"), ("63.01.03", "unknown desa")],
)
def test_a_row_with_an_unknown_desa_is_an_error(tanah_laut: None, desa: str, reason: str) -> None:
    report = run([row(2, desa=desa)])
    assert report.status == ImportRun.Status.REJECTED
    assert reason in report.errors[0].reason


def test_a_row_outside_the_requested_region_is_an_error(tanah_laut: None) -> None:
    report = run([row(2, desa="63.01.01.2001")], region_code="63.01.03")
    assert "outside region 63.01.03" in report.errors[0].reason


def test_a_duplicate_rt_year_is_an_error_naming_the_first_row(tanah_laut: None) -> None:
    report = run([row(2), row(3)])
    assert report.errors[0].row == "3"
    assert "duplicate of row 2" in report.errors[0].reason


def test_reimporting_the_same_rows_changes_nothing(tanah_laut: None) -> None:
    run([row(2), row(3, rt="002")])
    audit_before = AuditEntry.objects.count()
    report = run([row(2), row(3, rt="002")])
    assert report.status == ImportRun.Status.UNCHANGED
    assert report.unchanged == 2
    assert AuditEntry.objects.count() == audit_before


def test_a_changed_value_updates_the_observation_rescores_and_audits_before_after(
    tanah_laut: None,
) -> None:
    run([row(2)])
    report = run([row(2, **{"2a": Decimal(780)})])
    assert report.updated == 1
    score = Score.objects.get()
    assert score.scores["2a"] == 5
    assert score.total == 20
    entry = AuditEntry.objects.get(action="observation.update")
    assert set(entry.changes) == {"volumes"}
    assert entry.changes["volumes"][0]["2a"] == "390"
    assert entry.changes["volumes"][1]["2a"] == "780"


def test_a_volume_above_its_denominator_is_kept_with_a_warning(tanah_laut: None) -> None:
    report = run([row(2, **{"3a": Decimal(61)})])
    assert report.status == ImportRun.Status.COMMITTED
    [warning] = report.warnings
    assert warning.column == "v_3a"
    score = Score.objects.get()
    assert score.scores["3a"] == 5
    assert score.warnings
