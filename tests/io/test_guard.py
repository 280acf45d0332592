"""Hostile files are refused before they are read, with a message naming the file and the
limit; none may take the process down (issue 7, findings 2 and 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sikumuh.io import guard, workbook_guard
from sikumuh.io.readers import ReaderError, Refused, read_sheet
from tests.io import payloads

SCORE = [
    sys.executable,
    "-c",
    "import sys; from sikumuh.cli import main; sys.exit(main())",
    "score",
]
CASES = [
    # (id, file name, content, words of the English message)
    ("far-cell", "jauh.xlsx", payloads.FAR_CELL, "more than 200 columns"),
    ("dimension-lie", "bohong.xlsx", payloads.DIMENSION_LIE, "more than 200 columns"),
    ("far-column", "lebar.xlsx", payloads.FAR_COLUMN, "more than 200 columns"),
    ("no-references", "tanpa-ref.xlsx", payloads.NO_REFERENCES, "more than 200 columns"),
    ("zip-bomb", "bom.xlsx", payloads.ZIP_BOMB, "(a zip bomb)"),
    ("whitespace", "spasi.xlsx", payloads.WHITESPACE, "(a zip bomb)"),
    ("nul-xlsx", "nul.xlsx", payloads.NUL_CELL, "line 2, column rt: a cell holds a NUL"),
    ("utf16", "utf16.csv", payloads.UTF16_NO_BOM, "not UTF-8 but UTF-16"),
    ("nul-csv", "nul.csv", b"kode_desa,rt\n63.01,a\x00b\n", "line 2, column rt: a cell holds"),
    ("long-cell", "panjang.csv", b"a,b\n1," + b"x" * 140_000 + b"\n", "line 2 cannot be read"),
    ("xls", "lama.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "only XLSX and CSV"),
]


@pytest.mark.parametrize(
    ("name", "content", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_hostile_file_is_refused_by_the_reader_naming_the_file(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Refused) as caught:
        read_sheet(path)
    assert str(caught.value).startswith(f"{name}: ")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("jauh.xlsx", payloads.FAR_CELL, "lebih dari 200 kolom"),
        ("bohong.xlsx", payloads.DIMENSION_LIE, "lebih dari 200 kolom"),
        ("bom.xlsx", payloads.ZIP_BOMB, "bom zip"),
        ("utf16.csv", payloads.UTF16_NO_BOM, "berkas bukan UTF-8"),
    ],
    ids=["far-cell", "dimension-lie", "zip-bomb", "utf16"],
)
def test_sikumuh_score_refuses_a_hostile_file_in_indonesian_with_exit_status_2(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = subprocess.run(
        [*SCORE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr  # never 134 (abort) nor 1 (a traceback)
    assert done.stderr.startswith(f"sikumuh: kesalahan: {name}: "), done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIKUMUH_IMPORT_MAX_ROWS", "3")
    monkeypatch.setenv("SIKUMUH_UPLOAD_MAX_BYTES", "1000")
    assert (guard.limits().max_rows, guard.limits().max_bytes) == (3, 1000)


def test_a_csv_past_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKUMUH_IMPORT_MAX_ROWS", "3")
    path = tmp_path / "banyak.csv"
    path.write_text("a,b\n" + "1,2\n" * 4)
    with pytest.raises(ReaderError, match=r"banyak\.csv: the file has more than 3 rows"):
        read_sheet(path)
    path.write_text("a,b\n" + "1,2\n" * 3)
    assert len(read_sheet(path)) == 3


def test_a_file_past_the_byte_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKUMUH_UPLOAD_MAX_BYTES", "100")
    path = tmp_path / "besar.csv"
    path.write_text("a,b\n" + "1,2\n" * 100)
    with pytest.raises(ReaderError, match=r"besar\.csv: the file is 0 MB; the limit is 0 MB"):
        read_sheet(path)


def test_a_zip_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    content = bytearray(payloads.ZIP_BOMB)
    # The central directory's uncompressed size of the bomb, set to 10 bytes.
    at = content.rfind(b"xl/sharedStrings.xml") - 46 + 24
    content[at : at + 4] = (10).to_bytes(4, "little")
    path = tmp_path / "bohong.xlsx"
    path.write_bytes(bytes(content))
    with pytest.raises(Refused, match=r"bohong\.xlsx: "):
        read_sheet(path)


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ('<c r="A1"/><c r="GR200001"/><row r="200001">', None),
        ('<c r="GS1"/>', "columns"),
        ('<c r="AAA1"/>', "columns"),
        ('<c r="XFD1048576"/>', "columns"),
        ('<c r="ABCD1"/>', "columns"),
        ('<c r="A200002"/>', "rows"),
        ('<row r="0200002">', "rows"),
        ('<row r="1048576">', "rows"),
        ('<row r="99999999999">', "rows"),
        ('<c r="GR0000200001"/>', "rows"),  # leading zeros: ten digits are past any sheet
        ('<c s="1"/>', None),
        ("", None),
    ],
)
def test_a_reference_past_the_limits_is_found_among_all(text: str, past: str | None) -> None:
    assert workbook_guard.references_past(text.encode(), 200_001, 200) == past
