"""The readers' and the engine's English reasons as a person reads them: Bahasa Indonesia, with
the row's values in the Indonesian number format (issue 12)."""

from __future__ import annotations

import pytest
from django.utils import translation

from sikumuh.core.rows import Problem
from sikumuh.io.reasons import number_text, translated, translated_reason


@pytest.fixture(autouse=True)
def indonesian() -> object:
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("-10.000000", "-10"),
        ("7.30000000000000", "7,3"),
        ("184.920000000000", "184,92"),
        ("1250000.500000", "1.250.000,5"),
        ("0.000000", "0"),
        ("12", "12"),
        ("1,5", "1,5"),  # a cell as written is not a number of ours: kept
        ("abc", "abc"),
    ],
)
def test_numbers_are_written_the_indonesian_way(text: str, shown: str) -> None:
    assert number_text(text) == shown


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        (
            (
                "Criterion 1a: volume -10.000000 is negative; a volume counts what is in bad "
                "condition and cannot be below zero."
            ),
            "kriteria 1a: volume -10 negatif; volume menghitung yang berkondisi buruk",
        ),
        (
            (
                "Criterion 2a: volume 120.500000 is above its denominator panjang_jalan_ideal_m = "
                "100.000000; the percentage is above 100 and scores 5."
            ),
            (
                "kriteria 2a: volume 120,5 melebihi panjang_jalan_ideal_m = 100; "
                "diberi nilai 5 dan ditandai"
            ),
        ),
        ("required column is missing", "kolom wajib tidak ada"),
        ("a count must be a whole number, 0 or more", "jumlah harus bilangan bulat, 0 atau lebih"),
        ("empty; required", "kosong; wajib diisi"),
        ("unknown column; it is ignored", "kolom tidak dikenal; diabaikan"),
        ("outside region 63.01.03", "di luar wilayah 63.01.03"),
        (
            "duplicate of row 12 (same kode_desa, lokasi, rt, tahun)",
            "RT dan tahun yang sama dengan baris 12",
        ),
        ("year outside 2000–2100", "tahun di luar 2000–2100"),
        ("decimal comma in a file read with a decimal point", "koma desimal dalam berkas"),
        ("v_1a is given too; give the volume or the percentage, not both", "v_1a juga diisi"),
        ("unknown rule set; known: a, b", "aturan penilaian tidak dikenal; yang dikenal: a, b"),
        ("a reason we do not know", "a reason we do not know"),
    ],
)
def test_every_known_reason_is_translated(english: str, indonesian: str) -> None:
    assert translated_reason(english).startswith(indonesian)


def test_a_problem_shows_the_engines_value_in_indonesian_and_a_cell_as_written() -> None:
    engine = Problem("t.csv", "3", "v_1a", "-10.000000", "required column is missing")
    cell = Problem("t.csv", "3", "jumlah_kk", "60.5", "a count must be a whole number, 0 or more")
    assert translated(engine).value == "-10"
    assert translated(cell).value == "60.5"
    assert translated(cell).reason == "jumlah harus bilangan bulat, 0 atau lebih"
