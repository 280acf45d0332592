"""The SIM KOTAKU exports: "Profil Kumuh Basis" (percentages per RT, Permen PUPR 02/2016) and
"Delineasi Kumuh Akhir" (before/after figures). See each module's docstring."""

from __future__ import annotations

from sikumuh.io.simkotaku.importer import KIND, import_simkotaku
from sikumuh.io.simkotaku.layers import Layer, Record, SimkotakuError, read_layer
from sikumuh.io.simkotaku.profil import (
    PERCENT_COLUMNS,
    RULE_SET_ID,
    location_code,
    parse_kode_rtrw,
    profil_rows,
)
from sikumuh.io.simkotaku.status import Difference, compare_status, slum_class

__all__ = [
    "KIND",
    "PERCENT_COLUMNS",
    "RULE_SET_ID",
    "Difference",
    "Layer",
    "Record",
    "SimkotakuError",
    "compare_status",
    "import_simkotaku",
    "location_code",
    "parse_kode_rtrw",
    "profil_rows",
    "read_layer",
    "slum_class",
]
