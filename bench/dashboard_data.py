"""A national-scale synthetic data set for `dashboard_bench.py`, written over the regions loaded.

Every kabupaten/kota with desa in the database gets slum locations and RTs: about `rts` RTs in
all, shared out by population (cities get more), each RT observed every year of `years`. Values
are plausible (6-decimal-clean volumes below their denominators, classes from Kumuh Berat to
Tidak Kumuh, slum area falling year by year as handling lowers the volumes), drawn from a seeded
NumPy generator: the same arguments give the same data set. Rows are written with `bulk_create`
in large batches straight into the tables (not through `import_rows`, which validates row by
row), the RT scores computed with the core's `score_batch`, then the location summaries with
`refresh_location_scores`. Every location has an SK entry (one decree per kabupaten) and a
polygon (32 vertices, EPSG:4326 lon/lat) so the map has something to draw. Change what it writes
and bump `dashboard_bench.DATASET_VERSION`, which keys the cached data sets.

Synthetic data, never shown to users: the source is "template" (not the demo's), so the pages
do the work they would do on real data (the demo banner check finds nothing).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from sikumuh.core.batch import MISSING, score_batch
from sikumuh.core.criteria import CLASS_ORDER, DEFAULT_RULE_SET_ID, get_rule_set
from sikumuh.core.decimals import hundredths_to_decimal
from sikumuh.regions.models import Level, Region
from sikumuh.slums.models import Location, RtUnit, SkDecree, SkLocation
from sikumuh.surveys.location_scores import refresh_location_scores
from sikumuh.surveys.models import Observation, Score, Source, Status

RULE_SET = get_rule_set(DEFAULT_RULE_SET_ID)
#: Criteria whose denominator is an area (ha): their volumes keep 2 decimals, the others are counts
#: or metres (whole numbers).
_AREA_DENOMINATOR = "luas_ha"
_WRITE_BATCH = 20_000  # rows handed to one bulk_create call
_KABUPATEN_PER_CHUNK = 40  # kabupaten scored and written together


@dataclass
class BuildStats:
    kabupaten: int = 0
    locations: int = 0
    rts: int = 0
    observations: int = 0
    location_scores: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _ids(model: Any) -> Iterator[int]:
    """Primary keys after the table's largest: assigned here, so no row needs to be read back."""
    start = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return iter(range(start + 1, 1 << 62))


def _share_out(total: int, weights: np.ndarray, minimum: int) -> list[int]:
    """`total` RTs over kabupaten in proportion to `weights`, at least `minimum` each."""
    raw = weights / weights.sum() * total
    return [max(int(n), minimum) for n in np.rint(raw).tolist()]


def _polygon(rng: np.random.Generator, lon: float, lat: float) -> dict[str, Any]:
    """A closed ring of 32 vertices, some 200–600 m across (GeoJSON: lon, lat order)."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, 32))
    radius = rng.uniform(0.002, 0.006) * rng.uniform(0.7, 1.0, 32)
    ring = [
        [round(lon + r * np.cos(a), 6), round(lat + r * np.sin(a), 6)]
        for a, r in zip(angles, radius, strict=True)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@dataclass
class _Chunk:
    """The RTs of a few kabupaten, as columns (one row per RT)."""

    location: list[int] = field(default_factory=list)
    rt: list[int] = field(default_factory=list)
    desa: list[str] = field(default_factory=list)
    severity: list[float] = field(default_factory=list)


def _plan_kabupaten(
    rng: np.random.Generator,
    kabupaten: str,
    desa: list[str],
    n_rt: int,
    location_ids: Iterator[int],
    rt_ids: Iterator[int],
    chunk: _Chunk,
) -> tuple[list[Location], list[RtUnit]]:
    """Locations of 3–25 RTs each, in random desa; one RT in ten lies in a neighbouring desa."""
    lon, lat = rng.uniform(95.5, 140.5), rng.uniform(-10.5, 5.5)
    locations: list[Location] = []
    rts: list[RtUnit] = []
    left, number = n_rt, 0
    by_kecamatan: dict[str, list[str]] = defaultdict(list)
    for code in desa:
        by_kecamatan[code[:8]].append(code)
    while left > 0:
        size = min(left, int(rng.integers(3, 26)))
        left -= size
        number += 1
        home = desa[int(rng.integers(len(desa)))]
        location = Location(
            id=next(location_ids),
            kabupaten_id=kabupaten,
            desa_id=home,
            code=f"KWS-{number:03d}",
            name=f"Kawasan kumuh {number}",
            polygon=_polygon(rng, lon + rng.uniform(-0.15, 0.15), lat + rng.uniform(-0.15, 0.15)),
        )
        locations.append(location)
        severity = float(rng.uniform(0.15, 0.85))
        neighbours = by_kecamatan[home[:8]]
        for k in range(size):
            rt_desa = home
            if rng.random() < 0.1:
                rt_desa = neighbours[int(rng.integers(len(neighbours)))]
            rt = RtUnit(
                id=next(rt_ids), location_id=location.pk, desa_id=rt_desa, rt=f"{k + 1:03d}"
            )
            rts.append(rt)
            chunk.location.append(location.pk)
            chunk.rt.append(rt.pk)
            chunk.desa.append(rt_desa)
            chunk.severity.append(severity)
    return locations, rts


def _headers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Header denominators per RT (constant over the years): 2-dp hectares, whole counts."""
    luas = np.clip(np.round(rng.lognormal(0.1, 0.6, n), 2), 0.2, 8.0)
    bangunan = np.maximum(np.rint(luas * rng.uniform(30, 120, n)), 5)
    kk = np.rint(bangunan * rng.uniform(1.0, 1.3, n))
    jalan = np.rint(luas * rng.uniform(150, 350, n))
    return {
        "luas_ha": luas,
        "jumlah_bangunan": bangunan,
        "jumlah_penduduk": np.rint(kk * rng.uniform(3.2, 4.5, n)),
        "jumlah_kk": kk,
        "panjang_jalan_ideal_m": jalan,
        "panjang_drainase_ideal_m": np.rint(jalan * rng.uniform(0.8, 1.6, n)),
    }


def _volumes(
    rng: np.random.Generator, header: dict[str, np.ndarray], severity: np.ndarray, years: int
) -> list[dict[str, np.ndarray]]:
    """Per year, per criterion: share of the denominator × denominator. Each year's handling
    lowers most shares a little (a few rise), so slum area falls over the years."""
    n = severity.shape[0]
    rt_level = np.clip(severity + rng.normal(0, 0.15, n), 0, 1)
    shares = {c.code: np.clip(rt_level + rng.normal(0, 0.2, n), 0, 1) for c in RULE_SET.criteria}
    out = []
    for _ in range(years):
        year: dict[str, np.ndarray] = {}
        for c in RULE_SET.criteria:
            denominator = header[c.denominator]
            decimals = 2 if c.denominator == _AREA_DENOMINATOR else 0
            year[c.code] = np.minimum(np.round(shares[c.code] * denominator, decimals), denominator)
            shares[c.code] = np.clip(shares[c.code] * rng.uniform(0.7, 1.05, n), 0, 1)
        out.append(year)
    return out


_PERCENT_TEXT: list[str] = []


def _percent_text(hundredths: int) -> str | None:
    """As `surveys.scoring.score_fields` stores a percentage ("55.00"), cached: 0–100 %."""
    if hundredths == MISSING:
        return None
    if not _PERCENT_TEXT:
        _PERCENT_TEXT.extend(format(hundredths_to_decimal(h), "f") for h in range(10_001))
    if 0 <= hundredths <= 10_000:
        return _PERCENT_TEXT[hundredths]
    return format(hundredths_to_decimal(hundredths), "f")


def _text(values: np.ndarray, decimals: int) -> list[str]:
    return [f"{v:.{decimals}f}" if decimals else str(int(v)) for v in values.tolist()]


def _write_chunk(
    rng: np.random.Generator,
    chunk: _Chunk,
    years: list[int],
    obs_ids: Iterator[int],
    now: dt.datetime,
) -> int:
    n = len(chunk.rt)
    header = _headers(rng, n)
    per_year = _volumes(rng, header, np.array(chunk.severity), len(years))
    header_text = {
        name: [Decimal(t) for t in _text(v, 2 if name == _AREA_DENOMINATOR else 0)]
        for name, v in header.items()
    }
    aspects = tuple(RULE_SET.aspects)
    written = 0
    for tahun, volumes in zip(years, per_year, strict=True):
        scored = score_batch(header=header, volumes=volumes, rule_set=RULE_SET)
        if scored.error_mask.any() or scored.warning_mask.any():
            raise AssertionError("the generator made values with scoring issues")
        volume_text = {
            c.code: _text(volumes[c.code], 2 if c.denominator == _AREA_DENOMINATOR else 0)
            for c in RULE_SET.criteria
        }
        percent = scored.percent_hundredths.tolist()
        score = scored.score.tolist()
        aspect = scored.aspect_mean_hundredths.tolist()
        sectoral = scored.sectoral_mean_hundredths.tolist()
        total, klass = scored.total.tolist(), scored.klass.tolist()
        observations, scores = [], []
        for i in range(n):
            obs = Observation(
                id=next(obs_ids),
                rt_id=chunk.rt[i],
                tahun=tahun,
                volumes={code: volume_text[code][i] for code in RULE_SET.codes},
                percents={},
                rule_set=RULE_SET.id,
                source=Source.TEMPLATE,
                source_ref="bench:dashboard",
                entered_at=now,
                status=Status.APPROVED,
                **{name: header_text[name][i] for name in header_text},
            )
            observations.append(obs)
            desa = chunk.desa[i]
            scores.append(
                Score(
                    id=obs.pk,
                    observation_id=obs.pk,
                    rule_set=RULE_SET.id,
                    percents={
                        c: _percent_text(p) for c, p in zip(RULE_SET.codes, percent[i], strict=True)
                    },
                    scores=dict(zip(RULE_SET.codes, score[i], strict=True)),
                    total=total[i],
                    klass=CLASS_ORDER[klass[i]].value,
                    aspect_means={
                        str(a): _percent_text(m) for a, m in zip(aspects, aspect[i], strict=True)
                    },
                    sectoral_mean=hundredths_to_decimal(sectoral[i]),
                    warnings=[],
                    computed_at=now,
                    tahun=tahun,
                    luas_ha=obs.luas_ha,
                    location_id=chunk.location[i],
                    province_code=desa[:2],
                    kabupaten_code=desa[:5],
                    kecamatan_code=desa[:8],
                    desa_code=desa,
                )
            )
        Observation.objects.bulk_create(observations, batch_size=2000)
        Score.objects.bulk_create(scores, batch_size=2000)
        written += n
    return written


def _fast_sqlite() -> None:
    """A throw-away file being filled: no fsync, journal in memory (SQLite, outside a
    transaction: not in the tests)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")


def build_dataset(
    *,
    rts: int = 100_000,
    years: int = 5,
    seed: int = 2025,
    first_year: int = 2020,
    progress: Callable[[str], None] | None = None,
) -> BuildStats:
    """Write the data set into the current database (over the regions it holds)."""
    say = progress or (lambda _message: None)
    rng = np.random.default_rng(seed)
    stats = BuildStats()
    started = time.perf_counter()
    desa_of: dict[str, list[str]] = defaultdict(list)
    for code in (
        Region.objects.filter(level=Level.DESA).order_by("code").values_list("code", flat=True)
    ):
        desa_of[code[:5]].append(code)
    kabupaten = list(
        Region.objects.filter(level=Level.KABUPATEN, code__in=list(desa_of))
        .order_by("code")
        .values_list("code", "penduduk")
    )
    if not kabupaten:
        raise ValueError("no kabupaten/kota with desa in the database: load the regions first")
    population = np.array([float(p or 200_000) for _, p in kabupaten])
    counts = _share_out(rts, population * rng.lognormal(0, 0.5, len(kabupaten)), minimum=10)
    year_list = list(range(first_year, first_year + years))
    location_ids, rt_ids, obs_ids = _ids(Location), _ids(RtUnit), _ids(Observation)
    now = timezone.now()
    _fast_sqlite()
    with transaction.atomic():
        for start in range(0, len(kabupaten), _KABUPATEN_PER_CHUNK):
            chunk = _Chunk()
            locations: list[Location] = []
            units: list[RtUnit] = []
            for (code, _), n_rt in zip(
                kabupaten[start : start + _KABUPATEN_PER_CHUNK],
                counts[start : start + _KABUPATEN_PER_CHUNK],
                strict=True,
            ):
                new_locations, new_rts = _plan_kabupaten(
                    rng, code, desa_of[code], n_rt, location_ids, rt_ids, chunk
                )
                locations += new_locations
                units += new_rts
            Location.objects.bulk_create(locations, batch_size=2000)
            RtUnit.objects.bulk_create(units, batch_size=_WRITE_BATCH)
            stats.observations += _write_chunk(rng, chunk, year_list, obs_ids, now)
            _write_decrees(locations, units, first_year)
            stats.locations += len(locations)
            stats.rts += len(units)
            say(f"{min(start + _KABUPATEN_PER_CHUNK, len(kabupaten))}/{len(kabupaten)} kabupaten")
    stats.kabupaten = len(kabupaten)
    stats.seconds["rows"] = time.perf_counter() - started
    started = time.perf_counter()
    stats.location_scores = refresh_location_scores()
    stats.seconds["location_scores"] = time.perf_counter() - started
    _reset_sequences()
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, and on PostgreSQL the visibility map that lets the
        # covering index answer alone (autovacuum would set it soon after such a load).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return stats


def _write_decrees(locations: list[Location], units: list[RtUnit], year: int) -> None:
    """One SK per kabupaten listing all its locations, with about their RTs' area."""
    by_kabupaten: dict[str, list[Location]] = defaultdict(list)
    for location in locations:
        by_kabupaten[location.kabupaten_id].append(location)
    rt_count: dict[int, int] = defaultdict(int)
    for unit in units:
        rt_count[unit.location_id] += 1
    decrees = SkDecree.objects.bulk_create(
        [
            SkDecree(
                kabupaten_id=code,
                number=f"SK-BENCH/{code}/{year}",
                year=year,
                date=dt.date(year, 1, 15),
            )
            for code in by_kabupaten
        ]
    )
    SkLocation.objects.bulk_create(
        [
            SkLocation(
                decree_id=decree.pk,
                location_id=location.pk,
                luas_ha=Decimal(rt_count[location.pk]) * Decimal("1.25"),
            )
            for decree in decrees
            for location in by_kabupaten[decree.kabupaten_id]
        ],
        batch_size=_WRITE_BATCH,
    )


def _reset_sequences() -> None:
    """Rows were given their ids: move PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), [Location, RtUnit, Observation, Score]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
