"""What a desa-year under review changes against the year before: the Pokja approves data, so
its review shows, per RT, the total and class before → after and the values that moved, and per
desa-year a compact summary (RTs changed, class changes, slum hectares before → after).

"Before" is each RT's latest observation of an earlier year, whichever year that is (an RT
surveyed in 2019 and again in 2022 is compared with 2019); an RT without one is new. The desa's
slum hectares are as-of figures (issue 8 §1, criteria.md §9): every RT of the desa counts with
its latest observation up to the year before (before) and up to the year (after), so RTs the
batch does not touch carry their figures into both and the difference is the batch's own.
Slum hectares are Σ luas_ha of the RTs in a slum class (criteria.md §5: every class but Tidak
Kumuh). Loading is one query per call; the comparison itself is plain Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sikumuh.core.aggregation import SLUM_CLASSES
from sikumuh.core.criteria import HEADER_FIELDS, SlumClass
from sikumuh.core.decimals import to_decimal6
from sikumuh.surveys.models import Observation


@dataclass(frozen=True)
class Snapshot:
    """One RT-year as the comparison needs it (read from an observation and its score)."""

    rt_id: int
    desa_code: str
    tahun: int
    values: dict[str, Any]  # as stored: header fields, v_<code> / p_<code> (decimal strings)
    total: int | None
    klass: str | None
    luas_ha: Decimal | None

    @property
    def slum_ha(self) -> Decimal:
        slum = self.klass in SLUM_CLASSES and self.luas_ha is not None
        return self.luas_ha if slum and self.luas_ha is not None else Decimal(0)


@dataclass(frozen=True)
class ValueChange:
    name: str  # a header field, v_<code> or p_<code>
    before: Decimal | None
    after: Decimal | None


@dataclass(frozen=True)
class RtChange:
    """One RT of the year against its latest earlier year (None: a new RT)."""

    before: Snapshot | None
    after: Snapshot
    values: list[ValueChange]

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.values)

    @property
    def class_changed(self) -> bool:
        return self.before is not None and self.before.klass != self.after.klass

    @property
    def volume_changes(self) -> list[ValueChange]:
        return [v for v in self.values if v.name not in HEADER_FIELDS]

    @property
    def header_changes(self) -> list[ValueChange]:
        return [v for v in self.values if v.name in HEADER_FIELDS]

    @staticmethod
    def klass_label(klass: str | None) -> str:
        """Indonesian in every language: the class names are the regulation's terms."""
        return SlumClass(klass).label_id if klass else "–"

    @property
    def klass_before_label(self) -> str:
        return self.klass_label(self.before.klass if self.before else None)

    @property
    def klass_after_label(self) -> str:
        return self.klass_label(self.after.klass)


@dataclass
class DesaYearChange:
    """The compact summary of a desa-year against the year before."""

    desa_code: str
    tahun: int
    rts: int = 0  # RTs observed in the year
    changed: int = 0  # of them, new or with a value that moved
    new: int = 0
    class_changes: int = 0
    slum_ha_before: Decimal = Decimal(0)
    slum_ha_after: Decimal = Decimal(0)
    previous_years: set[int] = field(default_factory=set)


def _decimal(value: Any) -> Decimal | None:
    """A stored value as a number without trailing zeros (1.500000 and "1.5" compare equal)."""
    number = to_decimal6(value)
    return None if number is None else number.normalize()


def _same(a: Any, b: Any) -> bool:
    """Equal as numbers; the text is compared first, as nearly every value is unchanged."""
    if a == b:
        return True
    return a is not None and b is not None and _decimal(a) == _decimal(b)


def _values(
    header: dict[str, Any], volumes: dict[str, Any], percents: dict[str, Any]
) -> dict[str, Any]:
    """The values as stored (header Decimals, volume strings), by column name."""
    return {
        **header,
        **{f"v_{c}": v for c, v in volumes.items()},
        **{f"p_{c}": v for c, v in percents.items()},
    }


def compare(before: Snapshot | None, after: Snapshot) -> RtChange:
    """The values that differ (by number: 1.50 equals 1.5), in header-then-code order."""
    if before is None:
        return RtChange(None, after, [])
    names = list(HEADER_FIELDS) + sorted(
        (set(before.values) | set(after.values)) - set(HEADER_FIELDS)
    )
    moved = [
        ValueChange(n, _decimal(before.values.get(n)), _decimal(after.values.get(n)))
        for n in names
        if not _same(before.values.get(n), after.values.get(n))
    ]
    return RtChange(before, after, moved)


def _history(snapshots: Iterable[Snapshot]) -> dict[int, list[Snapshot]]:
    """Per RT, its snapshots in year order."""
    by_rt: dict[int, list[Snapshot]] = defaultdict(list)
    for snap in sorted(snapshots, key=lambda s: (s.rt_id, s.tahun)):
        by_rt[snap.rt_id].append(snap)
    return by_rt


def _as_of(history: list[Snapshot], tahun: int) -> Snapshot | None:
    """The RT's latest snapshot of a year ≤ ``tahun``."""
    found = None
    for snap in history:
        if snap.tahun > tahun:
            break
        found = snap
    return found


def rt_changes_from(snapshots: Iterable[Snapshot], tahun: int) -> dict[int, RtChange]:
    """Per RT observed in ``tahun``, its change against its latest earlier year."""
    changes = {}
    for rt_id, history in _history(snapshots).items():
        after = next((s for s in history if s.tahun == tahun), None)
        if after is not None:
            changes[rt_id] = compare(_as_of(history, tahun - 1), after)
    return changes


def summaries_from(
    snapshots: Iterable[Snapshot], keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], DesaYearChange]:
    """The summary of each (desa code, year) in ``keys`` from the desa's RT snapshots."""
    by_desa: dict[str, dict[int, list[Snapshot]]] = defaultdict(dict)
    for rt_id, history in _history(snapshots).items():
        by_desa[history[0].desa_code][rt_id] = history
    result = {}
    for desa, tahun in keys:
        summary = DesaYearChange(desa, tahun)
        for history in by_desa.get(desa, {}).values():
            before, after = _as_of(history, tahun - 1), _as_of(history, tahun)
            summary.slum_ha_before += before.slum_ha if before else Decimal(0)
            summary.slum_ha_after += after.slum_ha if after else Decimal(0)
            if after is None or after.tahun != tahun:
                continue
            change = compare(before, after)
            summary.rts += 1
            summary.changed += change.changed
            summary.new += change.is_new
            summary.class_changes += change.class_changed
            if before is not None:
                summary.previous_years.add(before.tahun)
        result[(desa, tahun)] = summary
    return result


# --- Loading -------------------------------------------------------------------------------------


_FIELDS = (
    "rt_id",
    "rt__desa_id",
    "tahun",
    "volumes",
    "percents",
    "score__total",
    "score__klass",
    *HEADER_FIELDS,
)


def _observations(**filters: Any) -> list[Snapshot]:
    """Snapshots read as plain rows (no model instances: a kabupaten holds thousands)."""
    snapshots = []
    rows = Observation.objects.filter(**filters).values_list(*_FIELDS)
    for rt_id, desa, tahun, volumes, percents, total, klass, *header in rows.iterator(
        chunk_size=2000
    ):
        values = _values(dict(zip(HEADER_FIELDS, header, strict=True)), volumes, percents)
        snapshots.append(Snapshot(rt_id, desa, tahun, values, total, klass, values["luas_ha"]))
    return snapshots


def rt_changes(rt_ids: Iterable[int], tahun: int) -> dict[int, RtChange]:
    """The change of each of these RTs observed in ``tahun``: one query."""
    return rt_changes_from(_observations(rt_id__in=list(rt_ids), tahun__lte=tahun), tahun)


def desa_year_changes(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], DesaYearChange]:
    """The summary of each (desa code, year): one query (none when there are no keys)."""
    keys = list(keys)
    if not keys:
        return {}
    desas = {desa for desa, _ in keys}
    latest = max(tahun for _, tahun in keys)
    return summaries_from(_observations(rt__desa_id__in=desas, tahun__lte=latest), keys)
