"""What every reader produces and every importer consumes: one RT in one year, one investment,
the problems found in the input (each naming file, row or record id, column and value), and the
one report every importer returns. Pure: no Django; in core, so that apps, io and interfaces
may all share them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic

# typing's own TypeVar takes a default from Python 3.13 on (PEP 696).
from typing_extensions import TypeVar

#: The status of an import run: the words of `sikumuh.io.models.ImportRun.Status`.
COMMITTED, REJECTED, PARTIAL, UNCHANGED = "committed", "rejected", "partial", "unchanged"
#: The status of a check that found nothing stopping a commit: shown before the user confirms,
#: never recorded as a run's.
READY = "ready"

#: What an importer found, for the pages and commands that show it before or after a commit
#: (a lampiran's change against the SK it replaces, a file's geometry checks). A bare
#: `ImportReport` (the importers without one) takes any.
Preview = TypeVar("Preview", default=Any)


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


#: Takes out the rows a user may not write (outside their regions), with a problem each.
Refuse = Callable[[list[ObservationRow]], tuple[list[ObservationRow], list[Problem]]]


@dataclass
class InvestmentRow:
    """One investment as read from a file, not yet resolved against the database.

    `lokasi` is the location's code inside `kabupaten_code`; `rt` the RT label as the import of
    RT data stored it, or None for an investment in the location as a whole. `volume` is in the
    criterion's own unit (m of road, KK connected, ha drained, units of building). `status` is
    an `investments.models.InvestmentStatus` value.
    """

    file: str
    row: str
    kabupaten_code: str
    lokasi: str
    rt: str | None
    criterion: str
    tahun: int
    activity: str
    volume: Decimal
    unit: str = ""
    funding_source: str = ""
    cost: Decimal | None = None
    source_ref: str = ""
    status: str = "realisasi"
    note: str = ""
    kode_desa: str = ""  # the desa the file names; "" when the source does not say


@dataclass
class ImportReport(Generic[Preview]):
    """What an import did (or, on a dry run, would do): the one report of every importer.

    ``counts`` holds what an importer creates besides its rows (new locations and RTs, findings),
    shown beside the row counts; ``extra`` what it learnt on the way (the source, comparisons),
    kept in the recorded run's report too (`sikumuh.io.runs.record_run`). ``preview`` is the
    importer's own finding as objects, for the pages that show it (None when the file could
    not be read); it is neither recorded nor part of `as_dict`.
    """

    kind: str = ""
    file_name: str = ""
    status: str = REJECTED
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None
    preview: Preview | None = None

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    @property
    def problems(self) -> list[Problem]:
        """Errors first, then warnings, as every importer's problems are shown."""
        return [*self.errors, *self.warnings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file_name,
            "run_id": self.run_id,
            "status": str(self.status),
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected_rows),
            **self.counts,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            **self.extra,
        }
