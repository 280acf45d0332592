"""A column of texts kept as bytes behaves as the list of its strings."""

from __future__ import annotations

import numpy as np
import pytest

from sikumuh.io.bytetexts import ByteTexts, byte_texts


def _column(texts: list[str]) -> ByteTexts:
    width = max(map(len, texts), default=0)
    cells = np.zeros((len(texts), width), dtype=np.uint8)
    for k, text in enumerate(texts):
        cells[k, : len(text)] = list(text.encode("ascii"))
    return ByteTexts(cells)


TEXTS = ["63.01.01.2001", "", "KW-01", "003", "", "a b"]


def test_a_byte_column_is_the_sequence_of_its_strings() -> None:
    column = _column(TEXTS)
    assert len(column) == len(TEXTS)
    assert list(column) == TEXTS
    assert [column[k] for k in range(len(TEXTS))] == TEXTS
    assert column[1:3] == TEXTS[1:3]
    assert "KW-01" in column
    assert "KW-02" not in column


def test_picked_rows_and_empty_rows_come_from_the_bytes() -> None:
    column = _column(TEXTS)
    assert list(column.take(np.array([5, 0, 5]))) == ["a b", "63.01.01.2001", "a b"]
    assert column.empty().tolist() == [1, 4]
    assert _column(["", ""]).empty().tolist() == [0, 1]


def _cells(texts: list[str]) -> np.ndarray:
    """Raw cells as the byte reader gathers them: one cell per column, 0-padded."""
    width = max(len(t.encode("utf-8")) for t in texts)
    array = np.array([t.encode("utf-8") for t in texts], dtype=f"S{width}")
    return np.ascontiguousarray(array.view(np.uint8).reshape(len(texts), width).T)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([" 003 ", "\t7", "x"], ["003", "7", "x"]),
        (["a\x1c", "b"], None),  # str.strip() strips the separator, bytes do not
        (["Ɓaru", "b"], None),  # non-ASCII: decoded cell by cell elsewhere
    ],
)
def test_raw_cells_become_stripped_texts_unless_bytes_strip_otherwise(
    texts: list[str], expected: list[str] | None
) -> None:
    rows = np.array([0, 2, 3])
    column = byte_texts(_cells(texts), rows, 4)
    if expected is None:
        assert column is None
    else:
        assert column is not None
        assert list(column) == [expected[0], "", expected[1], expected[2]]
