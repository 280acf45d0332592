"""`sikumuh score FILE`: score a template file (CSV/XLSX) without a database.

Writes, per row in input order, the identity, ``p_<code>`` and ``s_<code>`` per criterion,
``total``, ``class`` and ``warnings`` (``<criterion>:<code>``, joined by ``;``); rows with errors
are listed instead (stderr for CSV/XLSX, ``errors`` in JSON) and the exit status is then 1.

Fast by construction, because whole regency files are scored here: columns are read and
validated in bulk (:func:`sikumuh.io.template.read_template_columns`), scored in batch
(:func:`sikumuh.io.scored.score_columns`) and written as columns through the shared table
renderer.
``bench/score_bench.py`` checks the output against a per-row reference, byte for byte.
No Django import anywhere on this path.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from sikumuh.cli import base

if TYPE_CHECKING:
    from sikumuh.core.criteria import RuleSet
    from sikumuh.core.rows import Problem
    from sikumuh.io.scored import ScoredRows

FORMATS = ("csv", "json", "xlsx")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("score", help="score a template file (CSV/XLSX) without a database")
    parser.add_argument("file", help="the filled-in template (.csv or .xlsx)")
    parser.add_argument(
        "--rules",
        help="rule set id or year (2018, 2016); overrides the file's `rules` column "
        "(default permen-pupr-14-2018)",
    )
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    parser.set_defaults(run=run)


@dataclass
class ScoreRun:
    """What a run did: the rule set, rows read and scored, and the problems found."""

    rule_set_id: str
    rows: int
    scored: int
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not os.path.isfile(args.file):
        raise base.CommandError(f"no such file: {args.file}")
    if args.format == "xlsx" and not args.output and not hasattr(out, "buffer"):
        raise base.CommandError("--format xlsx needs -o FILE")
    if args.output:
        mode = {"xlsx": "wb"}.get(args.format, "w")
        encoding = None if mode == "wb" else "utf-8"
        with open(args.output, mode, encoding=encoding, newline="" if encoding else None) as fh:
            result = score_file(args.file, rules=args.rules, fmt=args.format, out=fh)
    else:
        target: Any = getattr(out, "buffer", out) if args.format == "xlsx" else out
        result = score_file(args.file, rules=args.rules, fmt=args.format, out=target)
    for problem in result.warnings:
        print(f"warning: {problem}", file=err)
    if args.format != "json":
        for problem in result.errors:
            print(f"error: {problem}", file=err)
    if args.output:
        print(
            f"scored {result.scored} of {result.rows} rows under {result.rule_set_id}"
            f" → {args.output}",
            file=err,
        )
    return 1 if result.errors else 0


def score_file(path: str | os.PathLike[str], *, rules: str | None, fmt: str, out: Any) -> ScoreRun:
    """Score a template file and write the result to ``out`` (text stream for CSV/JSON, path or
    binary stream for XLSX). The function behind ``sikumuh score``; the benchmark calls it."""
    from sikumuh.io.readers import gc_paused

    if not os.path.isfile(path):
        raise base.CommandError(f"no such file: {path}")
    with gc_paused():
        # The columns and scored rows die when _score returns, before the collector is back:
        # alive, their lists of 200,000 cells would each be traversed by its first collection.
        return _score(path, rules, fmt, out)


def _score(path: str | os.PathLike[str], rules: str | None, fmt: str, out: Any) -> ScoreRun:
    from sikumuh.core.criteria import UnknownRuleSet, get_rule_set
    from sikumuh.io.readers import ReaderError
    from sikumuh.io.scored import score_columns
    from sikumuh.io.template import read_template_columns, resolve_rule_set_id

    try:
        data = read_template_columns(path, rule_set_id=rules)
    except ReaderError as exc:
        # Only a refusal needs Django (its catalogue, for the Indonesian message): set up on
        # this path alone, so scoring a good file never imports it.
        base.setup_django(migrate=False)
        raise base.CommandError(exc.translated()) from exc
    except UnknownRuleSet as exc:
        raise base.CommandError(str(exc)) from exc
    used = sorted({r for r in data.rules if r})
    if len(used) > 1:
        raise base.CommandError(
            f"{data.file} mixes rule sets ({', '.join(used)}); choose one with --rules"
        )
    rule_set = get_rule_set(used[0] if used else resolve_rule_set_id(rules))
    table = score_columns(data, rule_set)
    errors = [p for p in data.problems if p.severity == "error"]
    # File-level problems (row 1) first, then by row: parse and scoring errors never share a row
    # (a row with a parse error is not scored), and the sort is stable.
    errors = sorted(errors + table.errors, key=lambda p: int(p.row))
    _write(table, rule_set, errors, fmt, out)
    warnings = [p for p in data.problems if p.severity != "error"]
    return ScoreRun(rule_set.id, len(data), len(table.lines), errors, warnings)


def _write(table: ScoredRows, rule_set: RuleSet, errors: list[Problem], fmt: str, out: Any) -> None:
    from sikumuh.io.column_writer import write_columns
    from sikumuh.io.scored import output_columns, output_header

    codes = rule_set.codes
    if fmt in ("csv", "xlsx"):
        write_columns(output_header(codes), output_columns(table), out, fmt)
        return
    lines, tahun = table.lines.tolist(), table.tahun.tolist()
    if table.percent.dtype == object:  # Decimals, from rows scored one by one
        percent = [[float(p) for p in row] for row in table.percent.tolist()]
    else:
        percent = (table.percent / 100).tolist()  # hundredths / 100: the 2-dp value as a float
    score = table.score.tolist()
    units = [
        {
            "row": lines[k],
            "kode_desa": table.kode_desa[k],
            "lokasi": table.lokasi[k],
            "rt": table.rt[k],
            "tahun": tahun[k],
            "percent": dict(zip(codes, percent[k], strict=True)),
            "score": dict(zip(codes, score[k], strict=True)),
            "total": int(table.total[k]),
            "class": table.klass[k],
            "warnings": table.warnings[k].split(";") if table.warnings[k] else [],
        }
        for k in range(len(table.lines))
    ]
    keys = ("file", "row", "column", "value", "reason")
    report = {
        "rules": rule_set.id,
        "units": units,
        "errors": [{k: p.as_dict()[k] for k in keys} for p in errors],
    }
    base.dump_json(report, out)
