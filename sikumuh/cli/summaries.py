"""`sikumuh rebuild-summaries [--region CODE]`: recompute the stored location-year summaries
(`LocationScore`), of every location or of one kabupaten/kota's.

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
    parser.add_argument(
        "--region", metavar="CODE", help="only the locations of this kabupaten/kota (e.g. 63.01)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.utils.translation import gettext as _

    from sikumuh.regions.models import Level, Region
    from sikumuh.surveys.location_scores import rebuild_location_scores

    code = None if args.region is None else args.region.strip()
    if code is not None and not Region.objects.filter(code=code, level=Level.KABUPATEN).exists():
        raise base.CommandError(_("unknown kabupaten/kota code: %(code)s") % {"code": code})
    started = time.perf_counter()
    progress = base.Progress("locations", err)
    written = rebuild_location_scores(progress, code)
    progress.finish()
    print(
        f"location summaries rebuilt: {written} location-years"
        f" in {time.perf_counter() - started:.1f} s",
        file=out,
    )
    return 0
