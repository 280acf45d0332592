"""The mapping of a foreign layer's attributes: guessed from the usual names (DBF-cut ones too),
written on the command line, checked against the layer; slum classes as layers write them."""

from __future__ import annotations

import pytest

from sikumuh.core.criteria import SlumClass
from sikumuh.io.geo.layer_mapping import (
    MappingError,
    guess_mapping,
    mapping_problems,
    parse_class,
    parse_mapping,
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            ["Nm_Lokasi", "DESA", "KEC", "TINGKAT_KUMUH", "LUAS_HA"],
            {
                "name": "Nm_Lokasi",
                "desa": "DESA",
                "kecamatan": "KEC",
                "class": "TINGKAT_KUMUH",
                "ha": "LUAS_HA",
            },
        ),
        (
            ["NAMA_LOKASI", "KELURAHAN", "KECAMATAN", "KLASIFIKASI", "LUAS"],
            {
                "name": "NAMA_LOKASI",
                "desa": "KELURAHAN",
                "kecamatan": "KECAMATAN",
                "class": "KLASIFIKASI",
                "ha": "LUAS",
            },
        ),
        # A Shapefile's DBF keeps 10 letters of a name.
        (
            ["OBJECTID", "NAMA_LOKAS", "DESA_KEL", "KECAMATAN", "KLASIFIKAS", "LUAS_HA"],
            {
                "name": "NAMA_LOKAS",
                "desa": "DESA_KEL",
                "kecamatan": "KECAMATAN",
                "class": "KLASIFIKAS",
                "ha": "LUAS_HA",
            },
        ),
        (
            ["KODE_LOKASI", "NAMA", "Desa", "Luas Ha"],
            {"code": "KODE_LOKASI", "name": "NAMA", "desa": "Desa", "ha": "Luas Ha"},
        ),
        (["id", "Name", "description", "NAMA", "KEL"], {"name": "NAMA", "desa": "KEL"}),
        (["fid", "shape_area"], {}),
    ],
)
def test_the_mapping_is_guessed_from_the_usual_names(
    fields: list[str], expected: dict[str, str]
) -> None:
    assert guess_mapping(fields) == expected


def test_a_mapping_is_written_role_equals_attribute() -> None:
    assert parse_mapping("name=Nm_Lokasi, desa=DESA,ha=LUAS_HA") == {
        "name": "Nm_Lokasi",
        "desa": "DESA",
        "ha": "LUAS_HA",
    }
    assert parse_mapping("") == {}


@pytest.mark.parametrize("text", ["nama=X", "name", "name=", "desa=DESA,luas=LUAS"])
def test_a_mapping_that_is_not_role_equals_attribute_is_refused(text: str) -> None:
    with pytest.raises(MappingError):
        parse_mapping(text)


def test_a_mapping_is_checked_against_the_layer() -> None:
    fields = ["NAMA", "DESA", "LUAS"]
    assert mapping_problems({"name": "NAMA", "desa": "DESA"}, fields) == []
    problems = mapping_problems({"name": "NAMA", "ha": "LUAS_HA", "class": "NAMA"}, fields)
    assert len(problems) == 3  # desa missing, LUAS_HA unknown, NAMA twice
    assert any("LUAS_HA" in p for p in problems)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Kumuh Berat", SlumClass.BERAT),
        ("SEDANG", SlumClass.SEDANG),
        ("kumuh ringan", SlumClass.RINGAN),
        ("KS", SlumClass.SEDANG),
        ("Tidak jelas", None),
        (None, None),
    ],
)
def test_slum_classes_are_read_as_layers_write_them(value: str | None, expected: object) -> None:
    assert parse_class(value) == expected
