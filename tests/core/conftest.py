"""Fixtures for the pure core tests (no Django, no database)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, RuleSet
from sikumuh.core.decimals import RawValue
from sikumuh.core.scoring import UnitInput

#: The RT of criteria.md §8: 50 buildings, 60 KK, ideal road 780 m, ideal drain 385 m.
WORKED_HEADER: dict[str, RawValue] = {
    "luas_ha": "1.5",
    "jumlah_bangunan": 50,
    "jumlah_penduduk": 210,
    "jumlah_kk": 60,
    "panjang_jalan_ideal_m": 780,
    "panjang_drainase_ideal_m": 385,
}

MakeUnit = Callable[..., UnitInput]


@pytest.fixture
def make_unit() -> MakeUnit:
    """Build a unit on the worked-example header: every criterion 0 unless overridden.

    ``make_unit(volumes={"2b": 605}, header={"jumlah_kk": None}, percents={"1a": 30})``;
    a criterion named in ``percents`` loses its default volume (percentage-only data).
    """

    def build(
        volumes: Mapping[str, RawValue] | None = None,
        header: Mapping[str, RawValue] | None = None,
        percents: Mapping[str, RawValue] | None = None,
        rule_set: RuleSet = PERMEN_PUPR_14_2018,
    ) -> UnitInput:
        percents = dict(percents or {})
        all_volumes: dict[str, RawValue] = {
            code: 0 for code in rule_set.codes if code not in percents
        }
        all_volumes.update(volumes or {})
        return UnitInput.from_values(
            header={**WORKED_HEADER, **(header or {})}, volumes=all_volumes, percents=percents
        )

    return build
