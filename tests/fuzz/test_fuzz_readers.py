"""Fuzz targets for every reader of uploaded tables: the template (CSV and XLSX), the
motorkawanku JSON export and the ODK/Kobo CSV export. Each input ends in a result or the
reader's own clean error, never another exception, an abort or unbounded memory (each is read
in a child process under a memory limit: tests/fuzz/bounded.py).

Seconds with the "ci" Hypothesis profile (the default); ``make fuzz`` runs thousands of
examples (``HYPOTHESIS_PROFILE=fuzz``)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikumuh.io.guard import FileRefused
from sikumuh.io.motorkawanku.reader import (
    KAWASAN,
    KUMUH_RT,
    RTRW,
    MotorkawankuError,
    read_motorkawanku,
)
from sikumuh.io.readers import ReaderError
from sikumuh.io.template import read_template_columns, write_blank_template
from sikumuh.io.ujipetik.odk_import import read_csv
from tests.conftest import PEKALONGAN
from tests.fuzz.bounded import outcome
from tests.io import payloads

TEMPLATE_COLUMNS = ["kode_desa", "lokasi", "rt", "tahun", "luas_ha", "jumlah_bangunan", "v_1a"]
CELLS = st.one_of(
    st.sampled_from(["", "63.01.03.1001", "L-01", "001", "2022", "1,5", "1.5", "-3", "1e9"]),
    st.text(max_size=12),
    st.text(alphabet="0123456789.,-eE ", max_size=24),
)
#: Examples may be slow (a fork each): no deadline, no health check on their size.
SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _template(source: bytes, name: str) -> None:
    read_template_columns(io.BytesIO(source), name=name)


@st.composite
def csv_tables(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(st.sampled_from(TEMPLATE_COLUMNS), min_size=1, max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=20))
    text = "\n".join(delimiter.join(row) for row in [header, *rows])
    return text.encode(
        draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "latin-1"])), "replace"
    )


@SLOW
@given(st.one_of(csv_tables(), st.binary(max_size=3000)))
def test_the_template_csv_reader_answers_a_table_or_a_clean_error(source: bytes) -> None:
    assert outcome(lambda: _template(source, "fuzz.csv"), (ReaderError,)) in {"ok", "refused"}


def _small_xlsx() -> bytes:
    out = io.BytesIO()
    rows = [{"kode_desa": "63.01.03.1001", "lokasi": "L-01", "rt": "001", "tahun": 2022}] * 3
    write_blank_template(out, "xlsx", rows)
    return out.getvalue()


SMALL_XLSX = _small_xlsx()


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    data = bytearray(SMALL_XLSX)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def crafted_sheets(draw: st.DrawFn) -> bytes:
    """A workbook whose cells sit anywhere, with or without their references, under any
    declared dimension: the allocation bombs' ground."""
    cells = []
    for _ in range(draw(st.integers(1, 6))):
        column = draw(st.sampled_from(["A", "B", "Z", "GR", "GS", "ZZ", "XFD", "XFE", ""]))
        row = draw(st.sampled_from([1, 2, 200_001, 200_002, 1_048_576, 9_999_999]))
        ref = f"{column}{row}" if column else ""
        cells.append(payloads.cell(ref, "x") if ref else "<c/>" * draw(st.integers(0, 300)))
    rows = "<row>" + "".join(cells) + "</row>"
    dimension = draw(st.sampled_from(["", "A1", "A1:B2", "A1:XFD1048576", "junk"]))
    return payloads.workbook(rows, dimension=dimension)


@SLOW
@given(st.one_of(mutated_xlsx(), crafted_sheets()))
def test_the_template_xlsx_reader_answers_a_table_or_a_clean_error(source: bytes) -> None:
    assert outcome(lambda: _template(source, "fuzz.xlsx"), (ReaderError,)) in {"ok", "refused"}


@SLOW
@given(st.one_of(csv_tables(), st.binary(max_size=3000)))
def test_the_odk_csv_reader_answers_rows_or_a_clean_error(source: bytes) -> None:
    assert outcome(lambda: read_csv(source, "odk.csv"), (FileRefused,)) in {"ok", "refused"}


def _first_records(name: str, n: int = 3) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((PEKALONGAN / name).read_text(encoding="utf-8"))
    return records[:n]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def export_records() -> dict[str, list[dict[str, Any]]]:
    if not PEKALONGAN.is_dir():
        pytest.skip("the shared Pekalongan export is not here")
    return {name: _first_records(name) for name in (KAWASAN, RTRW, KUMUH_RT)}


@SLOW
@given(
    target=st.sampled_from([KAWASAN, RTRW, KUMUH_RT]),
    field=st.integers(0, 40),
    value=JSON_VALUES,
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_the_motorkawanku_reader_answers_data_or_a_clean_error(
    tmp_path_factory: pytest.TempPathFactory,
    export_records: dict[str, list[dict[str, Any]]],
    target: str,
    field: int,
    value: Any,
    raw: bytes | None,
) -> None:
    directory = tmp_path_factory.mktemp("export")
    for name, records in export_records.items():
        records = [dict(r) for r in records]
        if name == target:
            keys = sorted(records[0])
            records[0][keys[field % len(keys)]] = value
        (directory / name).write_text(json.dumps(records), encoding="utf-8")
    if raw is not None:
        (directory / target).write_bytes(raw)

    def read() -> None:
        read_motorkawanku(directory, "33.75", kecamatan=[], desa=[])

    assert outcome(read, (MotorkawankuError,)) in {"ok", "refused"}


def test_the_bounded_runner_catches_an_allocation_bomb() -> None:
    """The harness itself: a reader taking gigabytes fails the target instead of the host."""

    def bomb() -> None:
        bytearray(8 * 1024 * 1024 * 1024)

    assert outcome(bomb, (ReaderError,)).startswith("raised MemoryError")
    assert outcome(lambda: Path("/nonexistent").read_bytes(), (ReaderError,)).startswith(
        "raised FileNotFoundError"
    )
