"""Placing motorkawanku's kawasan names in Kemendagri kelurahan, and saying how each was placed."""

from __future__ import annotations

import pytest

from sikumuh.io.motorkawanku.names import (
    Candidate,
    Method,
    match_name,
    resolve_kawasan,
    squash,
    words,
)

KEC = [
    Candidate("33.75.01", "Pekalongan Barat"),
    Candidate("33.75.02", "Pekalongan Timur"),
    Candidate("33.75.04", "Pekalongan Selatan"),
]
DESA = [
    Candidate("33.75.01.1004", "Sapuro Kebulen", "33.75.01"),
    Candidate("33.75.01.1006", "Bendan Kergon", "33.75.01"),
    Candidate("33.75.01.1008", "Pasirkratonkramat", "33.75.01"),
    Candidate("33.75.01.1009", "Tirto", "33.75.01"),
    Candidate("33.75.02.1002", "Noyontaansari", "33.75.02"),
    Candidate("33.75.02.1012", "Kali Baros", "33.75.02"),
    Candidate("33.75.04.1006", "Kuripan Kertoharjo", "33.75.04"),
    Candidate("33.75.04.1008", "Kuripan Yosorejo", "33.75.04"),
    Candidate("33.75.04.1010", "Sokoduwet", "33.75.04"),
]


def test_words_ignore_case_punctuation_and_kind_words() -> None:
    assert words("Kel. Pasir-Kraton  KRAMAT") == ["pasir", "kraton", "kramat"]
    assert squash("Pasir Kraton Kramat") == squash("Pasirkratonkramat") == "pasirkratonkramat"


@pytest.mark.parametrize(
    ("name", "code", "method"),
    [
        ("Tirto", "33.75.01.1009", Method.EXACT),
        ("Pasir Kraton Kramat", "33.75.01.1008", Method.NORMALISED),
        ("kali-baros", "33.75.02.1012", Method.NORMALISED),
        ("Kalibaros", "33.75.02.1012", Method.NORMALISED),
        ("Kelurahan Tirto", "33.75.01.1009", Method.NORMALISED),
        ("Yosorejo", "33.75.04.1008", Method.ALL_PARTS),
        ("Sapuro", "33.75.01.1004", Method.ALL_PARTS),
        ("Bendan Kergon Baru", "33.75.01.1006", Method.ALL_PARTS),
        ("Sekoduwet", "33.75.04.1010", Method.SIMILAR),
        ("Noyotaansari", "33.75.02.1002", Method.SIMILAR),
        ("Kuripan", "33.75.04.1006", Method.SHARED_WORD),
        ("Medono", None, Method.UNRESOLVED),
        ("", None, Method.UNRESOLVED),
    ],
)
def test_a_name_resolves_by_the_most_certain_method_that_finds_one_candidate(
    name: str, code: str | None, method: Method
) -> None:
    match = match_name(name, DESA)
    assert (match.candidate.code if match.candidate else None, match.method) == (code, method)


def test_a_shared_word_guess_names_every_candidate_it_chose_among() -> None:
    match = match_name("Kuripan", DESA)
    assert "Kuripan Kertoharjo (33.75.04.1006), Kuripan Yosorejo (33.75.04.1008)" in match.note


def test_a_kawasan_is_placed_in_a_kelurahan_of_its_own_kecamatan() -> None:
    res = resolve_kawasan(9, "Kuripan Yosorejo", "Pekalongan Selatan", kecamatan=KEC, desa=DESA)
    assert (res.kecamatan_code, res.kode_desa, res.method) == (
        "33.75.04",
        "33.75.04.1008",
        Method.EXACT,
    )
    assert res.resolved
    assert str(res) == (
        "kawasan 9 'Kuripan Yosorejo' (Pekalongan Selatan) → 33.75.04.1008 Kuripan Yosorejo [exact]"
    )


def test_a_kelurahan_of_another_kecamatan_is_not_taken() -> None:
    res = resolve_kawasan(1, "Tirto", "Pekalongan Timur", kecamatan=KEC, desa=DESA)
    assert not res.resolved
    assert res.method == Method.UNRESOLVED
    assert "not resolved" in str(res)


def test_an_unknown_kecamatan_widens_the_search_to_the_kota_for_certain_matches_only() -> None:
    found = resolve_kawasan(1, "Pasir Kraton Kramat", "Pekalongan Tengah", kecamatan=KEC, desa=DESA)
    assert (found.kode_desa, found.kecamatan_code, found.method) == (
        "33.75.01.1008",
        "33.75.01",
        Method.NORMALISED,
    )
    assert "kecamatan 'Pekalongan Tengah' not found" in found.note
    guessed = resolve_kawasan(2, "Kuripan", "Pekalongan Tengah", kecamatan=KEC, desa=DESA)
    assert not guessed.resolved


def test_a_resolution_is_reported_as_plain_data() -> None:
    res = resolve_kawasan(6, "Pasir Kraton Kramat", "Pekalongan Barat", kecamatan=KEC, desa=DESA)
    assert res.as_dict() == {
        "kawasan_id": 6,
        "kawasan": "Pasir Kraton Kramat",
        "wilayah": "Pekalongan Barat",
        "kecamatan_code": "33.75.01",
        "kecamatan_name": "Pekalongan Barat",
        "kode_desa": "33.75.01.1008",
        "desa_name": "Pasirkratonkramat",
        "method": "normalised",
        "note": "",
    }
