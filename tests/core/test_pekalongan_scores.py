"""Real programme data (Kota Pekalongan 2019–2023) rescored: every stored score reproduced.

The data's README says 382 RTs are consistent in all five years and 50 (RT ids 221–236 and
338–371) have shifted columns. Rescoring the consistent rows from their volumes and the RT
headers must reproduce every stored per-criterion score and, where the unit has no error, the
stored total and class. It must also find the data's known defects: 6 negative volumes and 40
volumes above their denominator.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_14_2018
from sikumuh.core.scoring import UnitInput, score_unit
from tests.conftest import PEKALONGAN

DATA = PEKALONGAN
CORRUPT_RTS = set(range(221, 237)) | set(range(338, 372))
HEADER_KEYS = {
    "luas_ha": "luasVerifikasi",
    "jumlah_bangunan": "jumlahBangunan",
    "jumlah_penduduk": "jumlahPenduduk",
    "jumlah_kk": "jumlahKK",
    "panjang_jalan_ideal_m": "panjangJalanIdeal",
    "panjang_drainase_ideal_m": "panjangDrainaseIdeal",
}

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/pekalongan not present")


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clean_rows() -> list[tuple[dict[str, Any], UnitInput]]:
    rts = {rt["id"]: rt for rt in _load("rtrw.json")}
    rows = []
    for row in _load("kumuhRT.json"):
        if row["rt"] in CORRUPT_RTS:
            continue
        rt = rts[row["rt"]]
        unit = UnitInput.from_values(
            header={field: rt[key] for field, key in HEADER_KEYS.items()},
            volumes={code: row[f"{code}v"] for code in PERMEN_PUPR_14_2018.codes},
        )
        rows.append((row, unit))
    return rows


def test_every_stored_score_of_the_consistent_rows_is_reproduced(
    clean_rows: list[tuple[dict[str, Any], UnitInput]],
) -> None:
    assert len(clean_rows) == 382 * 5
    mismatches = []
    for row, unit in clean_rows:
        result = score_unit(unit)
        for code in PERMEN_PUPR_14_2018.codes:
            stored_percent = Decimal(repr(row[f"{code}p"])) * 100
            ours = result.percent[code]
            if result.score[code] != row[f"{code}n"]:
                mismatches.append((row["id"], code, "score"))
            if ours is None or abs(ours - stored_percent) > Decimal("0.005000001"):
                mismatches.append((row["id"], code, "percent"))
        if result.ok and (result.total, result.klass and result.klass.short_code) != (
            row["totalNilai"],
            row["tingkatKekumuhan"],
        ):
            mismatches.append((row["id"], "total", "class"))
    assert mismatches == []


def test_the_known_defects_of_the_data_are_all_found(
    clean_rows: list[tuple[dict[str, Any], UnitInput]],
) -> None:
    codes: Counter[str] = Counter()
    for _, unit in clean_rows:
        result = score_unit(unit)
        codes.update(issue.code for issue in result.warnings + result.errors)
    assert codes == {"negative_volume": 6, "volume_above_denominator": 40}
