"""Fixtures of the motorkawanku tests: Kota Pekalongan's regions, and small exports to write.

Loading the whole region list (91,599 rows) per test is slow: the regions under 33.75 (and its
parents) are read once per session from the packaged list, then inserted per test.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sikumuh.core.criteria import get_rule_set
from sikumuh.core.scoring import score_percent
from sikumuh.io.motorkawanku import Candidate
from sikumuh.regions.models import Level, Region

KOTA = "33.75"
RULES = get_rule_set("permen-pupr-14-2018")
#: The worked example's RT (criteria.md §8): 50 buildings, 60 KK, road 780 m, drain 385 m.
HEADER = {
    "luasVerifikasi": 1.5,
    "jumlahBangunan": 50,
    "jumlahPenduduk": 200,
    "jumlahKK": 60,
    "panjangJalanIdeal": 780,
    "panjangDrainaseIdeal": 385,
}
_DENOMINATOR_KEY = {
    "luas_ha": "luasVerifikasi",
    "jumlah_bangunan": "jumlahBangunan",
    "jumlah_penduduk": "jumlahPenduduk",
    "jumlah_kk": "jumlahKK",
    "panjang_jalan_ideal_m": "panjangJalanIdeal",
    "panjang_drainase_ideal_m": "panjangDrainaseIdeal",
}
_CLASS = {"kumuh_berat": "KB", "kumuh_sedang": "KS", "kumuh_ringan": "KR", "tidak_kumuh": "TK"}


@pytest.fixture(scope="session")
def pekalongan_regions() -> list[Region]:
    """Unsaved Region objects of Kota Pekalongan and its parents, parents first."""
    from sikumuh.io.region_list import packaged_regions

    return [
        r for r in packaged_regions() if r.code in ("33", KOTA) or r.code.startswith(KOTA + ".")
    ]


@pytest.fixture(scope="session")
def pekalongan_candidates(
    pekalongan_regions: list[Region],
) -> tuple[list[Candidate], list[Candidate]]:
    """(kecamatan, desa) name candidates of Kota Pekalongan, no database needed."""
    kecamatan = [
        Candidate(r.code, r.name, r.parent_id or "")
        for r in pekalongan_regions
        if r.level == Level.KECAMATAN
    ]
    desa = [
        Candidate(r.code, r.name, r.parent_id or "")
        for r in pekalongan_regions
        if r.level == Level.DESA
    ]
    return kecamatan, desa


@pytest.fixture
def kota_pekalongan(db: None, pekalongan_regions: list[Region]) -> Region:
    """Kota Pekalongan (33.75) with its 4 kecamatan and 27 kelurahan in the test database."""
    Region.objects.bulk_create(
        [
            Region(**{f.attname: getattr(r, f.attname) for f in Region._meta.fields})
            for r in pekalongan_regions
        ]
    )
    return Region.objects.get(code=KOTA)


def stored_record(
    record_id: int,
    *,
    kawasan: int,
    tahun: int,
    volumes: dict[str, float],
    header: dict[str, Any],
    rt: int | None = None,
) -> dict[str, Any]:
    """A kumuhRT (or, without `rt`, kumuhKawasan) record whose stored fractions, scores, total
    and class are what motorkawanku computes from the volumes: a consistent record."""
    record: dict[str, Any] = {"id": record_id, "kawasan": kawasan, "tahun": tahun}
    if rt is not None:
        record["rt"] = rt
    total = 0
    for criterion in RULES.criteria:
        volume = volumes.get(criterion.code, 0)
        denominator = header[_DENOMINATOR_KEY[criterion.denominator]]
        fraction = volume / denominator
        score = score_percent(Decimal(repr(fraction)) * 100)
        record[f"{criterion.code}v"] = volume
        record[f"{criterion.code}p"] = fraction
        record[f"{criterion.code}n"] = score
        total += score
    record["totalNilai"] = total
    record["tingkatKekumuhan"] = _CLASS[RULES.class_for_total(total).value]
    return record


class Export:
    """A small motorkawanku export, edited by the test, then written to a directory.

    Two kawasan: 1 "Podosugih" (Pekalongan Barat) with RTs 1 and 2, 2 "Kali Baros" (Pekalongan
    Timur) with RT 3; each RT has the worked example's header and records for 2019 and 2020.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files: dict[str, Any] = {
            "kawasan.json": [
                {
                    "id": 1,
                    "kawasan": "Podosugih",
                    "wilayah": "Pekalongan Barat",
                    "rt-rw": 2,
                    **{k: v * 2 for k, v in HEADER.items()},
                },
                {
                    "id": 2,
                    "kawasan": "Kali Baros",
                    "wilayah": "Pekalongan Timur",
                    "rt-rw": 1,
                    **HEADER,
                },
            ],
            "rtrw.json": [
                {"id": 1, "kawasan": 1, "rtrw": "RT001-RW002", **HEADER, "__EMPTY_1": ""},
                {"id": 2, "kawasan": 1, "rtrw": "RT002-RW002", **HEADER},
                {"id": 3, "kawasan": 2, "rtrw": "RT001-RW001", **HEADER, "__EMPTY": None},
            ],
        }
        # 77.56 %, 90 %, 80.52 % (5 each, criteria.md §8), 26 % (1): total 16, Kumuh Ringan.
        volumes = {"2b": 605, "3a": 54, "4c": 310, "1a": 13}
        records = []
        for tahun in (2019, 2020):
            for rt, kawasan in ((1, 1), (2, 1), (3, 2)):
                records.append(
                    stored_record(
                        len(records) + 1,
                        kawasan=kawasan,
                        tahun=tahun,
                        rt=rt,
                        volumes=volumes,
                        header=HEADER,
                    )
                )
        self.files["kumuhRT.json"] = records
        double = {k: v * 2 for k, v in HEADER.items()}
        self.files["kumuhKawasan.json"] = [
            stored_record(
                1,
                kawasan=1,
                tahun=2019,
                header=double,
                volumes={k: v * 2 for k, v in volumes.items()},
            ),
            stored_record(2, kawasan=2, tahun=2019, header=HEADER, volumes=volumes),
        ]
        self.files["kriteria.json"] = {
            "kegiatanInvestasi": [
                {
                    "kriteria": ["2a", "2b"],
                    "kegiatan": ["Jalan Beton", "Jalan Paving Block"],
                    "satuan": "Meter",
                },
                {"kriteria": ["6a"], "kegiatan": ["Gerobak/Motor Sampah"], "satuan": "KK"},
            ]
        }
        self.files["investasi.json"] = [
            {
                "id": 1,
                "tahun": 2021,
                "idKawasan": 1,
                "idRTRW": 1,
                "idKriteria": "2b",
                "volume": 100,
                "kegiatan": "Jalan Beton",
                "sumberAnggaran": "APBD II (KOTA/KAB)",
                "anggaran": 90000000,
            },
            {
                "id": 2,
                "tahun": 2021,
                "idKawasan": 2,
                "idRTRW": "RT001-RW001",
                "idKriteria": "6a",
                "volume": 12.5,
                "kegiatan": "Gerobak/Motor Sampah",
            },
        ]
        square = [[-6.88, 109.66], [-6.88, 109.67], [-6.89, 109.67], [-6.89, 109.66]]
        self.files["latlng.json"] = [
            {"kelurahan": "Kalibaros", "type": "Polygon", "coordinates": square},
            {
                "kelurahan": "Podosugih",
                "kodeRTRW": "RT001-RW002",
                "type": "Polygon",
                "coordinates": [*square, square[0]],
            },
        ]

    def write(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, content in self.files.items():
            (self.directory / name).write_text(json.dumps(content), encoding="utf-8")
        return self.directory


@pytest.fixture
def export(tmp_path: Path) -> Export:
    return Export(tmp_path / "export")
