"""Scoring a validated template (:class:`~sikumuh.io.template.TemplateColumns`) in bulk.

``sikumuh score`` writes what this returns. Rows are scored with the vectorised
:func:`sikumuh.core.batch.score_batch`; every scoring error becomes a
:class:`~sikumuh.core.rows.Problem` naming the template column, and the warnings column lists
``<criterion>:<code>``, both built by :func:`sikumuh.core.issues.cell_issues` exactly as
:func:`sikumuh.core.scoring.score_unit` reports them row by row (the per-row reference in
``bench/reference_score.py`` must agree byte for byte).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

from sikumuh.core.batch import MISSING, BatchResult, score_batch
from sikumuh.core.criteria import CLASS_ORDER, RuleSet
from sikumuh.core.decimals import hundredths_to_decimal, micro_to_decimal
from sikumuh.core.issues import ERROR_FLAGS, WARNING_FLAGS, CellFlag, cell_issues
from sikumuh.core.rows import Problem
from sikumuh.core.scoring import UnitInput, score_unit
from sikumuh.io.bytetexts import ByteTexts
from sikumuh.io.column_writer import Column, Fixed, Labels
from sikumuh.io.template import TemplateColumns


@dataclass
class ScoredRows:
    """The scored rows (input order) as columns, and the rows that scoring rejected."""

    lines: np.ndarray
    kode_desa: Sequence[str]
    lokasi: Sequence[str]
    rt: Sequence[str]
    tahun: np.ndarray
    percent: np.ndarray  # hundredths, rows × criteria (Decimals if a row was scored one by one)
    score: np.ndarray
    total: np.ndarray
    klass: Sequence[str]
    warnings: Sequence[str]  # "<criterion>:<code>" joined by ";"
    errors: list[Problem]


def score_columns(data: TemplateColumns, rule_set: RuleSet) -> ScoredRows:
    """Score the rows of ``data`` without parse errors: in batch, except rows whose percentage
    would not fit the batch scorer's int64 (a volume ~10¹⁵ times its denominator: garbage, but
    scored exactly like the reference does, one by one)."""
    wanted = ~data.bad
    beyond = _beyond_int64(data, rule_set)
    if not beyond.any():
        # Score every row, bad ones included (they are dropped after): no column is copied.
        return _score_batch(data, rule_set, None, wanted)
    rows = np.flatnonzero(wanted & ~beyond)
    table = _score_batch(data, rule_set, rows, np.ones(rows.size, dtype=bool))
    return _with_exact_rows(table, data, rule_set, np.flatnonzero(wanted & beyond))


def _beyond_int64(data: TemplateColumns, rule_set: RuleSet) -> np.ndarray:
    """Rows with a volume at least 9 × 10¹⁴ times its (positive) denominator: their percentage in
    hundredths (volume × 10⁴ / denominator) could overflow int64. Float is fine here: a row near
    the edge only takes the exact path, never a wrong one."""
    beyond = np.zeros(len(data), dtype=bool)
    if not len(data):  # a header-only file, or one refused whole: no rows, no maximum
        return beyond
    for criterion in rule_set.criteria:
        volumes = data.volumes.get(criterion.code)
        # A denominator is at least 1 micro-unit, so smaller volumes can never get there.
        if volumes is None or np.abs(np.where(volumes == MISSING, 0, volumes)).max() < 9e14:
            continue
        v, d = volumes, data.header[criterion.denominator]
        known = (v != MISSING) & (d != MISSING) & (d > 0)
        ratio = np.abs(np.where(known, v, 0)).astype(float) / np.where(known, d, 1)
        beyond |= known & (ratio >= 9e14)
    return beyond


def _with_exact_rows(
    table: ScoredRows, data: TemplateColumns, rule_set: RuleSet, rows: np.ndarray
) -> ScoredRows:
    """``table`` plus ``rows`` scored one by one with :func:`score_unit`, in input order; the
    percentages become Decimals (an object array)."""

    def given(columns: dict[str, np.ndarray], i: int) -> dict[str, Any]:
        return {
            c: micro_to_decimal(int(columns[c][i]))
            for c in rule_set.codes
            if c in columns and columns[c][i] != MISSING
        }

    codes = rule_set.codes
    values, inverse = np.unique(table.percent, return_inverse=True)
    decimals = np.array([hundredths_to_decimal(v) for v in values.tolist()], dtype=object)
    merged = {
        "lines": table.lines.tolist(),
        "kode_desa": list(table.kode_desa),
        "lokasi": list(table.lokasi),
        "rt": list(table.rt),
        "tahun": table.tahun.tolist(),
        "percent": decimals[inverse.reshape(table.percent.shape)].tolist(),
        "score": table.score.tolist(),
        "total": table.total.tolist(),
        "klass": list(table.klass),
        "warnings": list(table.warnings),
    }
    errors = list(table.errors)
    for i in rows.tolist():
        header = {f: data.header[f][i] for f in data.header}
        unit = UnitInput(
            header={
                f: None if m == MISSING else micro_to_decimal(int(m)) for f, m in header.items()
            },
            volumes=given(data.volumes, i),
            percents=given(data.percents, i),
        )
        result = score_unit(unit, rule_set)
        line = data.lines[i]
        if result.errors:
            errors += [
                Problem(data.file, str(line), _column(e.criterion, e.field), e.value, e.message)
                for e in result.errors
            ]
            continue
        assert result.klass is not None  # no errors: a total and a class
        for key, value in (
            ("lines", line),
            ("kode_desa", data.kode_desa[i]),
            ("lokasi", data.lokasi[i]),
            ("rt", data.rt[i]),
            ("tahun", data.tahun[i]),
            ("percent", [result.percent[c] for c in codes]),
            ("score", [result.score[c] for c in codes]),
            ("total", result.total),
            ("klass", result.klass.value),
            ("warnings", ";".join(f"{w.criterion}:{w.code}" for w in result.warnings)),
        ):
            merged[key].append(value)
    order = np.argsort(np.array(merged["lines"]), kind="stable").tolist()
    pick = {k: [v[o] for o in order] for k, v in merged.items()}
    return ScoredRows(
        lines=np.array(pick["lines"], dtype=np.int64),
        kode_desa=pick["kode_desa"],
        lokasi=pick["lokasi"],
        rt=pick["rt"],
        tahun=np.array(pick["tahun"], dtype=np.int64),
        percent=np.array(pick["percent"], dtype=object).reshape(len(order), len(codes)),
        score=np.array(pick["score"], dtype=np.int64).reshape(len(order), len(codes)),
        total=np.array(pick["total"], dtype=np.int64),
        klass=pick["klass"],
        warnings=pick["warnings"],
        errors=errors,
    )


def _score_batch(
    data: TemplateColumns, rule_set: RuleSet, rows: np.ndarray | None, wanted: np.ndarray
) -> ScoredRows:
    """Score ``rows`` of ``data`` (None: all) in one batch; report those ``wanted``."""
    codes = rule_set.codes

    def pick(column: np.ndarray) -> np.ndarray:
        return column if rows is None else column[rows]

    batch = score_batch(
        {f: pick(a) for f, a in data.header.items()},
        {c: pick(data.volumes[c]) for c in codes if c in data.volumes},
        {c: pick(data.percents[c]) for c in codes if c in data.percents},
        rule_set,
    )
    if rows is None:
        rows = np.arange(len(data))
    rejected = batch.error_mask.any(axis=1)
    cells = np.nonzero((batch.flags & int(ERROR_FLAGS)) * wanted[:, None])
    ok = np.flatnonzero(~rejected & wanted)
    index = rows[ok]
    lines = np.asarray(data.lines)
    return ScoredRows(
        lines=lines[index],
        kode_desa=_pick(data.kode_desa, index),
        lokasi=_pick(data.lokasi, index),
        rt=_pick(data.rt, index),
        tahun=np.asarray(data.tahun)[index],
        percent=_rows_of(batch.percent_hundredths, ok),
        score=_rows_of(batch.score, ok),
        total=batch.total[ok],
        klass=Labels(batch.klass[ok], _CLASS_NAMES),
        warnings=_warnings(batch.flags[ok] & int(WARNING_FLAGS), rule_set),
        errors=_errors(batch, cells, data.file, lines[rows], rule_set),
    )


_CLASS_NAMES = [klass.value for klass in CLASS_ORDER]
# Which inputs an error message shows (the others are left out of the cache key below).
_SHOWS_VOLUME = int(CellFlag.NEGATIVE_VOLUME | CellFlag.VOLUME_OVER_ZERO_DENOMINATOR)
_SHOWS_DENOMINATOR = int(CellFlag.NEGATIVE_DENOMINATOR)
_SHOWS_PERCENT = int(CellFlag.NEGATIVE_PERCENT)


def _rows_of(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``matrix[rows]`` in column-major order, column by column (each is written out whole)."""
    out = np.empty((rows.size, matrix.shape[1]), dtype=matrix.dtype, order="F")
    for j in range(matrix.shape[1]):
        out[:, j] = matrix[:, j][rows]
    return out


def _pick(values: Sequence[str], index: np.ndarray) -> Sequence[str]:
    """``[values[i] for i in index]``, at C speed (as bytes, for bytes)."""
    if isinstance(values, ByteTexts):
        return values.take(index)
    if index.size < 2:
        return [values[i] for i in index.tolist()]
    return list(itemgetter(*index.tolist())(values))


def _errors(
    batch: BatchResult,
    cells: tuple[np.ndarray, ...],
    file: str,
    lines: np.ndarray,
    rule_set: RuleSet,
) -> list[Problem]:
    """The scoring errors of the cells ``cells`` (batch rows, criteria) as problems on the
    batch rows' ``lines``, each cell's as :func:`score_unit` reports them (the row is out, so
    its warnings do not matter)."""
    k, j = cells
    flags = batch.flags[cells] & int(ERROR_FLAGS)
    volume, denominator, percent = batch.cell_inputs(k, j)
    # A value the messages do not show is left out of the key: many cells then share one.
    key_columns = (
        j,
        flags,
        np.where(flags & _SHOWS_VOLUME, volume, MISSING),
        np.where(flags & _SHOWS_DENOMINATOR, denominator, MISSING),
        np.where(flags & _SHOWS_PERCENT, percent, MISSING),
    )
    known: dict[tuple[int, ...], list[tuple[str | None, str | None, str]]] = {}
    errors = []
    keys = zip(*(a.tolist() for a in key_columns), strict=True)
    for line, key in zip(lines[k].tolist(), keys, strict=True):
        if key not in known:
            criterion = rule_set.criteria[key[0]]
            _, issues = cell_issues(
                criterion.code,
                criterion.denominator,
                key[1],
                *(None if v == MISSING else v for v in key[2:]),
            )
            known[key] = [(_column(i.criterion, i.field), i.value, i.message) for i in issues]
        text = str(line)
        errors += [Problem(file, text, *issue) for issue in known[key]]
    return errors


def _warnings(flags: np.ndarray, rule_set: RuleSet) -> Labels:
    """Per row, ``<criterion>:<code>`` of its warnings joined by ``;``, in score_unit's order.

    Rows with the same warning flags get the same text, so each distinct row of flags is put
    into words once (from ``cell_issues``).
    """
    index = np.zeros(flags.shape[0], dtype=np.intp)
    flagged = np.flatnonzero(flags.any(axis=1))
    if flagged.size == 0:
        return Labels(index, [""])
    rows = np.ascontiguousarray(flags[flagged], dtype=np.int16)
    patterns, inverse = np.unique(
        rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel(),
        return_inverse=True,
    )
    texts = [""]
    for pattern in patterns:
        codes = []
        for j, f in enumerate(np.frombuffer(pattern.tobytes(), dtype=np.int16).tolist()):
            if f:
                criterion = rule_set.criteria[j]
                issues, _ = cell_issues(criterion.code, criterion.denominator, f, 0, 1, 0)
                codes += [f"{criterion.code}:{issue.code}" for issue in issues]
        texts.append(";".join(codes))
    index[flagged] = inverse.ravel() + 1
    return Labels(index, texts)


def _column(criterion: str | None, name: str | None) -> str | None:
    """The template column an issue is about: ``volume``/``percent`` of 1a → v_1a / p_1a."""
    if name in ("volume", "percent") and criterion:
        return f"{name[0]}_{criterion}"
    return name


def output_header(codes: Sequence[str]) -> list[str]:
    """The columns of the CSV/XLSX output."""
    return [
        "row",
        "kode_desa",
        "lokasi",
        "rt",
        "tahun",
        *(f"p_{c}" for c in codes),
        *(f"s_{c}" for c in codes),
        "total",
        "class",
        "warnings",
    ]


def output_columns(table: ScoredRows) -> list[Column]:
    """The output as columns for :func:`sikumuh.io.column_writer.write_columns`, in the order of
    :func:`output_header`: percentages as 2-place numbers, scores and totals as integers."""
    return [
        table.lines,
        table.kode_desa,
        table.lokasi,
        table.rt,
        table.tahun,
        *(
            table.percent[:, j].tolist()
            if table.percent.dtype == object
            else Fixed(table.percent[:, j], 2)
            for j in range(table.percent.shape[1])
        ),
        *(table.score[:, j] for j in range(table.score.shape[1])),
        table.total,
        table.klass,
        table.warnings,
    ]
