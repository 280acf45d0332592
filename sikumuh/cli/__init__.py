"""The `sikumuh` command line. Each subcommand lives in its own module with `add_parser` and
`run(args, out, err) -> int`; errors are one clear line each, never a traceback."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from sikumuh.cli import base

#: The subcommands' modules (in `sikumuh.cli`), each with `add_parser(sub)`: the one list.
COMMAND_MODULES = (
    "backup",
    "database",
    "demo",
    "export",
    "geo",
    "imports",
    "jobs",
    "planning",
    "report",
    "score",
    "serve",
    "sk",
    "slum_area",
    "summaries",
    "survey",
    "uji_petik",
    "users",
    "worker",
)


class Parser(argparse.ArgumentParser):
    """argparse's parser whose error line starts as ours do ("sikumuh …: kesalahan: …");
    argparse's own messages stay as Python words them."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {base.gettext_early('error')}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sikumuh",
        description="Sistem Informasi Penanganan Permukiman Kumuh (slum monitoring).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"sikumuh.cli.{name}").add_parser(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args, out, err))
    except base.CommandError as exc:
        print(f"sikumuh: {base.gettext_early('error')}: {exc}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"sikumuh: {base.gettext_early('interrupted')}", file=err)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
