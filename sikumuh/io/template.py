"""The product's own import template: its columns, its reader and the blank template.

One row = one RT in one year. Identity ``kode_desa``, ``lokasi``, ``rt``, ``tahun``; the header of
denominators; per criterion a volume ``v_<code>`` or, for legacy data, a percentage ``p_<code>``
(never both). Numbers follow :mod:`sikumuh.io.numbers`: one format per file.

Decisions
    * ``rt`` is echoed as written (``003`` stays ``003``; calamine's ``3.0`` is ``3``).
    * A fractional or negative count (``jumlah_bangunan``, ``jumlah_penduduk``, ``jumlah_kk``)
      is an ERROR, not a warning: it is a typo or a misread thousands separator (``1.218`` read
      as 1.218 in a decimal-point file), and a wrong denominator silently moves every score
      divided by it.
    * A value for a criterion outside the row's rule set (``v_4d`` in a 2018 row) is an error:
      it would otherwise be dropped without a word.
    * A missing required column rejects the whole file (row 1); an unknown column is a warning,
      except the read-only columns our exports add (`EXPORT_ONLY_COLUMNS`): an export imports
      back as it is.

:func:`read_template_columns` validates whole columns at once (the fast path of
``sikumuh score`` and of big imports); :func:`read_template` builds
:class:`~sikumuh.core.rows.ObservationRow` objects from it for the importer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, TextIO

import numpy as np
from numpy.typing import NDArray

from sikumuh.core.batch import MISSING
from sikumuh.core.criteria import (
    HEADER_FIELDS,
    RULE_SETS,
    get_rule_set,
)
from sikumuh.core.decimals import MICRO, micro_to_decimal
from sikumuh.core.rows import ObservationRow, Problem
from sikumuh.io import tables
from sikumuh.io.bytetexts import ByteTexts
from sikumuh.io.fastcsv import ByteColumns
from sikumuh.io.numbers import NumberFormat
from sikumuh.io.readers import ReaderError, Sheet, Source, gc_paused, open_columns
from sikumuh.io.template_columns import (
    ALL_CODES,
    BASE_CODES,
    COUNT_FIELDS,
    EXPORT_ONLY_COLUMNS,
    GUIDE_HEADER,
    GUIDE_NOTES,
    IDENTITY_COLUMNS,
    KNOWN_COLUMNS,
    LEGACY_RULE_SET,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    TemplateColumn,
    parse_year,
    resolve_rule_set_id,
    template_markdown,
)

__all__ = [
    "TEMPLATE_COLUMNS",
    "Layout",
    "TemplateColumn",
    "TemplateColumns",
    "parse_year",
    "read_template",
    "read_template_all",
    "read_template_columns",
    "read_template_sheet",
    "resolve_header",
    "resolve_rule_set_id",
    "template_markdown",
    "write_blank_template",
]

I64 = NDArray[np.int64]
Table = Sheet | ByteColumns  # what the readers give: cells or byte offsets, same questions


@dataclass
class Layout:
    """Where each template column sits in the sheet, and what is wrong with the header."""

    index: dict[str, int]
    problems: list[Problem]

    @property
    def fatal(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def resolve_header(sheet: Table) -> Layout:
    """Map template columns to sheet columns (names match ignoring case and outer spaces)."""
    index: dict[str, int] = {}
    problems: list[Problem] = []
    for j, raw in enumerate(sheet.header):
        name = raw.strip().lower()
        if name in EXPORT_ONLY_COLUMNS:
            continue  # a computed column of our own export: read-only, ignored
        if name not in KNOWN_COLUMNS:
            problems.append(
                Problem(sheet.file, "1", raw, raw, "unknown column; it is ignored", "warning")
            )
        elif name in index:
            problems.append(Problem(sheet.file, "1", name, raw, "duplicate column"))
        else:
            index[name] = j
    for name in REQUIRED_COLUMNS:
        if name not in index:
            problems.append(Problem(sheet.file, "1", name, None, "required column is missing"))
    for code in BASE_CODES:
        if f"v_{code}" not in index and f"p_{code}" not in index:
            problems.append(
                Problem(
                    sheet.file,
                    "1",
                    f"v_{code}",
                    None,
                    f"no column for criterion {code}: add v_{code} (volume) or p_{code} "
                    "(percentage, legacy data)",
                )
            )
    return Layout(index, problems)


@dataclass
class TemplateColumns:
    """A validated template as columns. Numbers are int64 micro-units (value × 10⁶) with
    :data:`~sikumuh.core.batch.MISSING` for empty; ``bad`` marks rows with an error; such rows
    hold placeholders and must not be used."""

    file: str
    lines: list[int]
    number_format: NumberFormat
    # Sequences of str: kept as bytes from a plain CSV (ByteTexts), made strings when used.
    kode_desa: Sequence[str]
    lokasi: Sequence[str]
    rt: Sequence[str]
    nama_lokasi: Sequence[str]
    tahun: list[int]
    rules: list[str]  # a resolved rule set id; "" where the row's rule set is unknown
    header: dict[str, I64]
    volumes: dict[str, I64]  # only criteria with a column
    percents: dict[str, I64]
    problems: list[Problem]
    bad: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.lines)


def _parse_each(texts: list[str], parse: Any) -> dict[str, Any]:
    """``parse`` each distinct text once (years and rule ids repeat on every row); a failure is
    kept as its exception."""
    results: dict[str, Any] = {}
    for text in set(texts):
        try:
            results[text] = parse(text)
        except (ValueError, KeyError) as exc:
            results[text] = exc.with_traceback(None)  # no frames (and their columns) kept alive
    return results


def _empty(texts: Sequence[str]) -> list[int]:
    if isinstance(texts, ByteTexts):
        rows: list[int] = texts.empty().tolist()
        return rows
    return [i for i, t in enumerate(texts) if not t] if "" in texts else []


def read_template_columns(
    source: Source, *, rule_set_id: str | None = None, name: str | None = None
) -> TemplateColumns:
    """Read and validate a template file as columns; ``rule_set_id`` overrides ``rules``.

    Problems are ordered by row, then by column in template order; file-level ones come first.
    """
    override = None if rule_set_id is None else resolve_rule_set_id(rule_set_id)
    with gc_paused():
        table = open_columns(source, name=name)
        layout = resolve_header(table)
        if layout.fatal:
            table = Sheet(table.file, table.header, [], [() for _ in table.header])
        return _validate(table, layout, override)


# The order problems of one row are reported in: template column order, checks within.
_CHECKS = [
    *IDENTITY_COLUMNS,
    "rules",
    *HEADER_FIELDS,
    *(f"{check}_{code}" for code in ALL_CODES for check in ("v", "p", "both", "outside")),
]
_ORDER = {check: k for k, check in enumerate(_CHECKS)}


def _validate(table: Table, layout: Layout, override: str | None) -> TemplateColumns:
    file, n, lines = table.file, len(table), table.lines
    found: list[tuple[int, int, Problem]] = []
    cache: dict[str, Sequence[str]] = {}

    def texts(name: str) -> Sequence[str]:
        if name not in cache:
            j = layout.index.get(name)
            cache[name] = [""] * n if j is None else table.text_column(j)
        return cache[name]

    def distinct(name: str) -> tuple[list[str], NDArray[np.intp]]:
        j = layout.index.get(name)
        return ([""], np.zeros(n, dtype=np.intp)) if j is None else table.distinct(j)

    def flag(
        rows: Iterable[int],
        check: str,
        column: str,
        reason: str,
        values: Callable[[int], str] | None = None,
    ) -> None:
        for i in rows:
            value = texts(column)[i] if values is None else values(i)
            found.append((i, _ORDER[check], Problem(file, str(lines[i]), column, value, reason)))

    numeric = [*HEADER_FIELDS, *(f"{p}_{c}" for c in ALL_CODES for p in "vp")]
    present = [name for name in numeric if name in layout.index]
    read = [*IDENTITY_COLUMNS[:3], "tahun", "rules", *present, "nama_lokasi"]
    table.prefetch([layout.index[name] for name in read if name in layout.index])
    for col in IDENTITY_COLUMNS[:3]:
        flag(_empty(texts(col)), col, col, "empty; required")
    # Years and rule set ids repeat on every row: each distinct one is read once.
    year_texts, year_index = distinct("tahun")
    years = _parse_each(year_texts, parse_year)
    for k, text in enumerate(year_texts):
        if not isinstance(years[text], int):
            flag(
                np.flatnonzero(year_index == k).tolist(),
                "tahun",
                "tahun",
                str(years[text]),
                lambda i: year_texts[year_index[i]],
            )
    year_of = [y if isinstance(y, int) else 0 for y in map(years.__getitem__, year_texts)]
    tahun = np.array(year_of, dtype=np.int64)[year_index].tolist()
    if override is not None:
        ids, rule_index = [override], np.zeros(n, dtype=np.intp)
    else:
        rule_texts, rule_index = distinct("rules")
        resolved = _parse_each(rule_texts, resolve_rule_set_id)
        ids = [r if isinstance(r, str) else "" for r in map(resolved.__getitem__, rule_texts)]
        unknown = [k for k, r in enumerate(ids) if not r]
        flag(
            np.flatnonzero(np.isin(rule_index, unknown)).tolist() if unknown else [],
            "rules",
            "rules",
            f"unknown rule set; known: {', '.join(sorted(RULE_SETS))}",
            lambda i: rule_texts[rule_index[i]],
        )
    rules: list[str] = np.array(ids, dtype=object)[rule_index].tolist()

    fmt = table.number_format([layout.index[name] for name in present])
    parsed: dict[str, I64] = {}
    for name in present:
        numbers = table.numbers(layout.index[name], fmt)
        parsed[name] = numbers.micro
        for i, exc in numbers.errors.items():
            problem = Problem(file, str(lines[i]), name, exc.text, exc.reason)
            found.append((i, _ORDER[name], problem))
    for name in COUNT_FIELDS:
        if name in parsed:
            micro = parsed[name]
            wrong = (micro != MISSING) & ((micro % MICRO != 0) | (micro < 0))
            flag(
                np.flatnonzero(wrong).tolist(),
                name,
                name,
                "a count must be a whole number, 0 or more",
            )

    # Which rule set each row uses, as an index into `used` ("" is an unknown rule set).
    used = sorted(set(ids))
    which = np.array([used.index(rule) for rule in ids], dtype=np.int64)[rule_index]
    absent = np.zeros(n, dtype=bool)
    for code in ALL_CODES:
        has_v = parsed[f"v_{code}"] != MISSING if f"v_{code}" in parsed else absent
        has_p = parsed[f"p_{code}"] != MISSING if f"p_{code}" in parsed else absent
        reason = f"v_{code} is given too; give the volume or the percentage, not both"
        flag(np.flatnonzero(has_v & has_p).tolist(), f"both_{code}", f"p_{code}", reason)
        foreign = np.array([bool(r) and code not in get_rule_set(r).codes for r in used])
        if not foreign.any():
            continue
        outside = (has_v | has_p) & foreign[which]
        for i in np.flatnonzero(outside).tolist():
            column = f"v_{code}" if has_v[i] else f"p_{code}"
            reason = (
                f"criterion {code} is not in rule set {rules[i]}; leave it empty or use "
                f"rules {LEGACY_RULE_SET.id}"
            )
            flag([i], f"outside_{code}", column, reason)

    found.sort(key=lambda t: (t[0], t[1]))
    bad = np.zeros(n, dtype=bool)
    bad[[i for i, _, _ in found]] = True
    return TemplateColumns(
        file=file,
        lines=lines,
        number_format=fmt,
        kode_desa=texts("kode_desa"),
        lokasi=texts("lokasi"),
        rt=texts("rt"),
        nama_lokasi=texts("nama_lokasi"),
        tahun=tahun,
        rules=rules,
        header={f: parsed.get(f, np.full(n, MISSING, dtype=np.int64)) for f in HEADER_FIELDS},
        volumes={c: parsed[f"v_{c}"] for c in ALL_CODES if f"v_{c}" in parsed},
        percents={c: parsed[f"p_{c}"] for c in ALL_CODES if f"p_{c}" in parsed},
        problems=layout.problems + [p for _, _, p in found],
        bad=bad,
    )


def read_template(
    source: Source, *, rule_set_id: str | None = None, name: str | None = None
) -> tuple[list[ObservationRow], list[Problem]]:
    """The rows of a template file without errors, and every problem (errors and warnings).

    A row with any error is left out; every problem names file, row, column and value. An
    unreadable file is one problem on row 1, so an import reports it like any other.
    """
    rows, _unusable, problems = read_template_all(source, rule_set_id=rule_set_id, name=name)
    return rows, problems


def read_template_all(
    source: Source, *, rule_set_id: str | None = None, name: str | None = None
) -> tuple[list[ObservationRow], list[ObservationRow], list[Problem]]:
    """:func:`read_template`, plus the rows with an error as far as they could be read (each
    wrong cell left empty; :func:`unusable_rows`): the importer checks those too, so that one
    upload shows every problem of a row, never to be stored."""
    try:
        data = read_template_columns(source, rule_set_id=rule_set_id, name=name)
    except ReaderError as exc:
        file = os.path.basename(
            name or os.fspath(source) if not hasattr(source, "read") else name or "upload"
        )
        return [], [], [Problem(file, "1", None, None, exc.translated())]
    return _observation_rows(data), unusable_rows(data), data.problems


def read_template_sheet(
    sheet: Sheet, *, rule_set_id: str | None = None
) -> tuple[list[ObservationRow], list[Problem]]:
    """:func:`read_template` for a table already in memory (the rows of another format mapped
    onto the template's columns, e.g. an ODK submission): the same checks, the same problems."""
    override = None if rule_set_id is None else resolve_rule_set_id(rule_set_id)
    layout = resolve_header(sheet)
    if layout.fatal:
        sheet = Sheet(sheet.file, sheet.header, [], [() for _ in sheet.header])
    data = _validate(sheet, layout, override)
    return _observation_rows(data), data.problems


def _observation_rows(data: TemplateColumns) -> list[ObservationRow]:
    return [_row(data, i) for i in np.flatnonzero(~data.bad).tolist()]


def _row(data: TemplateColumns, i: int, wrong: frozenset[str] = frozenset()) -> ObservationRow:
    """Row ``i``; the cells of the columns in ``wrong`` left empty."""
    codes = get_rule_set(data.rules[i]).codes

    def given(columns: Mapping[str, I64], prefix: str) -> dict[str, Decimal | None]:
        return {c: v for c, v in _given(columns, codes, i).items() if f"{prefix}_{c}" not in wrong}

    return ObservationRow(
        file=data.file,
        row=str(data.lines[i]),
        kode_desa=data.kode_desa[i],
        lokasi=data.lokasi[i],
        rt=data.rt[i],
        tahun=data.tahun[i],
        header={f: None if f in wrong else _decimal(data.header[f][i]) for f in HEADER_FIELDS},
        volumes=given(data.volumes, "v"),
        percents=given(data.percents, "p"),
        lokasi_name=data.nama_lokasi[i],
        rule_set=data.rules[i],
    )


def unusable_rows(data: TemplateColumns) -> list[ObservationRow]:
    """The rows with an error, each wrong cell left empty, for the checks that come after
    reading (the engine's, the desa's, duplicates): rows whose rule set or year is unknown
    cannot be checked further and are left out."""
    wrong: dict[str, set[str]] = {}
    for problem in data.problems:
        if problem.severity == "error" and problem.column:
            wrong.setdefault(problem.row, set()).add(problem.column)
    rows = []
    for i in np.flatnonzero(data.bad).tolist():
        cells = frozenset(wrong.get(str(data.lines[i]), ()))
        if data.rules[i] and "tahun" not in cells and "rules" not in cells:
            rows.append(_row(data, i, cells))
    return rows


def _decimal(micro: np.int64) -> Decimal | None:
    return None if micro == MISSING else micro_to_decimal(int(micro))


def _given(columns: Mapping[str, I64], codes: tuple[str, ...], i: int) -> dict[str, Decimal | None]:
    """The criteria of the row's rule set that have a value (empty cells are left out)."""
    return {c: _decimal(columns[c][i]) for c in codes if c in columns and columns[c][i] != MISSING}


def write_blank_template(
    target: str | os.PathLike[str] | IO[bytes] | TextIO,
    fmt: str = "csv",
    rows: Iterable[Mapping[str, Any]] = (),
    *,
    include_legacy: bool = False,
) -> None:
    """The template's header (and optional pre-filled rows, e.g. known RTs) as CSV or XLSX.

    Legacy columns (``p_*``, 2016's ``v_4d``/``v_4e``/``v_6c``) are left out unless asked for or
    filled in a row; the XLSX has a second sheet, "petunjuk", documenting every column.
    """
    rows = list(rows)
    given = {name for row in rows for name in row}
    unknown = given - KNOWN_COLUMNS
    if unknown:
        raise ValueError(f"not template columns: {', '.join(sorted(unknown))}")
    names = [c.name for c in TEMPLATE_COLUMNS if include_legacy or not c.legacy or c.name in given]
    body = ([row.get(name) for name in names] for row in rows)

    if fmt == "xlsx":
        guide = [
            [c.name, "ya" if c.required else "tidak", c.meaning_id, c.meaning_en, c.unit]
            for c in TEMPLATE_COLUMNS
        ]
        guide += [[name, "", id_text, en_text, ""] for name, id_text, en_text in GUIDE_NOTES]
        tables.write_xlsx(
            target,  # type: ignore[arg-type]  # a path or a binary stream for XLSX
            [("data", names, body), ("petunjuk", GUIDE_HEADER, guide)],
            widths=[[14] * len(names), [26, 8, 60, 60, 8]],
        )
    elif fmt == "csv":
        if isinstance(target, str | os.PathLike):
            with open(target, "w", encoding="utf-8", newline="") as stream:
                tables.write_table(names, body, stream, "csv")
        else:
            tables.write_table(names, body, target, "csv")
    else:
        raise ValueError(f"unknown template format {fmt!r}; expected csv or xlsx")
