"""The criteria catalogue and rule sets match criteria.md §2–§4 and Permen PUPR 02/2016."""

from __future__ import annotations

import pytest

from sikumuh.core.criteria import (
    CLASS_ORDER,
    DEFAULT_RULE_SET_ID,
    HEADER_FIELDS,
    PERMEN_PUPR_02_2016,
    PERMEN_PUPR_14_2018,
    RULE_SETS,
    Criterion,
    RuleSet,
    SlumClass,
    UnknownRuleSet,
    get_rule_set,
)

# criteria.md §2, copied by hand: code, aspect, name, denominator.
CRITERIA_2018 = [
    ("1a", 1, "Ketidakteraturan bangunan", "jumlah_bangunan"),
    ("1b", 1, "Kepadatan bangunan tinggi tidak sesuai ketentuan tata ruang", "luas_ha"),
    ("1c", 1, "Ketidaksesuaian dengan persyaratan teknis bangunan", "jumlah_bangunan"),
    ("2a", 2, "Cakupan pelayanan jalan lingkungan tidak memadai", "panjang_jalan_ideal_m"),
    ("2b", 2, "Kualitas permukaan jalan lingkungan buruk", "panjang_jalan_ideal_m"),
    ("3a", 3, "Ketidaktersediaan akses aman air minum", "jumlah_kk"),
    ("3b", 3, "Tidak terpenuhinya kebutuhan air minum minimal", "jumlah_kk"),
    ("4a", 4, "Ketidakmampuan mengalirkan limpasan air", "luas_ha"),
    ("4b", 4, "Ketidaktersediaan drainase", "panjang_drainase_ideal_m"),
    ("4c", 4, "Kualitas konstruksi drainase buruk", "panjang_drainase_ideal_m"),
    ("5a", 5, "Sistem pengelolaan air limbah tidak sesuai standar teknis", "jumlah_kk"),
    ("5b", 5, "Prasarana dan sarana air limbah tidak sesuai persyaratan teknis", "jumlah_kk"),
    ("6a", 6, "Prasarana dan sarana persampahan tidak sesuai persyaratan teknis", "jumlah_kk"),
    ("6b", 6, "Sistem pengelolaan persampahan tidak sesuai standar teknis", "jumlah_kk"),
    ("7a", 7, "Ketidaktersediaan prasarana proteksi kebakaran", "jumlah_bangunan"),
    ("7b", 7, "Ketidaktersediaan sarana proteksi kebakaran", "jumlah_bangunan"),
]


@pytest.mark.parametrize(
    ("code", "aspect", "name", "denominator"), CRITERIA_2018, ids=[c[0] for c in CRITERIA_2018]
)
def test_each_2018_criterion_has_its_name_aspect_and_denominator(
    code: str, aspect: int, name: str, denominator: str
) -> None:
    criterion = PERMEN_PUPR_14_2018.criterion(code)
    assert (criterion.aspect, criterion.name, criterion.denominator) == (aspect, name, denominator)


def test_the_2018_rule_set_has_16_criteria_in_code_order_and_max_80() -> None:
    assert PERMEN_PUPR_14_2018.codes == tuple(c[0] for c in CRITERIA_2018)
    assert PERMEN_PUPR_14_2018.max_total == 80
    assert list(PERMEN_PUPR_14_2018.aspects) == [1, 2, 3, 4, 5, 6, 7]
    assert PERMEN_PUPR_14_2018.aspects[4][0].aspect_name == "Drainase lingkungan"


def test_the_2016_rule_set_adds_4d_4e_6c_and_has_max_95() -> None:
    rule_set = PERMEN_PUPR_02_2016
    assert len(rule_set.criteria) == 19
    assert rule_set.max_total == 95
    assert " ".join(rule_set.codes) == "1a 1b 1c 2a 2b 3a 3b 4a 4b 4c 4d 4e 5a 5b 6a 6b 6c 7a 7b"
    extra = {c.code: (c.name, c.denominator) for c in rule_set.criteria}
    assert extra["4d"] == (
        "Tidak terhubung dengan sistem drainase perkotaan",
        "panjang_drainase_ideal_m",
    )
    assert extra["4e"] == ("Tidak terpeliharanya drainase", "panjang_drainase_ideal_m")
    assert extra["6c"] == ("Tidak terpeliharanya sarana dan prasarana persampahan", "jumlah_kk")
    assert [c.code for c in rule_set.aspects[4]] == ["4a", "4b", "4c", "4d", "4e"]


def test_rule_sets_are_found_by_id_and_the_default_is_2018() -> None:
    assert DEFAULT_RULE_SET_ID == "permen-pupr-14-2018"
    assert get_rule_set() is PERMEN_PUPR_14_2018
    assert get_rule_set("permen-pupr-02-2016") is PERMEN_PUPR_02_2016
    assert set(RULE_SETS) == {"permen-pupr-14-2018", "permen-pupr-02-2016"}


def test_an_unknown_rule_set_id_raises_a_key_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownRuleSet) as caught:
        get_rule_set("permen-pupr-99-2030")
    assert isinstance(caught.value, KeyError)
    assert "permen-pupr-99-2030" in str(caught.value)
    assert "permen-pupr-14-2018" in str(caught.value)


def test_an_unknown_criterion_code_raises_key_error() -> None:
    with pytest.raises(KeyError, match="4d"):
        PERMEN_PUPR_14_2018.criterion("4d")


def test_a_criterion_must_divide_by_a_header_field() -> None:
    with pytest.raises(ValueError, match="denominator"):
        Criterion("9a", 9, "x", "x", "luas_m2", "m2")


@pytest.mark.parametrize(
    ("criteria", "score_bands", "message"),
    [
        pytest.param(
            (PERMEN_PUPR_14_2018.criteria[1], PERMEN_PUPR_14_2018.criteria[0]),
            ((7600, 5),),
            "ordered by code",
            id="criteria-out-of-order",
        ),
        pytest.param(
            PERMEN_PUPR_14_2018.criteria[:2],
            ((2500, 1), (7600, 5)),
            "highest first",
            id="bands-out-of-order",
        ),
    ],
)
def test_a_malformed_rule_set_is_refused(
    criteria: tuple[Criterion, ...], score_bands: tuple[tuple[int, int], ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RuleSet("x", "x", criteria, score_bands, ((1, SlumClass.RINGAN),))


@pytest.mark.parametrize(
    ("klass", "label_id", "label_en", "short"),
    [
        (SlumClass.BERAT, "Kumuh Berat", "Heavy slum", "KB"),
        (SlumClass.SEDANG, "Kumuh Sedang", "Medium slum", "KS"),
        (SlumClass.RINGAN, "Kumuh Ringan", "Light slum", "KR"),
        (SlumClass.TIDAK_KUMUH, "Tidak Kumuh", "Not a slum", "TK"),
    ],
    ids=lambda v: str(v),
)
def test_slum_classes_have_labels_and_programme_short_codes(
    klass: SlumClass, label_id: str, label_en: str, short: str
) -> None:
    assert (klass.label_id, klass.label_en, klass.short_code) == (label_id, label_en, short)
    assert SlumClass.from_short_code(short.lower()) is klass


def test_an_unknown_short_code_is_refused() -> None:
    with pytest.raises(ValueError, match="XX"):
        SlumClass.from_short_code("XX")


def test_class_order_is_heaviest_first_and_header_fields_are_the_six_denominators() -> None:
    assert CLASS_ORDER[0] is SlumClass.BERAT
    assert CLASS_ORDER[-1] is SlumClass.TIDAK_KUMUH
    assert len(HEADER_FIELDS) == 6
