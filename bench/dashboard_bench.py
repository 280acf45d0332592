"""Benchmark: server time of the dashboards and the map data on a national-scale data set.

    python bench/dashboard_bench.py [--rts N] [--years N] [--seed S] [--sample N] [--repeat N]
                                    [--rebuild] [--postgres URL [--keep] [--reuse]]

1. Data: every region of Indonesia (91,599, `load_regions`) and, over every kabupaten/kota,
   about ``--rts`` RTs (default 100,000) in slum locations, each observed ``--years`` years
   (default 5): ~500,000 observations and RT scores, their location summaries, one SK per
   kabupaten, a polygon per location (`dashboard_data.py`). On SQLite the data set is built
   once into ``var/bench/`` (a file named after the generator's version and arguments) and
   reused by later runs (``--rebuild`` builds it again). With ``--postgres URL`` (a server
   URL, e.g. ``postgres://postgres@127.0.0.1:5432/sikumuh_bench``) the database named in the
   URL is created, filled, measured and dropped (it must not exist yet); ``--keep`` leaves it
   in place and ``--reuse`` measures such a kept database again without rebuilding it.
2. Measure, with Django's test client logged in as a superuser (middleware, session, scope,
   template rendering included; DEBUG off): ``/wilayah/ID/`` (national), ``/wilayah/<kab>/``
   for ``--sample`` kabupaten (the largest three and a seeded random rest) and their
   ``/wilayah/<kab>/peta.geojson?tahun=<latest>`` (as the page asks for it); one warm-up, then
   ``--repeat`` timed requests each. Prints p50 / p95 / max per URL kind and the queries per
   request (counted in a separate, untimed pass).
3. Reference, in the same process: the same URLs with the pre-summary path (location classes
   computed from every RT's volumes, national figures grouped from every RT score:
   `dashboard.location_years_from_rts`, `dashboard.years_from_scores`); prints the ratio
   reference / summaries. Goal (issue 3, "Speed"): p95 under 150 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout, too
sys.path.insert(0, str(REPO / "bench"))

GOAL_MS = 150.0
#: Bump when `dashboard_data` writes other data: cached SQLite data sets are keyed by it.
DATASET_VERSION = 1
KINDS = ("national", "kabupaten", "map")


@dataclass
class Timing:
    kind: str
    url: str
    ms: list[float]
    queries: int


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


# --- The database --------------------------------------------------------------------------------


def _sqlite_cache(args: argparse.Namespace) -> Path:
    name = f"dashboard-v{DATASET_VERSION}-{args.rts}rt-{args.years}y-s{args.seed}.sqlite3"
    return REPO / "var" / "bench" / name


def _server_and_name(url: str) -> tuple[str, str]:
    """The maintenance database URL of the server and the database name from a postgres URL."""
    base, _, name = url.rpartition("/")
    if not name or "?" in name:
        raise SystemExit(f"--postgres: name the database to create at the end of {url!r}")
    return f"{base}/postgres", name


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"  # as served: no query log, no debug templates
    os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")  # timings, not one log line a request
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(args: argparse.Namespace, say: Callable[[str], None]) -> dict[str, Any]:
    """Migrate, load the regions and write the data set into the configured database."""
    from dashboard_data import build_dataset
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from sikumuh.io.region_list import load_regions

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    regions = load_regions().total
    load_s = time.perf_counter() - started
    stats = build_dataset(
        rts=args.rts, years=args.years, seed=args.seed, progress=lambda m: say(f"  {m}")
    )
    get_user_model().objects.create_superuser("bench", password="bench-only")
    return {
        "regions": regions,
        "kabupaten": stats.kabupaten,
        "locations": stats.locations,
        "rts": stats.rts,
        "observations": stats.observations,
        "location_scores": stats.location_scores,
        "seconds": {"migrate+regions": load_s, **stats.seconds},
    }


def describe() -> dict[str, Any]:
    from sikumuh.regions.models import Region
    from sikumuh.slums.models import Location, RtUnit
    from sikumuh.surveys.models import LocationScore, Observation

    return {
        "regions": Region.objects.count(),
        "locations": Location.objects.count(),
        "rts": RtUnit.objects.count(),
        "observations": Observation.objects.count(),
        "location_scores": LocationScore.objects.count(),
    }


# --- Measuring -----------------------------------------------------------------------------------


def sample_urls(sample: int, seed: int) -> list[tuple[str, str]]:
    """(kind, url): the national dashboard, then `sample` kabupaten dashboards and their maps."""
    import numpy as np
    from django.db.models import Count, Max

    from sikumuh.surveys.models import Score

    latest = Score.objects.aggregate(t=Max("tahun"))["t"]
    sizes = list(
        Score.objects.filter(tahun=latest)
        .values_list("kabupaten_code")
        .annotate(n=Count("id"))
        .order_by("-n", "kabupaten_code")
    )
    largest = [code for code, _ in sizes[:3]]
    rest = [code for code, _ in sizes[3:]]
    rng = np.random.default_rng(seed)
    picked = largest + [rest[i] for i in rng.permutation(len(rest))[: max(0, sample - 3)]]
    urls = [("national", "/wilayah/ID/")]
    urls += [("kabupaten", f"/wilayah/{code}/") for code in picked[:sample]]
    urls += [("map", f"/wilayah/{code}/peta.geojson?tahun={latest}") for code in picked[:sample]]
    return urls


def _client() -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    return client


def measure(urls: list[tuple[str, str]], repeat: int) -> list[Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    timings = []
    for kind, url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)  # warm-up, and the query count
        queries = len(captured)  # now: the next request clears the connection's query log
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        ms = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            ms.append((time.perf_counter() - started) * 1000)
        timings.append(Timing(kind, url, ms, queries))
    return timings


@contextlib.contextmanager
def reference_path() -> Iterator[None]:
    """The dashboards as they were before the stored summaries (the reference)."""
    from sikumuh.surveys import dashboard
    from sikumuh.surveys.dashboard import locations, region

    with (
        mock.patch.object(region, "location_years", dashboard.location_years_from_rts),
        mock.patch.object(locations, "location_years", dashboard.location_years_from_rts),
        mock.patch.object(region, "region_years", dashboard.years_from_scores),
    ):
        yield


def summarise(timings: list[Timing]) -> dict[str, dict[str, float]]:
    table = {}
    for kind in KINDS:
        ms = [m for t in timings if t.kind == kind for m in t.ms]
        queries = [t.queries for t in timings if t.kind == kind]
        if ms:
            table[kind] = {
                "p50": statistics.median(ms),
                "p95": percentile(ms, 95),
                "max": max(ms),
                "queries_min": min(queries),
                "queries_max": max(queries),
                "n": len(ms),
            }
    return table


def report(
    label: str, new: dict[str, dict[str, float]], ref: dict[str, dict[str, float]], out: Any
) -> bool:
    print(f"\n{label}", file=out)
    print(
        f"{'URL kind':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}"
        f" | {'ref p50':>8} {'ref p95':>8} {'ref q':>6} | {'p95 ratio':>9}  goal",
        file=out,
    )
    ok = True
    for kind, row in new.items():
        r = ref[kind]
        queries = _range(row)
        passed = row["p95"] < GOAL_MS
        ok = ok and passed
        print(
            f"{kind:<10} {row['p50']:8.1f} {row['p95']:8.1f} {row['max']:8.1f} {queries:>8}"
            f" | {r['p50']:8.1f} {r['p95']:8.1f} {_range(r):>6} | {r['p95'] / row['p95']:8.1f}x"
            f"  {'ok' if passed else 'MISSED'} (p95 < {GOAL_MS:.0f} ms)",
            file=out,
        )
    return ok


def _range(row: dict[str, float]) -> str:
    low, high = int(row["queries_min"]), int(row["queries_max"])
    return str(low) if low == high else f"{low}-{high}"


def run_measurements(args: argparse.Namespace, out: Any) -> tuple[Any, Any]:
    urls = sample_urls(args.sample, args.seed)
    new = summarise(measure(urls, args.repeat))
    with reference_path():
        ref = summarise(measure(urls, args.repeat))
    return new, ref


# --- Main ----------------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rts", type=int, default=100_000, help="RTs in all (default 100000)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--sample", type=int, default=20, help="kabupaten measured")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--postgres", metavar="URL", help="measure on this PostgreSQL database")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached SQLite file")
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: keep the database (to profile, --reuse)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: measure the database a --keep run left"
    )
    args = parser.parse_args(argv)

    built: dict[str, Any] | None = None
    if args.postgres:
        server, name = _server_and_name(args.postgres)
        if not args.reuse:
            _say(f"creating PostgreSQL database {name}")
            _pg_admin(server, f'CREATE DATABASE "{name}"')
        try:
            _setup_django(args.postgres)
            if not args.reuse:
                built = build(args, _say)
            label = f"PostgreSQL ({name})"
            new, ref = run_measurements(args, sys.stdout)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}"')
                _say(f"dropped PostgreSQL database {name}")
    else:
        cache = _sqlite_cache(args)
        if args.rebuild or not cache.exists():
            cache.parent.mkdir(parents=True, exist_ok=True)
            # Built under a temporary name, renamed once complete: a half-built file is never
            # taken for a cached data set.
            fd, tmp = tempfile.mkstemp(suffix=".sqlite3", dir=cache.parent)
            os.close(fd)
            _setup_django(f"sqlite:///{tmp}")
            _say(f"building the data set into {cache} (once)")
            from django.db import connections

            try:
                built = build(args, _say)
                connections.close_all()
                os.replace(tmp, cache)
            finally:
                Path(tmp).unlink(missing_ok=True)
            connections["default"].settings_dict["NAME"] = str(cache)  # reopened there
        else:
            _setup_django(f"sqlite:///{cache}")
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)  # a newer schema, if any
        label = f"SQLite ({cache.relative_to(REPO)})"
        new, ref = run_measurements(args, sys.stdout)

    print(f"data set: {describe_text(built, args)}")
    if built:
        seconds = ", ".join(f"{k} {v:.1f} s" for k, v in built["seconds"].items())
        print(f"build: {seconds}")
    ok = report(label, new, ref, sys.stdout)
    print("\nref = the same URLs computing location classes and national figures from every RT")
    return 0 if ok else 1


def describe_text(built: dict[str, Any] | None, args: argparse.Namespace) -> str:
    facts = built or describe()
    return (
        f"{facts['regions']} regions, {facts['locations']} locations, {facts['rts']} RTs,"
        f" {facts['observations']} observations and RT scores ({args.years} years),"
        f" {facts['location_scores']} location summaries"
    )


if __name__ == "__main__":
    sys.exit(main())
