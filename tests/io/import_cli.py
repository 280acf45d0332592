"""Calling `sikumuh import …` in the tests as the command line would."""

from __future__ import annotations

import argparse
import io

from sikumuh.cli import base, imports


def call(*argv: str) -> tuple[int, str]:
    """Run the `import` subcommand as `sikumuh` would (the same parser and run function):
    ``(exit status, output)``, the output being the one-line message of a refusal."""
    parser = argparse.ArgumentParser(prog="sikumuh")
    imports.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", *argv])
    out, err = io.StringIO(), io.StringIO()
    try:
        code = int(args.run(args, out, err))
    except base.CommandError as exc:
        return exc.exit_code, str(exc)
    return code, out.getvalue()
