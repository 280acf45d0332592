"""Profile of the page requests of `make loadtest`, in one process, with Django's test client.

    python bench/request_profile.py [--db FILE] [--repeat N] [--seed S] [--top N]
                                    [--per-url] [--no-profile] [--only REGEX]

1. Builds the Tanah Laut demo (`sikumuh demo --no-serve`: regions, data, demo accounts) into a
   SQLite file: ``--db FILE`` (built when absent, reused when present) or a temporary one.
2. Lists the pages each demo role browses exactly as bench/loadtest.py does (same seed, same
   pages), plus the national dashboard ``/wilayah/ID/`` for the demo superuser.
3. Logs in as each role (a test client each, DEBUG off), requests every page once (warm-up:
   every answer must be 200; the queries per page are counted then), then ``--repeat`` times
   the whole mix, timed: prints per kind of page (``--per-url``: per page) the mean wall and
   processor milliseconds and the queries.
4. Unless ``--no-profile``: the mix once more under cProfile; prints the ``--top`` functions by
   cumulative and by own time.

Run by hand (not by `make bench`); the figures depend on the machine's load, so compare runs
made back to back. Processor time is the steadier figure on a busy machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
BIN = Path(sys.executable).parent


def build_demo(db: Path, var: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "SIKUMUH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("SIKUMUH_ENV", None)  # the demo accounts exist outside production only
    print(f"building the demo into {db} ...", file=sys.stderr, flush=True)
    subprocess.run(
        [str(BIN / "sikumuh"), "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )


def setup_django(db: Path, var: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["SIKUMUH_VAR_DIR"] = str(var)
    os.environ["DEBUG"] = "false"  # as served: no query log, no debug templates
    os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")  # no log line per request
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("SIKUMUH_ENV", None)
    import django

    django.setup()


def kind_of(path: str) -> str:
    """ "dashboard kecamatan" for /wilayah/63.01.03/: the loadtest's kinds, by region level."""
    level = {2: "national", 5: "kabupaten", 8: "kecamatan", 13: "desa"}
    match = re.match(r"/wilayah/([^/]+)/(.*)$", path)
    if match:
        code, rest = match.groups()
        name = {"": "dashboard", "peta.geojson": "map data", "data-rt/": "RT table"}.get(rest, rest)
        return f"{name} {level.get(len(code), code)}"
    return re.sub(r"[0-9]+", "N", path)


def mix(seed: int) -> list[tuple[str, str]]:
    """(username, path) of every page of the loadtest's roles, and the national dashboard."""
    from loadtest import pages_by_role

    from sikumuh.accounts.demo import DEMO_ACCOUNTS, DEMO_SUPERUSER

    pages = pages_by_role(seed)
    requests = [
        (username, path) for username, _, role, _, _ in DEMO_ACCOUNTS for path in pages[role]
    ]
    return [*requests, (DEMO_SUPERUSER[0], "/wilayah/ID/")]


def clients(usernames: set[str]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects.in_bulk(list(usernames), field_name="username")
    result = {}
    for name in usernames:
        client = Client()
        client.force_login(users[name])
        result[name] = client
    return result


Request = tuple[str, str]  # (username, path)


def warm_up(requests: list[Request], by_user: dict[str, Any]) -> dict[Request, int]:
    """Every page once (templates compiled, URL patterns loaded); the queries of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries: dict[Request, int] = {}
    for username, path in requests:
        with CaptureQueriesContext(connection) as captured:
            response = by_user[username].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{username} {path}: HTTP {response.status_code}")
        queries[username, path] = len(captured)
    return queries


def timed(
    requests: list[Request], by_user: dict[str, Any], repeat: int
) -> dict[Request, list[tuple[float, float]]]:
    """(wall ms, processor ms) of every request, per page and user; the passes interleaved, so
    that a burst of load on the machine spreads over every kind of page."""
    times: dict[Request, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(repeat):
        for username, path in requests:
            wall, cpu = time.perf_counter(), time.process_time()
            by_user[username].get(path)
            times[username, path].append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
    return times


def report(
    times: dict[Request, list[tuple[float, float]]], queries: dict[Request, int], per_url: bool
) -> None:
    """Mean wall and processor ms per kind of page; "best" is the mean over its requests of
    each one's fastest pass (wall and processor time): the figures least disturbed by other
    work on the machine."""
    groups: dict[str, list[Request]] = defaultdict(list)
    for request in times:
        groups[request[1] if per_url else kind_of(request[1])].append(request)
    groups["all requests"] = list(times)
    print(
        f"\n{'page':<34} {'n':>5} {'wall ms':>8} {'cpu ms':>7} {'best ms':>8} {'best cpu':>8}"
        f" {'queries':>8}"
    )
    for name in sorted(groups, key=lambda name: (name == "all requests", name)):
        samples = [sample for request in groups[name] for sample in times[request]]
        wall = sum(w for w, _ in samples) / len(samples)
        cpu = sum(c for _, c in samples) / len(samples)
        best = sum(min(w for w, _ in times[r]) for r in groups[name]) / len(groups[name])
        best_cpu = sum(min(c for _, c in times[r]) for r in groups[name]) / len(groups[name])
        most = max(queries[request] for request in groups[name])
        print(
            f"{name:<34} {len(samples):>5} {wall:>8.1f} {cpu:>7.1f} {best:>8.1f}"
            f" {best_cpu:>8.1f} {most:>8}"
        )


def profile(requests: list[Request], by_user: dict[str, Any], args: argparse.Namespace) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for username, path in requests:
        by_user[username].get(path)
    profiler.disable()
    if args.dump:
        profiler.dump_stats(args.dump)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n=== cProfile, one pass of {len(requests)} requests, by {order} ===")
        print(out.getvalue().split("\n", 6)[-1])  # without pstats' header lines


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="sikumuh-profile-") as tmp:
        db = (args.db or Path(tmp) / "demo.sqlite3").resolve()
        var = db.parent / "var"
        var.mkdir(parents=True, exist_ok=True)
        if not db.exists():
            build_demo(db, var)
        setup_django(db, var)
        requests = mix(args.seed)
        if args.only:
            requests = [(u, p) for u, p in requests if re.search(args.only, kind_of(p))]
        by_user = clients({username for username, _ in requests})
        queries = warm_up(requests, by_user)
        print(f"{len(requests)} requests a pass, {args.repeat} passes", file=sys.stderr)
        report(timed(requests, by_user, args.repeat), queries, args.per_url)
        if not args.no_profile:
            profile(requests, by_user, args)
    return 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite file of the demo (built when absent)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the mix")
    parser.add_argument("--seed", type=int, default=9, help="as bench/loadtest.py's --seed")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    parser.add_argument("--per-url", action="store_true", help="one line per page, not kind")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--dump", type=Path, help="write the profile here (pstats format)")
    parser.add_argument("--only", help="only the kinds of page matching this expression")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
