"""Checking an export's stored figures with the engine: how the 50 corrupt Pekalongan RTs are
caught, and how kawasan rows are compared with the sum of their RTs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sikumuh.io.motorkawanku import (
    Candidate,
    IntegrityReport,
    MotorkawankuData,
    check_integrity,
    compare_kawasan,
    read_motorkawanku,
)
from sikumuh.io.motorkawanku.integrity import percent_reproduced
from tests.conftest import PEKALONGAN

# `export` is the `Export` builder of tests/io/conftest.py (edit `files`, then `write()`).
Candidates = tuple[list[Candidate], list[Candidate]]
CORRUPT_RT_IDS = set(range(221, 237)) | set(range(338, 372))  # kawasan 17 and 25 (README)


def read(directory: Path, candidates: Candidates) -> MotorkawankuData:
    kecamatan, desa = candidates
    return read_motorkawanku(directory, "33.75", kecamatan=kecamatan, desa=desa)


@pytest.fixture(scope="module")
def pekalongan(pekalongan_candidates: Candidates) -> tuple[MotorkawankuData, IntegrityReport]:
    if not (PEKALONGAN / "kumuhRT.json").exists():
        pytest.skip(f"the Pekalongan data set is not at {PEKALONGAN}")
    data = read(PEKALONGAN, pekalongan_candidates)
    return data, check_integrity(data)


@pytest.mark.parametrize(
    ("fraction", "ours", "reproduced"),
    [
        ("0.7756410256410257", "77.56", True),
        ("0.12345", "12.35", True),  # exactly half-way: rounded up, 0.005 apart
        ("0.1235", "12.35", True),
        ("0.12356", "12.35", False),
        ("-0.7200591888860614", "-72.01", True),  # negative 4a volumes keep their sign
    ],
)
def test_a_stored_fraction_is_reproduced_within_half_a_hundredth_of_a_percent(
    fraction: str, ours: str, reproduced: bool
) -> None:
    assert percent_reproduced(Decimal(fraction), Decimal(ours)) is reproduced


def test_a_consistent_export_reproduces_every_cell(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    data = read(export.write(), pekalongan_candidates)
    report = check_integrity(data)
    assert report.problems == []
    assert report.cells_reproduced_consistent == 6 * 16


def test_a_shifted_score_is_an_error_naming_record_column_value_and_reason(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["kumuhRT.json"][0]["2an"] = 0.25
    report = check_integrity(read(export.write(), pekalongan_candidates))
    assert report.invalid_rows == {"1"}
    assert [str(p) for p in report.problems] == [
        (
            "kumuhRT.json, row 1, column 2an, value '0.25': RT RT001-RW002 (rtrw id 1, kawasan 1 "
            "Podosugih), 2019: stored score 0.25 is not one of 0, 1, 3, 5"
        ),
        (
            "kumuhRT.json, row 1, column totalNilai, value '16': RT RT001-RW002 (rtrw id 1, "
            "kawasan 1 Podosugih), 2019: stored total 16 ≠ sum of stored scores 16.25"
        ),
    ]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("2bn", 3, "stored score 3 but the volume gives 5 (77.56 %)"),
        ("2bp", 0.5, "stored percentage 50.0 % but the volume gives 77.56 %"),
        ("totalNilai", 20, "stored total 20 ≠ sum of stored scores 16"),
        ("tingkatKekumuhan", "KS", "stored class KS but the stored total 16 gives KR"),
        ("tingkatKekumuhan", "XX", "not a class code (KB, KS, KR, TK)"),
    ],
)
def test_each_kind_of_mismatch_invalidates_the_record(
    export: Any, pekalongan_candidates: Candidates, column: str, value: Any, reason: str
) -> None:
    export.files["kumuhRT.json"][4][column] = value
    report = check_integrity(read(export.write(), pekalongan_candidates))
    (problem, *_) = report.problems  # a changed score also breaks the total
    assert (problem.row, problem.column, problem.severity) == ("5", column, "error")
    assert problem.reason.endswith(reason)
    assert report.invalid_rt_ids == {2}


def test_a_negative_volume_stored_consistently_is_left_to_the_engine_to_refuse(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    record = export.files["kumuhRT.json"][0]
    record.update({"4av": -0.611192, "4ap": -0.611192 / 1.5, "4an": 0})
    report = check_integrity(read(export.write(), pekalongan_candidates))
    assert report.problems == []
    assert list(report.engine_rejections) == ["negative volume in 4a"]


def test_kawasan_rows_are_compared_with_the_sum_of_their_rts(
    export: Any, pekalongan_candidates: Candidates
) -> None:
    export.files["kumuhKawasan.json"][0]["2bv"] = 1000
    data = read(export.write(), pekalongan_candidates)
    comparison = compare_kawasan(data, check_integrity(data))
    assert (comparison.kawasan_years_compared, comparison.cells_compared) == (2, 32)
    (cell,) = comparison.differences
    assert cell["kawasan"] == 1
    assert (cell["tahun"], cell["criterion"]) == (2019, "2b")
    assert cell["stored"]["volume"] == "1000.000000"
    assert cell["computed"] == {"volume": "1210.000000", "percent": "77.56", "score": 5}
    assert comparison.per_year == {2019: 1}
    assert [(n["kawasan"], n["tahun"], n["reason"]) for n in comparison.not_compared] == [
        (1, 2020, "no stored kawasan row"),
        (2, 2020, "no stored kawasan row"),
    ]


def test_pekalongan_has_exactly_250_invalid_records_the_50_corrupt_rts_in_every_year(
    pekalongan: tuple[MotorkawankuData, IntegrityReport],
) -> None:
    _, report = pekalongan
    assert len(report.invalid_rows) == 250
    assert report.invalid_rt_ids == CORRUPT_RT_IDS
    invalid = [c for c in report.checks if not c.consistent]
    assert {c.record.tahun for c in invalid} == {2019, 2020, 2021, 2022, 2023}
    assert all(p.severity == "error" and p.file == "kumuhRT.json" for p in report.problems)


def test_pekalongan_every_cell_of_the_382_other_rts_is_reproduced(
    pekalongan: tuple[MotorkawankuData, IntegrityReport],
) -> None:
    _, report = pekalongan
    assert len(report.consistent) == 382 * 5
    assert report.cells_reproduced_consistent == 30_560


def test_pekalongan_six_negative_4a_volumes_are_consistent_but_refused_by_the_engine(
    pekalongan: tuple[MotorkawankuData, IntegrityReport],
) -> None:
    data, report = pekalongan
    (reason, checks), *others = report.engine_rejections.items()
    assert (reason, others) == ("negative volume in 4a", [])
    assert sorted((c.record.rt_id, c.record.tahun) for c in checks) == [
        (1, 2019),
        (1, 2020),
        (3, 2019),
        (3, 2020),
        (6, 2019),
        (6, 2020),
    ]
    # Their cells are still reproduced: a negative percentage scores 0, as stored.
    assert all(c.cells_reproduced == 16 for c in checks)
    assert report.as_dict(data)["engine_rejections"][reason][0]["volumes"] == {"4a": "-0.611192"}


def test_pekalongan_40_percentages_above_100_are_kept_with_a_warning(
    pekalongan: tuple[MotorkawankuData, IntegrityReport],
) -> None:
    _, report = pekalongan
    assert report.warnings_by_code == {"volume_above_denominator": 40}


def test_pekalongan_kawasan_rows_differ_from_their_rts_in_16_cells_in_2019(
    pekalongan: tuple[MotorkawankuData, IntegrityReport],
) -> None:
    data, report = pekalongan
    comparison = compare_kawasan(data, report)
    assert comparison.per_year == {2019: 16, 2020: 17, 2021: 65, 2022: 85, 2023: 91}
    assert comparison.kawasan_years_compared == 25 * 5
    assert comparison.cells_compared == 25 * 5 * 16
    assert {(n["kawasan"], n["reason"]) for n in comparison.not_compared} == {
        (17, "16 of 16 RT records fail the integrity check"),
        (25, "34 of 34 RT records fail the integrity check"),
    }
