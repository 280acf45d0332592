"""`sikumuh rebuild-summaries`: recompute every stored location-year summary (`LocationScore`).

The write paths keep the summaries current; this rebuilds them all from the observations, e.g.
after data were written outside the actions or the scoring code changed.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "rebuild-summaries",
        help="recompute the stored class of every slum location per year (from its RTs)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from sikumuh.surveys.location_scores import rebuild_location_scores

    started = time.perf_counter()
    progress = base.Progress("locations", err)
    written = rebuild_location_scores(progress)
    progress.finish()
    print(
        f"location summaries rebuilt: {written} location-years"
        f" in {time.perf_counter() - started:.1f} s",
        file=out,
    )
    return 0
