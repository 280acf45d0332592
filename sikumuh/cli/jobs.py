"""`sikumuh jobs prune [--days N]`: delete the finished background jobs older than N days
(default ``SIKUMUH_JOB_RETENTION_DAYS``, 30) with their result files, now; every
`sikumuh worker` does the same once an hour."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from sikumuh.cli import base


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("jobs", help="background jobs: housekeeping")
    actions = parser.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    prune = actions.add_parser(
        "prune", help="delete finished jobs (and their files) older than N days"
    )
    prune.add_argument(
        "--days",
        type=int,
        default=None,
        help="age in days (default: $SIKUMUH_JOB_RETENTION_DAYS or 30)",
    )
    prune.set_defaults(run=run_prune)


def run_prune(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django()
    from django.conf import settings
    from django.utils.translation import gettext as _

    from sikumuh.jobs.retention import prune_jobs

    days = settings.JOB_RETENTION_DAYS if args.days is None else args.days
    if days < 1:
        raise base.CommandError(
            _("--days %(days)s: jobs are kept at least one day") % {"days": days}
        )
    pruned = prune_jobs(days=days)
    print(
        _(
            "%(jobs)s finished jobs older than %(days)s days deleted"
            " (%(files)s result files, %(tasks)s queue rows)"
        )
        % {
            "jobs": pruned.jobs,
            "days": days,
            "files": pruned.files,
            "tasks": pruned.task_results,
        },
        file=out,
    )
    return 0
