"""Reads for the review page: RT observations per desa × year by status, the lock of each
kabupaten-year, and the last review step of each desa-year (so a facilitator sees why data came
back). Three queries, whatever the size of the region (tests pin it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from sikumuh.regions.codes import NATIONAL, inside
from sikumuh.regions.models import Level, code_at_level, level_of
from sikumuh.surveys.models import Observation, ReviewAction, ReviewEvent, Status, YearLock
from sikumuh.surveys.review_changes import DesaYearChange, desa_year_changes


@dataclass
class DesaYear:
    desa_code: str
    desa_name: str
    tahun: int
    counts: dict[str, int] = field(default_factory=dict)
    last_event: ReviewEvent | None = None
    #: Against the year before (`review_changes.desa_year_changes`), when the page loads it.
    change: DesaYearChange | None = None

    @property
    def kabupaten_code(self) -> str:
        return code_at_level(self.desa_code, Level.KABUPATEN) or ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def draft(self) -> int:
        return self.count(Status.DRAFT)

    @property
    def submitted(self) -> int:
        return self.count(Status.SUBMITTED)

    @property
    def approved(self) -> int:
        return self.count(Status.APPROVED)

    @property
    def returned(self) -> int:
        return self.count(Status.RETURNED)

    @property
    def can_be_submitted(self) -> bool:
        return bool(self.draft or self.returned)

    @property
    def awaits_review(self) -> bool:
        return bool(self.submitted)


@dataclass
class YearBlock:
    """One year of the region: its desa rows and the lock of each kabupaten inside."""

    tahun: int
    rows: list[DesaYear]
    locks: dict[str, YearLock]  # kabupaten code → lock row (locked or lifted)

    @property
    def kabupaten_codes(self) -> list[str]:
        return sorted({r.kabupaten_code for r in self.rows} | set(self.locks))

    @property
    def approved_all(self) -> bool:
        return all(r.total == r.approved for r in self.rows)

    @property
    def locked_codes(self) -> set[str]:
        """The kabupaten whose year is locked (templates test `code in block.locked_codes`)."""
        return {code for code, lock in self.locks.items() if lock.locked}

    @property
    def lock_states(self) -> list[tuple[str, YearLock | None]]:
        """(kabupaten code, its lock row or None) for each kabupaten of the year."""
        return [(code, self.locks.get(code)) for code in self.kabupaten_codes]


def _kabupaten_filter(code: str) -> Q:
    if code == NATIONAL:
        return Q()
    if level_of(code) == Level.PROVINSI:
        return Q(kabupaten__code__startswith=code + ".")
    return Q(kabupaten_id=code[:5])


def review_overview(code: str) -> list[YearBlock]:
    """Newest year first; desa by code."""
    counts = (
        Observation.objects.filter(inside(code, "rt__desa__code"))
        .values("rt__desa_id", "rt__desa__name", "tahun", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[tuple[str, int], DesaYear] = {}
    for item in counts:
        key = (item["rt__desa_id"], item["tahun"])
        row = rows.setdefault(key, DesaYear(key[0], item["rt__desa__name"], key[1]))
        row.counts[item["status"]] = item["n"]
    for event in ReviewEvent.objects.filter(inside(code, "desa__code")).order_by("at", "id"):
        found = rows.get((event.desa_id, event.tahun))
        if found is not None:
            found.last_event = event  # ascending, so the last one wins
    locks: dict[int, dict[str, YearLock]] = defaultdict(dict)
    for lock in YearLock.objects.filter(_kabupaten_filter(code)):
        locks[lock.tahun][lock.kabupaten_id] = lock
    years = sorted({t for _, t in rows} | set(locks), reverse=True)
    return [
        YearBlock(
            tahun=tahun,
            rows=sorted((r for (_, t), r in rows.items() if t == tahun), key=lambda r: r.desa_code),
            locks=locks.get(tahun, {}),
        )
        for tahun in years
    ]


def open_returns(code: str, *, tahun: int | None = None) -> list[ReviewEvent]:
    """The return notes still waiting for the facilitator inside `code` (a desa, or a region):
    for each desa-year whose latest review step is a return, that step (comment, who, when).
    Newest first; one query (a region's review steps are few: one per batch and step)."""
    events = ReviewEvent.objects.filter(inside(code, "desa__code"))
    if tahun is not None:
        events = events.filter(tahun=tahun)
    latest: dict[tuple[str, int], ReviewEvent] = {}
    for event in events.order_by("at", "id"):
        latest[(event.desa_id, event.tahun)] = event  # ascending, so the last one wins
    returns = [e for e in latest.values() if e.action == ReviewAction.RETURN]
    return sorted(returns, key=lambda e: (e.at, e.pk), reverse=True)


def attach_changes(code: str, years: list[YearBlock]) -> None:
    """Give each desa-year under review (some RT not approved yet) its change against the year
    before: one query (none when all is approved). Approved rows keep only their link, so the
    page reads in proportion to what awaits the Pokja, not to the size of the region."""
    rows = [r for block in years for r in block.rows if r.approved != r.total]
    changes = desa_year_changes((r.desa_code, r.tahun) for r in rows)
    for row in rows:
        row.change = changes.get((row.desa_code, row.tahun))
