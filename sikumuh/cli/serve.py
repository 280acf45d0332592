"""`sikumuh serve [--host H] [--port N] [--workers N]`: the application behind gunicorn.

The same production WSGI server in every mode (`sikumuh demo` too); its whole configuration is
`gunicorn_options` below. Requests are logged by the application (one JSON line each,
sikumuh.web.request_log), so gunicorn's own access log is off.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


#: Threads per worker process: a request waiting on PostgreSQL leaves the processor to another.
THREADS = 10


def default_workers() -> int:
    """One process per core (at least two, so that one can restart while the other serves).

    Measured with `make loadtest` on 2 busy cores (requests/s): 5 sync workers 17, 5 × 4
    threads 42, 2 × 10 threads 57, 1 × 20 threads 64. Gunicorn's 2 × cores + 1 is for
    single-threaded workers; a gthread worker also accepts connections while its threads are
    busy, so few processes with many threads keep every request moving."""
    return max(2, os.cpu_count() or 1)


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the web application (gunicorn)")
    add_server_arguments(serve)
    serve.set_defaults(run=run)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: one per core, at least 2), of 10 threads each",
    )


def gunicorn_options(*, host: str, port: int, workers: int, behind_proxy: bool) -> dict[str, Any]:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        # Threads let a worker keep serving while one request waits on the network or the
        # database, and keep-alive connections from the proxy cheap.
        "worker_class": "gthread",
        "threads": THREADS,
        # A PDF report or a large import may take a while (until they move to jobs).
        "timeout": 120,
        "graceful_timeout": 30,
        # The application is loaded once, before the workers fork: they start warm and share
        # its memory.
        "preload_app": True,
        "keepalive": 5,
        # Recycle workers now and then, so that a slow leak cannot grow for months.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": None,
        "logconfig_dict": gunicorn_logging(),
        # X-Forwarded-Proto is trusted only behind the proxy, from it alone; Django decides the
        # same from the same switch (SECURE_PROXY_SSL_HEADER).
        "forwarded_allow_ips": "*" if behind_proxy else "",
        "proc_name": "sikumuh",
        # No control socket in the user's home: several servers may run on one machine.
        "control_socket_disable": True,
    }


def gunicorn_logging() -> dict[str, Any]:
    """Django's logging (JSON lines on stdout), gunicorn's own messages included; no access
    log (the application logs each request itself)."""
    from django.conf import settings

    logging: dict[str, Any] = settings.LOGGING
    return {
        **logging,
        "loggers": {
            **logging.get("loggers", {}),
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def start_server(*, host: str, port: int, workers: int | None = None) -> None:
    """Serve until stopped (SIGINT/SIGTERM). Django must be set up: the database connections
    of this process are closed before the workers fork, so that none is shared."""
    from django.conf import settings
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(
        host=host,
        port=port,
        workers=workers or default_workers(),
        behind_proxy=settings.BEHIND_PROXY,
    )

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from config.wsgi import application

            warm_up()
            return application

    connections.close_all()
    Server().run()


def warm_up() -> None:
    """Import every view, load every translation catalogue and compile our templates once,
    before the workers fork: otherwise each worker pays for them on its first requests (seconds
    under load; the load test's throughput rose by half)."""
    from django.apps import apps
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018  # the property imports the views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Log in")
    engine = engines["django"]
    for app in apps.get_app_configs():
        root = Path(app.path) / "templates"
        if app.name.startswith("sikumuh.") and root.is_dir():
            for path in root.rglob("*.html"):
                engine.get_template(str(path.relative_to(root)))  # the cached loader keeps it


def check_ready() -> None:
    """Refuse to serve a database or static files that `sikumuh migrate` has not prepared."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise base.CommandError("the database is not up to date: run `sikumuh migrate` first")
    if settings.PRODUCTION and not (settings.STATIC_ROOT / "staticfiles.json").exists():
        raise base.CommandError(
            f"no static files in {settings.STATIC_ROOT}: run `sikumuh migrate` first"
        )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from django.conf import settings

    # Outside production a fresh checkout just works; in production the operator upgrades
    # explicitly (`sikumuh migrate`), once, not every server at its start.
    base.setup_django(migrate=False)
    if not settings.PRODUCTION:
        base.prepare_database()
    check_ready()
    # stdout is the server's log (JSON lines): the greeting goes to stderr.
    print(f"serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=err)
    start_server(host=args.host, port=args.port, workers=args.workers)
    return 0
