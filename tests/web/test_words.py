"""The template words of issue 12: times in the region's own zone, labels for codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from sikumuh.regions.timezones import PROVINCE_ZONES, zone_of
from sikumuh.web.templatetags.words import label, waktu

MOMENT = dt.datetime(2026, 12, 7, 11, 27, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def indonesian() -> object:
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("63.01", "7 Desember 2026 19.27 WITA"),  # Kalimantan Selatan
        ("63.01.03.1001", "7 Desember 2026 19.27 WITA"),
        ("61.01", "7 Desember 2026 18.27 WIB"),  # Kalimantan Barat
        ("62", "7 Desember 2026 18.27 WIB"),  # Kalimantan Tengah
        ("64.01", "7 Desember 2026 19.27 WITA"),  # Kalimantan Timur
        ("65", "7 Desember 2026 19.27 WITA"),  # Kalimantan Utara
        ("31.71", "7 Desember 2026 18.27 WIB"),  # DKI Jakarta
        ("11", "7 Desember 2026 18.27 WIB"),  # Aceh
        ("51.71", "7 Desember 2026 19.27 WITA"),  # Bali
        ("53", "7 Desember 2026 19.27 WITA"),  # NTT
        ("73.71", "7 Desember 2026 19.27 WITA"),  # Sulawesi Selatan
        ("81", "7 Desember 2026 20.27 WIT"),  # Maluku
        ("94", "7 Desember 2026 20.27 WIT"),  # Papua Tengah
        ("ID", "7 Desember 2026 18.27 WIB"),  # the nation: the server's zone (Asia/Jakarta)
        (None, "7 Desember 2026 18.27 WIB"),
    ],
)
def test_a_moment_is_shown_in_the_regions_zone(code: str | None, shown: str) -> None:
    assert waktu(MOMENT, code) == shown


def test_every_province_has_one_of_the_three_zones() -> None:
    assert len(PROVINCE_ZONES) == 38  # the provinces of Indonesia since 2022
    assert {z.abbreviation for z in PROVINCE_ZONES.values()} == {"WIB", "WITA", "WIT"}
    assert zone_of("99") is None


def test_no_moment_is_a_dash() -> None:
    assert waktu(None, "63") == "–"


@pytest.mark.parametrize(
    ("code", "table", "shown"),
    [
        ("committed", "run_status", "tersimpan"),
        ("rejected", "run_status", "ditolak, tidak ada yang disimpan"),
        ("template", "import_kind", "templat impor"),
        ("odk", "import_kind", "formulir pendataan RT (ODK/Kobo)"),
        ("something-new", "import_kind", "something-new"),
        ("", "import_kind", "–"),
    ],
)
def test_codes_are_shown_by_their_labels(code: str, table: str, shown: str) -> None:
    assert label(code, table) == shown


def test_the_filters_work_in_a_template() -> None:
    text = Template('{% load words %}{{ m|waktu:"63.01" }} · {{ s|label:"run_status" }}').render(
        Context({"m": MOMENT, "s": "partial"})
    )
    assert text == "7 Desember 2026 19.27 WITA · tersimpan, baris yang salah dilewati"
