"""Load test: the demo on PostgreSQL behind `sikumuh serve`, then behind Django's `runserver`.

    python bench/loadtest.py [--postgres URL] [--sessions N] [--seconds S] [--workers N]
                             [--seed S] [--skip-runserver] [--keep-alive]

1. Creates the database named in ``--postgres`` (default
   ``postgres://postgres@127.0.0.1:5432/sikumuh_loadtest``; it must not exist yet), builds the
   Tanah Laut demo into it (`sikumuh demo --no-serve`, regions and demo accounts included), and
   drops it at the end.
2. Lists, per demo role, the pages its user browses (all answering 200 to that user):
   dashboards of the regency, its kecamatan and desa, locations, RTs, map data, SK list and
   detail, RT data tables. The facilitator gets its own desa's.
3. Starts `sikumuh serve` on a free loopback port and runs ``--sessions`` logged-in sessions
   (default 20, the four demo roles in turn), each a thread requesting its role's pages one
   after another (no think time: a closed loop measuring capacity) for ``--seconds`` (default
   40). Then the same against `manage.py runserver` (the development server).
4. Prints per server: requests, requests/s, p50/p95/max latency, errors (any answer other
   than 200, or a failed connection) and the load generator's own processor time (% of one
   core: what it took from the servers); then the goals of issue 9: no error, p95 ≤ 600 ms, at
   least twice the development server's throughput. Exits 1 when a goal is missed.

Loopback only; every request has a timeout. Not a test: the machine's load changes the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sikumuh_loadtest"
TIMEOUT_S = 30.0
P95_GOAL_MS = 600.0
SPEEDUP_GOAL = 2.0


@dataclass
class Result:
    """What the sessions saw on one server."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    client_cpu_s: float = 0.0  # processor time of this load generator while it measured
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, ms: float, error: str | None) -> None:
        kind = re.sub(r"[0-9.]+", "N", path)  # /lokasi/N/, /wilayah/N/peta.geojson
        with self.lock:
            self.latencies_ms.append(ms)
            self.by_kind.setdefault(kind, []).append(ms)
            if error:
                self.errors.append(error)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


# --- The database and the pages --------------------------------------------------------------


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    base, _, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  # our own statement, no user input


@contextlib.contextmanager
def database(url: str, args: argparse.Namespace) -> Iterator[bool]:
    """The load-test database, created (unless reused) and dropped (unless kept); yields
    whether the demo must be built into it."""
    name = url.rpartition("/")[2]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"--postgres: name a database (lower case, digits, _) at the end of {url}")
    if not args.reuse:
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield not args.reuse
    finally:
        if not args.keep:
            _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _say(f"dropped database {name}")


def pages_by_role(seed: int) -> dict[str, list[str]]:
    """The pages each demo account browses (Django set up on the load-test database)."""
    import django

    django.setup()
    from django.urls import reverse

    from sikumuh.accounts.demo import FACILITATOR_DESA, KABUPATEN
    from sikumuh.slums.models import Location, RtUnit, SkDecree

    rng = random.Random(seed)

    def region_pages(codes: list[str], locations: list[int], rts: list[int]) -> list[str]:
        return [
            *(reverse("web:dashboard", kwargs={"code": c}) for c in codes),
            *(reverse("web:map_data", kwargs={"code": c}) for c in codes),
            *(reverse("web:rt_data", kwargs={"code": c}) for c in codes),
            *(reverse("web:location", kwargs={"pk": pk}) for pk in locations),
            *(reverse("web:rt", kwargs={"pk": pk}) for pk in rts),
        ]

    def sample(values: list[object], k: int) -> list[object]:
        return rng.sample(values, min(k, len(values)))

    locations = list(Location.objects.filter(kabupaten_id=KABUPATEN).values_list("pk", "desa_id"))
    desas = sorted({desa for _, desa in locations if desa})
    kecamatans = sorted({desa.rsplit(".", 1)[0] for desa in desas})
    rts = list(RtUnit.objects.filter(location__kabupaten_id=KABUPATEN).values_list("pk", flat=True))
    sk = SkDecree.objects.filter(kabupaten_id=KABUPATEN).values_list("pk", flat=True)
    sk_pages = [reverse("web:sk_detail", kwargs={"pk": pk}) for pk in sk]
    regency = [
        *region_pages(
            [KABUPATEN, *sample(kecamatans, 4), *sample(desas, 6)],  # type: ignore[list-item]
            sample([pk for pk, _ in locations], 15),  # type: ignore[arg-type]
            sample(rts, 15),  # type: ignore[arg-type]
        ),
        reverse("web:sk_list", kwargs={"code": KABUPATEN}),
        *sk_pages,
    ]
    own = [pk for pk, desa in locations if desa == FACILITATOR_DESA]
    own_rts = list(RtUnit.objects.filter(desa_id=FACILITATOR_DESA).values_list("pk", flat=True))
    facilitator = [*region_pages([FACILITATOR_DESA], own, own_rts[:15]), *sk_pages]
    return {"admin": regency, "reviewer": regency, "editor": facilitator, "viewer": regency}


# --- The servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (status {process.returncode})")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/masuk/", timeout=5):
            return
        time.sleep(0.3)
    raise SystemExit(f"no answer from {base} within {seconds:.0f} s")


@contextlib.contextmanager
def server(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_until_up(base, process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The sessions ----------------------------------------------------------------------------


class Session:
    """One browser: its cookies, sent by hand, and by default a new connection per request.

    The load generator shares the machine's cores with the servers it measures, so it must cost
    as little as possible per request: plain http.client, no urllib opener or cookie policy,
    nothing parsed but the status and Set-Cookie (it takes a few % of one core; the report
    says how much). A new connection per request lets whichever gunicorn worker process is
    free take it; a kept-alive one (``keep_alive``, option --keep-alive) pins a session to the
    worker that accepted it, however busy that one is.
    """

    def __init__(self, base: str, *, keep_alive: bool = False) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.base = base
        self.keep_alive = keep_alive
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        self.used = False  # whether the open connection has carried a request already

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> int:
        headers = {**(headers or {})}
        if not self.keep_alive:
            headers["Connection"] = "close"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed meanwhile: once more on a new
                # one (as browsers do); on a new connection the failure is the server's.
                self.connection.close()
                stale, self.used = self.used, False
                if attempt == 2 or not stale:
                    raise
        self.used = not response.will_close
        if response.will_close:
            self.connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return int(response.status)

    def get(self, path: str) -> int:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> None:
        self.get("/masuk/")
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": self.base + "/masuk/",
        }
        status = self.request("POST", "/masuk/", data, headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"{username} could not log in at {self.base} ({status})")


def browse(session: Session, pages: list[str], until: float, seed: int, result: Result) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(pages)
        started = time.perf_counter()
        try:
            status = session.get(path)
            error = None if status == 200 else f"{status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__} {path}"
        result.add(path, (time.perf_counter() - started) * 1000, error)


def run_threads(threads: list[threading.Thread], args: argparse.Namespace) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 2 * TIMEOUT_S)


def load(
    base: str,
    accounts: list[tuple[str, str, str]],
    pages: dict[str, list[str]],
    args: argparse.Namespace,
) -> Result:
    sessions = []
    for index in range(args.sessions):
        username, password, role = accounts[index % len(accounts)]
        session = Session(base, keep_alive=args.keep_alive)
        session.login(username, password)
        sessions.append((session, pages[role]))
    if args.warmup:  # every worker process compiles its templates and URL patterns once
        warm = [
            (s, p, time.monotonic() + args.warmup, i, Result()) for i, (s, p) in enumerate(sessions)
        ]
        run_threads([threading.Thread(target=browse, args=a, daemon=True) for a in warm], args)
    result = Result()
    started, cpu = time.monotonic(), time.process_time()
    until = started + args.seconds
    threads = [
        threading.Thread(target=browse, args=(s, p, until, args.seed + i, result), daemon=True)
        for i, (s, p) in enumerate(sessions)
    ]
    run_threads(threads, args)
    result.seconds = time.monotonic() - started
    result.client_cpu_s = time.process_time() - cpu
    for session, _pages in sessions:
        session.connection.close()
    return result


# --- Report ----------------------------------------------------------------------------------


def line(name: str, result: Result) -> str:
    ms = result.latencies_ms
    rate = len(ms) / result.seconds if result.seconds else 0.0
    client = 100 * result.client_cpu_s / result.seconds if result.seconds else 0.0
    return (
        f"{name:<22} {len(ms):>7} {rate:>9.1f} {percentile(ms, 50):>8.0f} "
        f"{percentile(ms, 95):>8.0f} {max(ms, default=0):>8.0f} {len(result.errors):>7} "
        f"{client:>9.0f}%"
    )


def goals(served: Result, dev: Result | None) -> list[tuple[str, bool]]:
    rate = len(served.latencies_ms) / served.seconds
    checks = [
        ("no error", not served.errors),
        (f"p95 ≤ {P95_GOAL_MS:.0f} ms", percentile(served.latencies_ms, 95) <= P95_GOAL_MS),
    ]
    if dev is not None and dev.latencies_ms:
        ratio = rate / (len(dev.latencies_ms) / dev.seconds)
        checks.append(
            (f"throughput ≥ {SPEEDUP_GOAL:.0f}× runserver ({ratio:.2f}×)", ratio >= SPEEDUP_GOAL)
        )
    return checks


def report(results: dict[str, Result], args: argparse.Namespace) -> bool:
    print(f"\n{args.sessions} sessions, {args.seconds:.0f} s each server, {os.cpu_count()} cores")
    print(
        f"{'server':<22} {'requests':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'errors':>7} {'client CPU':>10}"
    )
    for name, result in results.items():
        print(line(name, result))
    for name, result in results.items():
        kinds = sorted(result.by_kind.items(), key=lambda item: -percentile(item[1], 95))
        print(
            f"{name}, slowest kinds of page: "
            + ", ".join(
                f"{kind} p95 {percentile(ms, 95):.0f} ms ({len(ms)})" for kind, ms in kinds[:4]
            )
        )
        for error in sorted(set(result.errors))[:5]:
            print(f"  {name} error: {error}")
    served = results["sikumuh serve"]
    checks = goals(served, results.get("runserver"))
    for label, ok in checks:
        print(f"goal {label}: {'met' if ok else 'MISSED'}")
    return all(ok for _, ok in checks)


# --- Main ------------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, env: dict[str, str], var: Path, build: bool) -> bool:
    if build:
        _say("building the demo (regions, data, accounts) ...")
        command = [str(BIN / "sikumuh"), "demo", "--no-serve"]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    pages = pages_by_role(args.seed)
    from sikumuh.accounts.demo import DEMO_ACCOUNTS

    accounts = [(user, password, role) for user, password, role, _, _ in DEMO_ACCOUNTS]
    results: dict[str, Result] = {}
    port = free_port()
    serve = [str(BIN / "sikumuh"), "serve", "--port", str(port)]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    _say(f"sikumuh serve: {args.sessions} sessions for {args.seconds:.0f} s ...")
    with server(serve, port, env, var / "serve.log") as base:
        results["sikumuh serve"] = load(base, accounts, pages, args)
    if not args.skip_runserver:
        port = free_port()
        dev = [
            sys.executable,
            str(REPO / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ]
        _say(f"runserver: {args.sessions} sessions for {args.seconds:.0f} s ...")
        # Django's default (a connection per request): with persistent ones, the development
        # server's thread per request would exhaust PostgreSQL's connections.
        dev_env = {**env, "DATABASE_CONN_MAX_AGE": "0"}
        with server(dev, port, dev_env, var / "runserver.log") as base:
            results["runserver"] = load(base, accounts, pages, args)
    return report(results, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_DB, metavar="URL")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, not measured")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--skip-runserver", action="store_true")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="one persistent connection per session (default: a new one per request)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="sikumuh-loadtest-") as tmp,
        database(args.postgres, args) as build,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": args.postgres,
            "SIKUMUH_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("SIKUMUH_ENV", None)  # the demo accounts exist outside production only
        ok = run(args, env, args.logs or Path(tmp), build)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
