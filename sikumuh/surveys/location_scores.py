"""The stored location-year summary (`LocationScore`): each slum location scored per year from the
sum of its RTs (criteria.md §5), with its RTs' hectares and counts per class.

Why stored: a location's class cannot be summed in SQL (it is scored from the *sum of its RTs'
volumes*, kept as JSON), so reading it on the fly means loading and summing every RT of a region
on each page view. Stored once per write, the dashboards and the map read it in one indexed query,
and the national and provincial figures aggregate a few tens of thousands of location rows
instead of every RT score.

Kept current by the write paths: `surveys.actions.save_observation` and the one import commit
(`io.importer.import_rows`: templates, motorkawanku, the demo) call
:func:`refresh_location_scores` for the locations × years they touched, in their transaction, as
does `surveys.location_actions.update_location` when a location moves to another desa;
``sikumuh rebuild-summaries`` recomputes every row.

The computation is the core's vectorised :func:`sikumuh.core.batch.score_batch` over per-location
sums in integer micro-units; tests check it equals the exact per-unit path
(`core.aggregation.aggregate_inputs` + `score_unit`, as `surveys.selectors.location_score`) in
total, class, percentages and scores. Only the issue list differs (not stored here): a criterion
given only as a percentage in some RT is a missing sum in the batch path and a
``cannot_aggregate_percent`` error in the per-unit path — no class either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from numpy.typing import NDArray

from sikumuh.core.aggregation import SLUM_CLASSES
from sikumuh.core.asof import as_of_series
from sikumuh.core.batch import MISSING, score_batch, to_micro_array
from sikumuh.core.criteria import CLASS_ORDER, HEADER_FIELDS, SlumClass, get_rule_set
from sikumuh.core.decimals import hundredths_to_decimal, micro_to_decimal, to_micro
from sikumuh.core.location import split_by_rule_set
from sikumuh.regions.models import Level, code_at_level
from sikumuh.slums.models import Location
from sikumuh.surveys.models import LocationScore, Observation, Source

#: The `LocationScore` hectare and RT-count columns of each RT class ("unscored": no class).
AREA_KEYS: tuple[str, ...] = (*(c.value for c in SlumClass), "unscored")
AREA_FIELDS: tuple[str, ...] = tuple(f"{k}_{unit}" for k in AREA_KEYS for unit in ("ha", "rt"))
_SLUM_KEYS = frozenset(c.value for c in SLUM_CLASSES)

#: Locations per read-compute-write round of a refresh: bounds memory when rebuilding everything.
CHUNK_SIZE = 1000


# --- Summing decimal columns in micro-units ------------------------------------------------------


def _float(value: Any) -> float:
    """NaN for a missing value (None, ""); the batch path turns floats with at most 6 decimals
    into exact micro-units (and parses any other value exactly)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return float("nan")
    return float(value)


def summed_micro(values: Sequence[Any], starts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per-group sums in micro-units of a column of decimals (strings, Decimals or None), the
    groups starting at `starts`; a group with any missing value has a missing sum
    (:data:`MISSING`), as `aggregate_inputs` has."""
    floats = np.array([_float(v) for v in values], dtype=float)
    micro = to_micro_array(floats)
    missing = micro == MISSING
    sums = np.add.reduceat(np.where(missing, 0, micro), starts)
    return np.where(np.logical_or.reduceat(missing, starts), MISSING, sums)


# --- The pure computation ------------------------------------------------------------------------


@dataclass
class Summary:
    """One location in one year, from its RT rows (see :func:`summarise_rows`)."""

    rule_set: str
    total: int | None = None
    klass: SlumClass | None = None
    percents: dict[str, str | None] = field(default_factory=dict)
    scores: dict[str, int | None] = field(default_factory=dict)
    ha_micro: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AREA_KEYS, 0))
    rt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AREA_KEYS, 0))
    has_demo: bool = False
    #: RTs observed in the year itself (the others are carried from earlier years).
    rt_observed: int = 0

    @property
    def slum_ha(self) -> Decimal:
        """Σ luas_ha of the RTs not Tidak Kumuh (criteria.md §5)."""
        return micro_to_decimal(sum(self.ha_micro[k] for k in _SLUM_KEYS))

    @property
    def assessed_ha(self) -> Decimal:
        return micro_to_decimal(sum(m for k, m in self.ha_micro.items() if k != "unscored"))


Key = tuple[int, int]  # (location id, tahun)


def summarise_rows(rows: Iterable[Mapping[str, Any]]) -> dict[Key, Summary]:
    """Observation rows → one :class:`Summary` per (location, year).

    A row holds ``location_id``, ``tahun``, ``rt_id``, ``rule_set``, the header fields,
    ``volumes`` (decimal strings by criterion), ``klass`` and ``luas`` (the RT's stored class
    and hectares), ``source`` and, for an as-of row (:func:`as_of_rows`), ``observed`` (the
    year of the observation counted; the row's own ``tahun`` when absent). The rule set is the
    core's one choice (`core.location.choose_rule_set`); RTs stored under another rule set are
    left out of the class rather than mixed in, but their hectares and classes are counted.
    """
    grouped: dict[Key, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["location_id"], row["tahun"])].append(row)
    summaries: dict[Key, Summary] = {}
    by_rule_set: dict[str, list[tuple[Key, list[Mapping[str, Any]]]]] = defaultdict(list)
    for key, observations in grouped.items():
        choice, same = split_by_rule_set(observations, _rt_of, _rule_set_of)
        rule_set_id = choice.rule_set_id
        summary = summaries[key] = Summary(rule_set=rule_set_id)
        for obs in observations:
            area_key = obs["klass"] or "unscored"
            summary.ha_micro[area_key] += 0 if obs["luas"] is None else to_micro(obs["luas"])
            summary.rt[area_key] += 1
            summary.has_demo = summary.has_demo or obs["source"] == Source.DEMO
            summary.rt_observed += obs.get("observed", obs["tahun"]) == obs["tahun"]
        by_rule_set[rule_set_id].append((key, same))
    for rule_set_id, items in by_rule_set.items():
        _score_groups(rule_set_id, items, summaries)
    return summaries


def _rt_of(row: Mapping[str, Any]) -> int:
    return int(row["rt_id"])


def _rule_set_of(row: Mapping[str, Any]) -> str:
    return str(row["rule_set"])


def _score_groups(
    rule_set_id: str,
    items: list[tuple[Key, list[Mapping[str, Any]]]],
    summaries: dict[Key, Summary],
) -> None:
    rule_set = get_rule_set(rule_set_id)
    flat = [o for _, observations in items for o in observations]
    starts = np.cumsum([0, *(len(obs) for _, obs in items[:-1])])
    header = {n: summed_micro([o[n] for o in flat], starts) for n in HEADER_FIELDS}
    volumes = {
        c: summed_micro([(o["volumes"] or {}).get(c) for o in flat], starts) for c in rule_set.codes
    }
    scored = score_batch(header=header, volumes=volumes, rule_set=rule_set)
    percent = scored.percent_hundredths.tolist()
    score = scored.score.tolist()
    for k, (key, _) in enumerate(items):
        summary = summaries[key]
        total, klass = int(scored.total[k]), int(scored.klass[k])
        summary.total = None if total < 0 else total
        summary.klass = None if klass < 0 else CLASS_ORDER[klass]
        # As `Score` stores them: 2-dp decimal strings, None where undefined.
        summary.percents = {
            c: None if p == MISSING else format(hundredths_to_decimal(p), "f")
            for c, p in zip(rule_set.codes, percent[k], strict=True)
        }
        summary.scores = {
            c: None if s < 0 else s for c, s in zip(rule_set.codes, score[k], strict=True)
        }


def as_of_rows(rows: Iterable[Mapping[str, Any]], last_year: int) -> Iterator[dict[str, Any]]:
    """Observation rows of every year → the as-of rows of each location for every year from its
    first observation to `last_year` (criteria.md §9: each RT with its latest observation of a
    year ≤ Y), each with ``tahun`` = Y and ``observed`` = the year of the observation."""
    by_location: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_location[row["location_id"]].append(row)
    for observations in by_location.values():
        first = min(o["tahun"] for o in observations)
        series = as_of_series(observations, range(first, last_year + 1), unit=_rt_of, year=_year_of)
        for tahun, counted in series.items():
            for row in counted.values():
                yield {**row, "tahun": tahun, "observed": row["tahun"]}


def _year_of(row: Mapping[str, Any]) -> int:
    return int(row["tahun"])


# --- Reading observations, writing summaries -----------------------------------------------------


def _rows(location_ids: list[int]) -> Iterable[Mapping[str, Any]]:
    observations = Observation.objects.filter(rt__location_id__in=location_ids)
    rows: Iterable[Mapping[str, Any]] = observations.values(
        "rt_id", "tahun", "rule_set", "volumes", "source", *HEADER_FIELDS,
        location_id=F("rt__location_id"), klass=F("score__klass"), luas=F("score__luas_ha"),
    ).order_by()  # fmt: skip
    return rows


def _region_codes(kabupaten: str, desa: str | None) -> dict[str, str]:
    return {
        "province_code": code_at_level(kabupaten, Level.PROVINSI) or "",
        "kabupaten_code": kabupaten,
        "kecamatan_code": "" if desa is None else code_at_level(desa, Level.KECAMATAN) or "",
        "desa_code": desa or "",
    }


def _refresh_chunk(location_ids: list[int], last_year: int | None) -> int:
    summaries = (
        {} if last_year is None else summarise_rows(as_of_rows(_rows(location_ids), last_year))
    )
    codes = {
        pk: _region_codes(kabupaten, desa)
        for pk, kabupaten, desa in Location.objects.filter(pk__in=location_ids).values_list(
            "pk", "kabupaten_id", "desa_id"
        )
    }
    LocationScore.objects.filter(location_id__in=location_ids).delete()
    now = timezone.now()
    LocationScore.objects.bulk_create(
        [
            LocationScore(
                location_id=location_id,
                tahun=tahun,
                rule_set=s.rule_set,
                total=s.total,
                klass=None if s.klass is None else s.klass.value,
                percents=s.percents,
                scores=s.scores,
                slum_ha=s.slum_ha,
                assessed_ha=s.assessed_ha,
                has_demo=s.has_demo,
                rt_observed=s.rt_observed,
                computed_at=now,
                **{f"{k}_ha": micro_to_decimal(m) for k, m in s.ha_micro.items()},
                **{f"{k}_rt": n for k, n in s.rt.items()},
                **codes[location_id],
            )
            for (location_id, tahun), s in sorted(summaries.items())
        ],
        batch_size=1000,
    )
    return len(summaries)


_FIELDS = LocationScore._meta.concrete_fields


def _carry_forward(stored_last: int, last_year: int, skip: set[int]) -> int:
    """A later year appeared: every other location's summary of `stored_last` holds as of the
    new years too (nothing of it was observed since), copied with no RT observed."""
    written = 0
    rows = LocationScore.objects.filter(tahun=stored_last).exclude(location_id__in=skip)
    now = timezone.now()
    for start in range(0, rows.count(), CHUNK_SIZE):
        chunk = list(rows.order_by("location_id")[start : start + CHUNK_SIZE])
        copies = []
        for tahun in range(stored_last + 1, last_year + 1):
            for row in chunk:
                copy = LocationScore(
                    **{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
                )
                copy.pk = None
                copy.tahun, copy.rt_observed, copy.computed_at = tahun, 0, now
                copies.append(copy)
        LocationScore.objects.bulk_create(copies, batch_size=1000)
        written += len(copies)
    return written


def refresh_location_scores(
    location_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> int:
    """Recompute the as-of summaries of these locations (None: every location) from their
    observations, for every year from each one's first observation to the last year observed
    anywhere; returns the rows written. `years` (the years a write touched) only says whether
    anything was touched: a year's change reaches every later year, so a location is always
    recomputed whole (a few RTs × years). When the write brings a year later than any stored,
    the other locations' rows are carried forward to it; when the last year lost its data, the
    rows after the new last year go. Atomic (a savepoint inside the caller's transaction): the
    write paths call it in theirs, so readers never see RT scores and summaries disagree."""
    ids = None if location_ids is None else sorted(set(location_ids))
    if ids == [] or (years is not None and not set(years)):
        return 0  # nothing touched: not even a savepoint
    with transaction.atomic():
        last_year: int | None = Observation.objects.aggregate(t=Max("tahun"))["t"]
        stored_last: int | None = LocationScore.objects.aggregate(t=Max("tahun"))["t"]
        if ids is None:
            ids = list(Location.objects.order_by("pk").values_list("pk", flat=True))
        written = sum(
            _refresh_chunk(ids[start : start + CHUNK_SIZE], last_year)
            for start in range(0, len(ids), CHUNK_SIZE)
        )
        if last_year is None:
            LocationScore.objects.all().delete()
        elif stored_last is not None and stored_last < last_year:
            written += _carry_forward(stored_last, last_year, set(ids))
        elif stored_last is not None and stored_last > last_year:
            LocationScore.objects.filter(tahun__gt=last_year).delete()
        return written


def rebuild_location_scores(
    progress: Callable[[int, int], None] | None = None, kabupaten: str | None = None
) -> int:
    """Recompute every location's summaries (only the locations of ``kabupaten``, when given),
    one chunk of locations per transaction, telling ``progress(done, total)`` (locations) after
    each: `sikumuh rebuild-summaries` and the rebuild job. Each location's rows are replaced
    atomically, so a reader sees a location's old or new summaries, never a mix; the progress
    is visible while the rebuild runs. A chunk is a subset already: what other locations need
    (their rows carried to a new last year) `refresh_location_scores` does for any subset."""
    locations = Location.objects.all()
    if kabupaten is not None:
        locations = locations.filter(kabupaten_id=kabupaten)
    ids = list(locations.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        written += refresh_location_scores(chunk)
        if progress is not None:
            progress(start + len(chunk), len(ids))
    return written
