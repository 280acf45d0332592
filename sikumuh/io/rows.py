"""What every reader produces and every importer consumes: one RT in one year, and the problems
found in the input, each naming file, row (or record id), column and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem with the input. `row` is the 1-based line of a CSV/XLSX sheet (the header is
    line 1) or the record id of a JSON export."""

    file: str
    row: str
    column: str | None
    value: str | None
    reason: str
    severity: str = "error"  # "error" rejects the row; "warning" keeps it, flagged

    def __str__(self) -> str:
        parts = [self.file, f"row {self.row}"]
        if self.column:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return f"{', '.join(parts)}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


@dataclass
class ObservationRow:
    """One RT in one year, parsed but not yet resolved against the database."""

    file: str
    row: str
    kode_desa: str
    lokasi: str  # the location's code inside its kabupaten
    rt: str  # echoed as given
    tahun: int
    header: dict[str, Decimal | None]
    volumes: dict[str, Decimal | None] = field(default_factory=dict)
    percents: dict[str, Decimal | None] = field(default_factory=dict)
    lokasi_name: str = ""  # a readable name for a new location; defaults to `lokasi`
    rule_set: str = "permen-pupr-14-2018"
    source_ref: str = ""

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.kode_desa, self.lokasi, self.rt, self.tahun)
