"""`sikumuh migrate` and `sikumuh serve`."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    migrate = sub.add_parser("migrate", help="create or upgrade the database, load the regions")
    migrate.set_defaults(run=run_migrate)
    serve = sub.add_parser("serve", help="serve the web application (development server)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(run=run_serve)


def run_migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)
    from django.core.management import call_command

    from sikumuh.regions.loader import load_regions

    call_command("migrate", verbosity=0, interactive=False)
    summary = load_regions()
    print(
        f"database ready; regions: {summary.total} ({summary.created} new, "
        f"{summary.updated} updated)",
        file=out,
    )
    return 0


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.core.management import call_command

    print(f"serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=out)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0
